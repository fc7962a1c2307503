import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { SignedIn } from '../auth/auth.decorators';
import { DomainError } from '../common/errors/domain-error';
import { PageQueryDto } from '../common/http/page-query.dto';
import type { Acknowledgement, Assessment, SilentEnterprise } from './assessment.rules';
import { type AssessmentPage, AssessmentService, JSON_LIST_LIMIT } from './assessment.service';
import { ApiErrors, ApiFileResponse } from '../common/http/api-docs.decorators';

/** The exports carry the whole lists. */
const ALL = { listLimit: null };

/** 总结评估: who received, confirmed and carried out a warning's orders, on time or not, and the reduction achieved. */
@ApiTags('alerts')
@Controller('api/alerts')
export class AssessmentController {
  constructor(private readonly assessments: AssessmentService) {}

  /** JSON by default; `?format=csv` gives the CSV download, `?format=xlsx` the workbook (one sheet per table). */
  @Get(':id/assessment')
  @SignedIn()
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiOperation({ summary: '预警效果评估' })
  @ApiOkResponse({ description: '成功' })
  @ApiErrors(401, 404, 422)
  async assess(
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
    @Query('format') format?: string,
  ): Promise<Assessment | undefined> {
    if (format !== undefined && format !== 'json' && format !== 'csv' && format !== 'xlsx') {
      throw DomainError.validation([{ field: 'format', message: '格式应为 json、csv 或 xlsx' }]);
    }
    if (format === 'csv') await this.sendCsv(await this.assessments.assess(id, ALL), res);
    else if (format === 'xlsx') await this.sendXlsx(await this.assessments.assess(id, ALL), res);
    else return this.assessments.assess(id, { listLimit: JSON_LIST_LIMIT });
  }

  /** Every enterprise that never confirmed nor reported, a page at a time, in the assessment's order. */
  @Get(':id/assessment/never-responded')
  @SignedIn()
  @ApiOperation({ summary: '始终未响应的企业(分页)' })
  @ApiOkResponse({ description: '{items, total, page, pageSize}' })
  @ApiErrors(401, 404, 422)
  neverResponded(
    @Param('id') id: string,
    @Query() q: PageQueryDto,
  ): Promise<AssessmentPage<SilentEnterprise>> {
    return this.assessments.neverRespondedPage(id, q.page ?? 1, q.pageSize ?? 50);
  }

  /** Every answered order with its signer and reporter, a page at a time, in the assessment's order. */
  @Get(':id/assessment/acknowledgements')
  @SignedIn()
  @ApiOperation({ summary: '签收与落实报告(分页)' })
  @ApiOkResponse({ description: '{items, total, page, pageSize}' })
  @ApiErrors(401, 404, 422)
  acknowledgements(
    @Param('id') id: string,
    @Query() q: PageQueryDto,
  ): Promise<AssessmentPage<Acknowledgement>> {
    return this.assessments.acknowledgementsPage(id, q.page ?? 1, q.pageSize ?? 50);
  }

  /** The tidy form: one sheet per table, numbers and times as typed cells. */
  @Get(':id/assessment.xlsx')
  @SignedIn()
  @ApiOperation({ summary: '导出效果评估 Excel(每张表一个工作表)' })
  @ApiFileResponse('效果评估 XLSX', 'xlsx')
  @ApiErrors(401, 404)
  async xlsx(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.sendXlsx(await this.assessments.assess(id, ALL), res);
  }

  @Get(':id/assessment.csv')
  @SignedIn()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: '导出效果评估 CSV' })
  @ApiFileResponse('效果评估 CSV', 'csv')
  @ApiErrors(401, 404)
  async csv(@Param('id') id: string, @Res() res: Response): Promise<void> {
    await this.sendCsv(await this.assessments.assess(id, ALL), res);
  }

  private async sendXlsx(assessment: Assessment, res: Response): Promise<void> {
    const buffer = await this.assessments.xlsx(assessment);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', attachment(assessment, 'xlsx'));
    res.end(buffer);
  }

  private async sendCsv(assessment: Assessment, res: Response): Promise<void> {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', attachment(assessment, 'csv'));
    await this.assessments.writeCsv(assessment, res);
  }
}

/** The download's names: ASCII for old clients, the Chinese one (预警…总结评估) for the rest. */
const attachment = (assessment: Assessment, ext: 'csv' | 'xlsx'): string =>
  `attachment; filename="assessment-${assessment.alert.code}.${ext}"; filename*=UTF-8''${encodeURIComponent(
    `预警${assessment.alert.code}总结评估.${ext}`,
  )}`;
