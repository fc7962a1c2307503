import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsEmailAddress } from '../../common/http/is-email-address.decorator';

export class DepartmentInputDto {
  @ApiProperty({ example: 'ZHUJIAN', description: 'the code the rulesets’ duties name; A-Z, digits, _' })
  @IsString({ message: '部门代码应为文字' })
  @Matches(/^[A-Z][A-Z0-9_]{1,19}$/, { message: '部门代码应为2至20位大写字母、数字或下划线,以字母开头' })
  code: string;

  @ApiProperty({ example: '市住建局' })
  @IsString({ message: '部门名称应为文字' })
  @MinLength(1, { message: '请填写部门名称' })
  @MaxLength(50, { message: '部门名称不能超过50个字符' })
  name: string;

  @ApiPropertyOptional({
    type: String,
    example: 'zhujian@lvliang.example',
    nullable: true,
    description: 'empty or null: no email',
  })
  @IsOptional()
  @IsEmailAddress()
  email?: string | null;

  @ApiPropertyOptional({ type: String, example: '0358-8221234', nullable: true })
  @IsOptional()
  @IsString({ message: '电话应为文字' })
  @Matches(/^$|^\+?[0-9][0-9 -]{5,28}$/, { message: '电话应为7至20位数字,可含开头的 +、连字符 - 和空格' })
  phone?: string | null;

  @ApiProperty({ example: 1, description: 'order in lists and notices' })
  @IsInt({ message: '排序应为整数' })
  @Min(0, { message: '排序不能小于0' })
  @Max(9999, { message: '排序不能大于9999' })
  sort: number;
}

export class PutDepartmentsDto {
  @ApiProperty({
    type: [DepartmentInputDto],
    description: 'the whole list: departments left out are kept for their notices but get no new ones',
  })
  @IsArray({ message: 'departments 应为部门列表' })
  @ArrayMinSize(1, { message: '至少需要一个部门' })
  @ArrayMaxSize(100, { message: '部门不能超过100个' })
  @ValidateNested({ each: true })
  @Type(() => DepartmentInputDto)
  departments: DepartmentInputDto[];
}

export class DepartmentDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty() sort: number;
  @ApiProperty({ description: 'false: left out of the list, sent no new notices' }) active: boolean;
}
