import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '../../common/http/validation.decorators';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

export class CreateUserDto {
  @ApiProperty({ example: 'duty.wang' }) @IsString() @MaxLength(40) username: string;
  @ApiPropertyOptional({ example: '王值班' }) @IsOptional() @IsString() @MaxLength(100) displayName?: string;
  @ApiProperty({ description: 'at least 10 characters' }) @IsString() @MaxLength(200) password: string;
  @ApiProperty({ example: ['DUTY_OFFICER'] })
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  roles: string[];
  @ApiPropertyOptional({
    example: ['141126'],
    description: 'required for COUNTY_OFFICER: the counties it answers for',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(12, { each: true })
  countyCodes?: string[];
}

/** Each field may be left out; none may be null. */
export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(100) displayName?: string;
  @ApiPropertyOptional({ example: ['COMMANDER'] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(5)
  @IsString({ each: true })
  roles?: string[];
  @ApiPropertyOptional({ example: ['141126'] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(12, { each: true })
  countyCodes?: string[];
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() active?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'at least 10 characters' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}
