/// <reference types="multer" />
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiQuery,
  ApiResponse,
  ApiTags,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CallerScope, OpenToCounties, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import type { CountyScope } from '../auth/county-scope';
import { DomainError } from '../common/errors/domain-error';
import { CreateEnterpriseDto, EnterpriseQueryDto, PlanDto, UpdateEnterpriseDto } from './dto/enterprise.dto';
import type { EnterpriseView } from './enterprise.mapper';
import { EnterprisesService, PlanDiffView, PlanVersionView, PlanView } from './enterprises.service';
import { versionParam } from './plan-diff.rules';
import { ImportPreview, ImportResult, ReductionListService } from './reduction-list.service';
import type { SheetFormat } from './spreadsheet.io';
import { ApiErrors, ApiFileResponse } from '../common/http/api-docs.decorators';
import { EnterprisePageDto, EnterpriseViewDto, PlanViewDto } from './dto/enterprise-view.dto';

/** Multer's own cap, above the configured IMPORT_MAX_MB check, so the service can answer with the limit. */
export const UPLOAD_HARD_LIMIT = 1024 * 1024 * 1024;

function formatOf(value: string | undefined): SheetFormat {
  const format = (value ?? 'xlsx').toLowerCase();
  if (format !== 'xlsx' && format !== 'csv')
    throw DomainError.validation([{ field: 'format', message: 'format 只能是 xlsx 或 csv' }]);
  return format;
}

function sendSheet(res: Response, format: SheetFormat, basename: string): void {
  const filename = `${basename}.${format}`;
  res.setHeader(
    'Content-Type',
    format === 'csv'
      ? 'text/csv; charset=utf-8'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  );
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="reduction-list.${format}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
  );
}

@ApiTags('enterprises')
@Controller('api/enterprises')
export class EnterprisesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly list: ReductionListService,
  ) {}

  @Get()
  @SignedIn()
  @ApiOperation({ summary: '企业列表(检索、分页)' })
  @ApiOkResponse({ type: EnterprisePageDto })
  @ApiErrors(401, 422)
  @OpenToCounties()
  search(
    @Query() query: EnterpriseQueryDto,
    @CallerScope() scope: CountyScope,
  ): ReturnType<EnterprisesService['search']> {
    return this.enterprises.search(query, scope);
  }

  /** The reduction list in the import layout, streamed. */
  @Get('export')
  @SignedIn()
  @OpenToCounties()
  @ApiQuery({ name: 'format', enum: ['xlsx', 'csv'], required: false })
  @ApiOperation({ summary: '导出企业名录' })
  @ApiFileResponse('企业名录(默认 XLSX,format=csv 时为 CSV)', 'xlsx', 'csv')
  @ApiErrors(401, 422)
  async export(
    @Query('format') format: string | undefined,
    @Res() res: Response,
    @CallerScope() scope: CountyScope,
  ): Promise<void> {
    const f = formatOf(format);
    sendSheet(res, f, '吕梁市应急减排清单');
    await this.list.exportTo(f, res, scope);
  }

  /** An empty layout with an example enterprise and the column guide. */
  @Get('import/template')
  @SignedIn()
  @ApiQuery({ name: 'format', enum: ['xlsx', 'csv'], required: false })
  @ApiOperation({ summary: '下载企业导入模板' })
  @ApiFileResponse('导入模板(默认 XLSX,format=csv 时为 CSV)', 'xlsx', 'csv')
  @ApiErrors(401, 422)
  async template(@Query('format') format: string | undefined, @Res() res: Response): Promise<void> {
    const f = formatOf(format);
    sendSheet(res, f, '应急减排清单导入模板');
    await this.list.templateTo(f, res);
  }

  /**
   * All or nothing: `{importId, imported, updated, unchanged, measures, warnings}` or 422 with the errors by row
   * and column. `?dryRun=true` writes nothing and answers what the import would do; passing that answer's
   * `digest` as `?expectedDigest=` imports only if it would still do exactly that (else 409).
   */
  @Post('import')
  @Roles('ADMIN')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiHeader({
    name: 'X-Requested-With',
    required: true,
    description: 'any non-empty value: a plain HTML form cannot send it (RequestOriginGuard)',
  })
  @ApiQuery({
    name: 'dryRun',
    required: false,
    type: Boolean,
    description:
      'true: write nothing; answer {added, updated, unchanged, measures, rows, errors, errorCount, warnings, digest} (row errors in the body, 200)',
  })
  @ApiQuery({
    name: 'expectedDigest',
    required: false,
    description:
      "a dry run's digest: import only if the import would do exactly what that dry run said (409 IMPORT_PREVIEW_STALE otherwise)",
  })
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiResponse({
    status: 400,
    description: 'INVALID_FILE: not a readable XLSX or CSV (other type, empty, damaged, not UTF-8)',
  })
  @ApiResponse({ status: 409, description: 'IMPORT_PREVIEW_STALE: the data changed since the dry run' })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: UPLOAD_HARD_LIMIT, files: 1, fields: 5 } }))
  @ApiOperation({ summary: '批量导入企业(CSV 或 XLSX)' })
  @ApiOkResponse({ description: '导入结果:imported、updated、measures、warnings' })
  @ApiErrors(400, 401, 403, 409, 413, 415, 422)
  import(
    @UploadedFile() file: Express.Multer.File | undefined,
    @RequestActor() actor: Actor,
    @Query('dryRun') dryRun?: string,
    @Query('expectedDigest') expectedDigest?: string,
  ): Promise<ImportResult | ImportPreview> {
    if (!file)
      throw DomainError.validation([
        { field: 'file', message: '请上传 .xlsx 或 .csv 文件(表单字段名 file)' },
      ]);
    if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false')
      throw DomainError.validation([{ field: 'dryRun', message: '试导入(dryRun)只能是 true 或 false' }]);
    if (expectedDigest !== undefined && !/^[0-9a-f]{64}$/.test(expectedDigest))
      throw DomainError.validation([
        { field: 'expectedDigest', message: '预览摘要(expectedDigest)格式不正确' },
      ]);
    if (dryRun === 'true') return this.list.previewFile(file);
    return this.list.importFile(file, actor, { expectedDigest });
  }

  @Post()
  @Roles('ADMIN')
  @ApiOperation({ summary: '登记企业' })
  @ApiCreatedResponse({ type: EnterpriseViewDto })
  @ApiErrors(400, 401, 403, 409, 422)
  create(@Body() body: CreateEnterpriseDto, @RequestActor() actor: Actor): Promise<EnterpriseView> {
    return this.enterprises.create(body, actor);
  }

  @Get(':id')
  @SignedIn()
  @ApiOperation({ summary: '企业详情' })
  @ApiOkResponse({ type: EnterpriseViewDto })
  @ApiErrors(401, 404)
  @OpenToCounties()
  get(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<EnterpriseView> {
    return this.enterprises.get(id, scope);
  }

  @Patch(':id')
  @Roles('ADMIN')
  @ApiOperation({ summary: '修改企业信息' })
  @ApiOkResponse({ type: EnterpriseViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  update(
    @Param('id') id: string,
    @Body() body: UpdateEnterpriseDto,
    @RequestActor() actor: Actor,
  ): Promise<EnterpriseView> {
    return this.enterprises.update(id, body, actor);
  }

  /** Archives (never deletes): the enterprise keeps its history and receives no more orders. */
  @Delete(':id')
  @Roles('ADMIN')
  @ApiOperation({ summary: '注销(归档)企业' })
  @ApiOkResponse({ type: EnterpriseViewDto })
  @ApiErrors(401, 403, 404, 409)
  archive(@Param('id') id: string, @RequestActor() actor: Actor): Promise<EnterpriseView> {
    return this.enterprises.archive(id, actor);
  }

  @Get(':id/plan')
  @SignedIn()
  @ApiOperation({ summary: '企业当前减排方案' })
  @ApiOkResponse({ type: PlanViewDto })
  @ApiErrors(401, 404)
  @OpenToCounties()
  async getPlan(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<PlanView> {
    await this.enterprises.assertInScope(id, scope);
    return this.enterprises.getPlan(id);
  }

  /** Every version of the plan, newest first: number, season, when, by whom, relaxations it carries. */
  @Get(':id/plan/versions')
  @SignedIn()
  @ApiOperation({ summary: '企业减排方案历史版本' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404)
  @OpenToCounties()
  async planVersions(@Param('id') id: string, @CallerScope() scope: CountyScope): Promise<PlanVersionView[]> {
    await this.enterprises.assertInScope(id, scope);
    return this.enterprises.planVersions(id);
  }

  /** What changed from one version of the plan to another: measures added, removed, changed (field by field), by level. */
  @Get(':id/plan/diff')
  @SignedIn()
  @OpenToCounties()
  @ApiQuery({ name: 'from', type: Number, description: 'the version compared from' })
  @ApiQuery({ name: 'to', type: Number, description: 'the version compared to' })
  @ApiOperation({ summary: '比较减排方案两个版本' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404, 422)
  async planDiff(
    @Param('id') id: string,
    @CallerScope() scope: CountyScope,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<PlanDiffView> {
    await this.enterprises.assertInScope(id, scope);
    return this.enterprises.planDiff(id, versionParam(from, 'from')!, versionParam(to, 'to')!);
  }

  /** Replaces the plan with a new version; the response lists accepted warnings. */
  @Put(':id/plan')
  @Roles('ADMIN')
  @ApiOperation({ summary: '保存企业减排方案(新版本)' })
  @ApiOkResponse({ type: PlanViewDto })
  @ApiErrors(400, 401, 403, 404, 409, 422)
  putPlan(@Param('id') id: string, @Body() body: PlanDto, @RequestActor() actor: Actor): Promise<PlanView> {
    return this.enterprises.putPlan(id, body, actor);
  }
}
