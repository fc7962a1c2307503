import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

/**
 * The API login and the console's login form both check this. The limits keep a long username out of the
 * failed-login index (a btree entry holds at most 2,704 bytes: past that the insert was a 500).
 */
export class LoginDto {
  @ApiProperty({ example: 'duty', maxLength: 100 })
  @IsString({ message: '用户名应为文本' })
  @MinLength(1, { message: '请输入用户名' })
  @MaxLength(100, { message: '用户名不能超过 100 个字符' })
  username: string;

  @ApiProperty({ example: 'demo', maxLength: 200 })
  @IsString({ message: '密码应为文本' })
  @MinLength(1, { message: '请输入密码' })
  @MaxLength(200, { message: '密码不能超过 200 个字符' })
  password: string;
}

export class MeDto {
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['DUTY_OFFICER', 'COMMANDER', 'AUDITOR', 'ADMIN'], isArray: true }) roles: string[];
}
