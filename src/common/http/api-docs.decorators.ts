import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { ERROR_STATUS } from '../errors/error-codes';

// @nestjs/swagger's metadata key for an operation's security (its constants are not exported).
const API_SECURITY = 'swagger/apiSecurity';

/** One field the request got wrong, named in Chinese (`row` for a line of an import). */
export class FieldErrorDto {
  @ApiProperty({ example: 'level' }) field: string;
  @ApiProperty({ example: '级别应为 BLUE、YELLOW、ORANGE、RED 之一' }) message: string;
  @ApiPropertyOptional({ type: 'integer', example: 3 }) row?: number;
}

export class ErrorDto {
  @ApiProperty({ enum: Object.keys(ERROR_STATUS), example: 'NOT_FOUND' }) code: string;
  @ApiProperty({ example: '资源不存在' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) fields?: FieldErrorDto[];
}

/** The one error shape every route answers with (src/common/filters/api-exception.filter.ts writes it). */
export class ErrorBodyDto {
  @ApiProperty({ type: ErrorDto }) error: ErrorDto;
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: '请求格式错误',
  401: '未登录或会话已过期',
  403: '无权执行此操作(角色不符、跨站请求或本人审批)',
  404: '资源不存在',
  409: '与当前状态冲突',
  410: '链接已失效',
  413: '上传内容过大',
  415: '不支持的内容格式',
  422: '提交的数据有误(fields 逐项说明)',
  429: '尝试次数过多',
  503: '数据库暂时不可用',
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429 | 503;

/** Documents the error answers of an operation (or of every operation of a controller), all `ErrorBodyDto`. */
export function ApiErrors(...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ErrorBodyDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorBodyDto) } } },
      }),
    ),
  );
}

/** An operation open without a session: `security: []` overrides the document's global cookie requirement. */
export function ApiPublic(): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    Reflect.defineMetadata(API_SECURITY, [], descriptor ? (descriptor.value as object) : target);
  };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FILE_TYPES = {
  csv: 'text/csv',
  xlsx: XLSX,
  zip: 'application/zip',
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
} as const;

/** A download (CSV, XLSX, ZIP or an image) as the 200 answer. */
export function ApiFileResponse(
  description: string,
  ...kinds: Array<keyof typeof FILE_TYPES>
): MethodDecorator {
  return ApiResponse({
    status: 200,
    description,
    content: Object.fromEntries(
      kinds.map((k) => [FILE_TYPES[k], { schema: { type: 'string', format: 'binary' } }]),
    ),
  });
}
