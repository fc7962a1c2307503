/// <reference types="multer" />
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Req,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-docs.decorators';
import type { Actor } from '../audit/actor';
import { Public, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { CreateSourceDto, MeteringPointsDto } from './dto/telemetry.dto';
import { type MeteringPointView, MeteringPointsService } from './metering-points.service';
import { type FileIngestResult, type IngestResult, ReadingsService } from './readings.service';
import { TelemetryKey, TelemetryKeyGuard, type TelemetryRequest } from './telemetry-key.guard';
import { type SourceView, TelemetrySourcesService } from './telemetry-sources.service';

/** Multer's own cap, above TELEMETRY_IMPORT_MAX_MB, so the service can answer with the limit. */
const UPLOAD_HARD_LIMIT = 1024 * 1024 * 1024;

/** Telemetry in (issue 17): metering points, sources and their keys, readings by push and by file. */
@ApiTags('telemetry')
@Controller('api')
@UseGuards(TelemetryKeyGuard)
export class TelemetryController {
  constructor(
    private readonly points: MeteringPointsService,
    private readonly sources: TelemetrySourcesService,
    private readonly readings: ReadingsService,
  ) {}

  /** The enterprise's metering points (lines' power, outlets' CEMS). */
  @Get('enterprises/:id/metering-points')
  @SignedIn()
  @ApiOperation({ summary: '企业计量点' })
  @ApiErrors(401, 403, 404)
  @ApiOkResponse({ description: '计量点' })
  listPoints(@Param('id') id: string): Promise<MeteringPointView[]> {
    return this.points.list(id);
  }

  /** Replaces the enterprise's metering points; audited as `telemetry.points.replaced`. */
  @Put('enterprises/:id/metering-points')
  @Roles('ADMIN')
  @ApiOperation({ summary: '设置企业计量点' })
  @ApiErrors(401, 403, 404, 422)
  @ApiOkResponse({ description: '计量点' })
  replacePoints(
    @Param('id') id: string,
    @Body() body: MeteringPointsDto,
    @RequestActor() actor: Actor,
  ): Promise<MeteringPointView[]> {
    return this.points.replace(id, body, actor);
  }

  /** A new source; the answer carries its key, once (only its sha256 is kept). */
  @Post('telemetry/sources')
  @Roles('ADMIN')
  @ApiOperation({ summary: '新建监测数据源(密钥只显示一次)' })
  @ApiErrors(401, 403, 422)
  @ApiCreatedResponse({ description: '数据源与密钥' })
  createSource(
    @Body() body: CreateSourceDto,
    @RequestActor() actor: Actor,
  ): Promise<SourceView & { key: string }> {
    return this.sources.create(body, actor);
  }

  /** The sources, without keys (the prefix tells them apart). */
  @Get('telemetry/sources')
  @Roles('ADMIN')
  @ApiOperation({ summary: '监测数据源列表' })
  @ApiErrors(401, 403)
  @ApiOkResponse({ description: '数据源(不含密钥)' })
  listSources(): Promise<SourceView[]> {
    return this.sources.list();
  }

  /** Revokes the source's key at once. */
  @Post('telemetry/sources/:id/revoke')
  @Roles('ADMIN')
  @ApiOperation({ summary: '吊销监测数据源密钥' })
  @ApiErrors(401, 403, 404, 409)
  @ApiOkResponse({ description: '已吊销的数据源' })
  @HttpCode(200)
  revokeSource(@Param('id') id: string, @RequestActor() actor: Actor): Promise<SourceView> {
    return this.sources.revoke(id, actor);
  }

  /**
   * Push of readings by a metering platform, with its source key (not a session). Always 200 when the body is a
   * list of at most 10,000: `{accepted, duplicates, rejected: [{index, field, reason}]}`; good readings are kept.
   */
  @Post('telemetry/readings')
  @Public()
  @ApiOperation({ summary: '推送监测读数' })
  @ApiErrors(401, 413, 422)
  @ApiOkResponse({ description: '接收、重复与拒收的读数' })
  @TelemetryKey()
  @HttpCode(200)
  @ApiBearerAuth()
  push(@Body() body: Record<string, unknown>, @Req() req: TelemetryRequest): Promise<IngestResult> {
    return this.readings.ingest(req.telemetrySource!, body);
  }

  /**
   * A CSV or XLSX of readings (信用代码, 计量点, 指标, 时间, 数值), with a source key, or by an administrator naming
   * the source in the form field `sourceId`. 200 `{rows, accepted, duplicates, rejectedCount, errors}`.
   */
  @Post('telemetry/readings/import')
  @Public()
  @ApiOperation({ summary: '上传监测读数文件' })
  @ApiErrors(400, 401, 403, 413, 422)
  @ApiOkResponse({ description: '逐行结果' })
  @TelemetryKey({ orRoles: ['ADMIN'] })
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiHeader({
    name: 'X-Requested-With',
    required: true,
    description: 'any non-empty value: a plain HTML form cannot send it (RequestOriginGuard)',
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        sourceId: { type: 'string', format: 'uuid' },
      },
    },
  })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: UPLOAD_HARD_LIMIT, files: 1, fields: 5 } }))
  async importFile(
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: TelemetryRequest,
    @RequestActor() actor: Actor,
  ): Promise<FileIngestResult> {
    const source =
      req.telemetrySource ??
      (await this.sources.forUpload((req.body as Record<string, unknown> | undefined)?.sourceId));
    if (!file)
      throw DomainError.validation([
        { field: 'file', message: '请上传 .xlsx 或 .csv 文件(表单字段名 file)' },
      ]);
    return this.readings.importFile(source, file, req.telemetrySource ? null : actor);
  }
}
