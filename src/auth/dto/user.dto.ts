import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  @ArrayMaxSize(4)
  @IsString({ each: true })
  roles: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) displayName?: string;
  @ApiPropertyOptional({ example: ['COMMANDER'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(4)
  @IsString({ each: true })
  roles?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'at least 10 characters' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}
