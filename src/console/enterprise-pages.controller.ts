import { type CountyScope, inCountyScope } from '../auth/county-scope';
import {
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Render,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Response } from 'express';
import type { Actor } from '../audit/actor';
import { CallerScope, OpenToCounties, RequestActor, Roles, SignedIn } from '../auth/auth.decorators';
import { DomainError, FieldError } from '../common/errors/domain-error';
import { AdequacyService } from '../enterprises/adequacy.service';
import { EnterpriseQueryDto, PlanDto } from '../enterprises/dto/enterprise.dto';
import {
  ACTION_NAMES,
  GRADE_NAMES,
  GRADES,
  MEASURE_ACTIONS,
  type MeasureInput,
  VERIFICATION_METHODS,
  VERIFICATION_NAMES,
} from '../enterprises/enterprise.types';
import { UPLOAD_HARD_LIMIT } from '../enterprises/enterprises.controller';
import { EnterprisesService } from '../enterprises/enterprises.service';
import { ImportPreviewService, type StagedPreview } from '../enterprises/import-preview.service';
import { ReductionListService } from '../enterprises/reduction-list.service';
import { RegionsService } from '../regions/regions.service';
import { POLLUTANTS } from '../rulesets/ruleset.types';
import { RulesetsService } from '../rulesets/rulesets.service';
import { MeteringPointsService } from '../telemetry/metering-points.service';
import { StandingConditionsService } from '../standing-conditions/standing-conditions.service';
import { EnterpriseYearService } from '../campaigns/enterprise-year.service';
import { LIMIT_KEYS, LIMIT_NAMES } from '../standing-conditions/standing-condition.rules';
import { formatTime } from '../common/time';
import { ConsolePages } from './console-page.decorator';
import { FormBody, formErrors, one, validated } from './console-forms';
import { adequacySummary } from './adequacy-summary.rules';
import { importPreviewView } from './import-preview.view';
import { adequacyBars } from './console-view.rules';
import { yearCard } from './campaign-view.rules';
import { INDUSTRY_NAMES } from './console-helpers';
import {
  blankRow,
  editorRows,
  isSkipped,
  mergeErrors,
  placeError,
  planFromRows,
  POLLUTANT_NAMES,
  type PlanRow,
  rowFromMeasure,
  rowsFromBody,
} from './plan.form';
import { versionParam } from '../enterprises/plan-diff.rules';
import { planDiffView, versionRows } from './plan-diff.view';

const round = (v: number) => Math.round(v * 10) / 10;

/** A condition's limits in words: 颗粒物 5、二氧化硫 15 mg/m³. */
function standingLimitsText(limits: Record<'so2' | 'nox' | 'pm' | 'vocs', number | null>): string {
  const parts = LIMIT_KEYS.filter((k) => limits[k] !== null).map((k) => `${LIMIT_NAMES[k]} ${limits[k]}`);
  return `${parts.join('、')} mg/m³`;
}

/** Empty rows an editor for a plan without measures starts with (one more after existing measures). */
const BLANK_ROWS = 3;
const LEVELS = ['BLUE', 'YELLOW', 'ORANGE', 'RED'];

@ConsolePages()
@Controller()
export class EnterprisePagesController {
  constructor(
    private readonly enterprises: EnterprisesService,
    private readonly reductionList: ReductionListService,
    private readonly previews: ImportPreviewService,
    private readonly adequacy: AdequacyService,
    private readonly regions: RegionsService,
    private readonly rulesets: RulesetsService,
    private readonly meteringPoints: MeteringPointsService,
    private readonly standingConditions: StandingConditionsService,
    private readonly enterpriseYear: EnterpriseYearService,
  ) {}

  @Get('enterprises')
  @SignedIn()
  @OpenToCounties()
  @Render('pages/enterprises')
  async list(@Query() query: Record<string, string>, @CallerScope() scope: CountyScope): Promise<object> {
    const q = validated(EnterpriseQueryDto, {
      ...(query.q ? { q: query.q } : {}),
      ...(query.countyCode ? { countyCode: query.countyCode } : {}),
      ...(query.grade ? { grade: query.grade } : {}),
      ...(/^\d+$/.test(query.page ?? '') ? { page: query.page } : {}),
      pageSize: 50,
    });
    const [result, allCounties] = await Promise.all([
      this.enterprises.search(q, scope),
      this.regions.listCounties(),
    ]);
    // A county officer's filter offers their own counties only.
    const counties = allCounties.filter((c) => inCountyScope(scope, c.code));
    const names = Object.fromEntries(counties.map((c) => [c.code, c.name]));
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const link = (page: number) =>
      `/enterprises?${new URLSearchParams({ q: query.q ?? '', countyCode: query.countyCode ?? '', grade: query.grade ?? '', page: String(page) }).toString()}`;
    return {
      title: '企业',
      items: result.items.map((e) => ({ ...e, countyName: names[e.countyCode] ?? e.countyCode })),
      total: result.total,
      page: result.page,
      pages,
      prev: result.page > 1 ? link(result.page - 1) : null,
      next: result.page < pages ? link(result.page + 1) : null,
      query,
      counties,
      grades: GRADES.map((g) => ({ code: g, name: GRADE_NAMES[g] })),
    };
  }

  @Get('enterprises/import')
  @Roles('ADMIN')
  @Render('pages/enterprise-import')
  async importForm(@Query() query: Record<string, string>): Promise<object> {
    // After an upload: its counts and the warnings by row (the rows were imported; the warnings ask for a look).
    const done = query.importId ? await this.reductionList.importRecord(query.importId) : null;
    // A confirmed file identical to what was stored wrote nothing, not even an import record.
    const unchanged = /^\d{1,9}$/.test(query.unchanged ?? '') ? Number(query.unchanged) : null;
    return { title: '导入减排清单', done, unchanged };
  }

  /** Step 1: the upload is checked and previewed (what would be added, updated, left alone); nothing imported. */
  @Post('enterprises/import')
  @Roles('ADMIN')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: UPLOAD_HARD_LIMIT, files: 1, fields: 5 } }))
  async import(
    @UploadedFile() file: Express.Multer.File | undefined,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    try {
      if (!file)
        throw DomainError.validation([{ field: 'file', message: '请选择要上传的 .xlsx 或 .csv 文件' }]);
      await this.renderPreview(res, await this.previews.stage(file, actor));
    } catch (e) {
      this.renderImportError(res, e);
    }
  }

  /** Step 2: 确认导入 imports the previewed file, only if the import would still do what the preview showed. */
  @Post('enterprises/import/confirm')
  @Roles('ADMIN')
  async confirmImport(
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const token = one(body, 'token') ?? '';
    try {
      const r = await this.previews.confirm(token, actor);
      res.redirect(
        303,
        r.importId
          ? `/enterprises/import?importId=${encodeURIComponent(r.importId)}`
          : `/enterprises/import?unchanged=${r.unchanged}`,
      );
    } catch (e) {
      if (e instanceof DomainError && e.code === 'IMPORT_PREVIEW_STALE') {
        // Refused, and previewed again against what is stored now: the person confirms what they see.
        try {
          const again = await this.previews.restage(token, actor);
          await this.renderPreview(res, again, e.message, 409);
          return;
        } catch (inner) {
          this.renderImportError(res, inner);
          return;
        }
      }
      this.renderImportError(res, e);
    }
  }

  private async renderPreview(
    res: Response,
    staged: StagedPreview,
    stale?: string,
    status = 200,
  ): Promise<void> {
    const counties = await this.regions.listCounties();
    // A preview with row errors answers 422, like the API's refusal: nothing can be imported from it.
    res.status(staged.preview.errorCount > 0 ? 422 : status).render('pages/enterprise-import-preview', {
      title: '导入预览',
      token: staged.token,
      stale,
      ...importPreviewView(staged.preview, Object.fromEntries(counties.map((c) => [c.code, c.name]))),
    });
  }

  private renderImportError(res: Response, e: unknown): void {
    const f = formErrors(e);
    const rows = ((e as DomainError).body?.errors as FieldError[] | undefined) ?? f.all;
    res.status(f.status).render('pages/enterprise-import', {
      title: '导入减排清单',
      error: f.message,
      // A file-level refusal (wrong type, empty, expired preview) is the message itself; no table of one row.
      rows: rows.filter((r) => r.row !== undefined).slice(0, 200),
      more: Math.max(0, rows.length - 200),
    });
  }

  @Get('enterprises/:id')
  @SignedIn()
  @OpenToCounties()
  @Render('pages/enterprise')
  async detail(
    @Param('id') id: string,
    @CallerScope() scope: CountyScope,
    @Query('saved') saved?: string,
  ): Promise<object> {
    await this.enterprises.assertInScope(id, scope);
    const [e, plan, versions, counties, meteringPoints, conditions, findings, year] = await Promise.all([
      this.enterprises.get(id),
      this.enterprises.getPlan(id),
      this.enterprises.planVersions(id),
      this.regions.listCounties(),
      this.meteringPoints.list(id),
      this.standingConditions.list(id, scope),
      this.standingConditions.findings({ enterprise: id, pageSize: 10 }, scope),
      this.enterpriseYear.of(id, scope),
    ]);
    return {
      title: e.name,
      enterprise: e,
      countyName: counties.find((c) => c.code === e.countyCode)?.name ?? e.countyCode,
      gradeName: GRADE_NAMES[e.grade],
      plan,
      // After saving in the editor (?saved=<version>): said only for a version that exists.
      saved:
        /^\d+$/.test(saved ?? '') && versions.some((v) => v.version === Number(saved)) ? Number(saved) : null,
      versions: versionRows(versions),
      byLevel: LEVELS.map((level) => ({
        level,
        measures: plan.measures.filter((m) => m.level === level),
      })).filter((l) => l.measures.length > 0),
      actionNames: ACTION_NAMES,
      verificationNames: VERIFICATION_NAMES,
      meteringPoints,
      standingConditions: conditions.map((c) => ({
        ...c,
        limitsText: standingLimitsText(c.limits),
      })),
      standingFindings: findings.items.map((f) => ({
        ...f,
        span: `${formatTime(f.fromAt)} 至 ${formatTime(f.toAt)}`,
        observed:
          f.observedMax === null
            ? '无数据'
            : `峰值 ${round(f.observedMax)} / 均值 ${round(f.observedAvg ?? 0)} mg/m³`,
      })),
      standingFindingsTotal: findings.total,
      // 全年管控 (issue 18): the seasonal controls and the warnings' stricter treatment, and this year's warnings.
      year: yearCard(year, (code) => INDUSTRY_NAMES[code] ?? code),
    };
  }

  @Get('enterprises/:id/plan')
  @Roles('ADMIN')
  async planForm(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const plan = await this.enterprises.getPlan(id);
    await this.renderPlanForm(res, id, 200, plan.measures.map(rowFromMeasure));
  }

  /**
   * Saves the editor's rows through the same PUT plan call as the API. Errors of the form's own inputs and of the
   * plan's checks are shown together, each on its row and input, with every value as typed.
   */
  @Post('enterprises/:id/plan')
  @Roles('ADMIN')
  async savePlan(
    @Param('id') id: string,
    @Body() body: FormBody,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const rowCount = Math.min(Number(body.rowCount ?? 0) || 0, 400);
    const rows = rowsFromBody(body, rowCount).filter((r) => !isSkipped(r));
    const form = planFromRows(rows);
    try {
      if (form.errors.length) {
        const checks = await this.enterprises.checkPlanDraft(
          id,
          form.plain.measures as unknown as MeasureInput[],
        );
        throw DomainError.validation(mergeErrors(form.errors, checks));
      }
      const saved = await this.enterprises.putPlan(id, validated(PlanDto, form.plain), actor);
      res.redirect(303, `/enterprises/${id}?saved=${saved.version}`);
    } catch (e) {
      const errors = formErrors(e);
      await this.renderPlanForm(res, id, errors.status, rows, errors);
    }
  }

  /** Two versions of the plan side by side: measures added, removed and changed field by field, by level. */
  @Get('enterprises/:id/plan/diff')
  @SignedIn()
  @Render('pages/plan-diff')
  async planDiff(
    @Param('id') id: string,
    @Query('from') fromText?: string,
    @Query('to') toText?: string,
  ): Promise<object> {
    const [e, versions] = await Promise.all([this.enterprises.get(id), this.enterprises.planVersions(id)]);
    const base = { title: `方案版本对比:${e.name}`, enterprise: e, versions: versionRows(versions) };
    // Without a choice: the current version against the one before it.
    const to = versionParam(toText, 'to', versions[0]?.version ?? null);
    const from = versionParam(fromText, 'from', versions.find((v) => v.version < (to ?? 0))?.version ?? null);
    if (from === null || to === null) return { ...base, tooFew: true };
    const diff = await this.enterprises.planDiff(id, from, to);
    return { ...base, from, to, diff: planDiffView(diff), same: from === to };
  }

  @Get('adequacy')
  @SignedIn()
  @Render('pages/adequacy')
  async adequacyReport(
    @Query('countyCode') countyCode?: string,
    @Query('rulesetId') rulesetId?: string,
  ): Promise<object> {
    const [report, counties, rulesets] = await Promise.all([
      this.adequacy.report({ countyCode: countyCode || undefined, rulesetId: rulesetId || undefined }),
      this.regions.listCounties(),
      this.rulesets.list(),
    ]);
    const area = (a: typeof report.city) => ({
      ...a,
      levels: a.levels.map((l) => ({ ...l, pollutants: adequacyBars(l.pollutants) })),
    });
    const countyNames = new Map(counties.map((c) => [c.code, c.name]));
    return {
      title: '减排清单达标核算',
      report: { ...report, city: area(report.city), counties: report.counties.map(area) },
      summary: adequacySummary([report.city, ...report.counties]),
      planChecks: {
        ...report.planChecks,
        enterprises: report.planChecks.enterprises.map((e) => ({
          ...e,
          countyName: countyNames.get(e.countyCode) ?? e.countyCode,
          gradeName: GRADE_NAMES[e.grade],
        })),
      },
      counties,
      countyCode: countyCode ?? '',
      // Any version can be checked, one with per-pollutant ratios or one not yet in effect included.
      rulesets: rulesets.map((r) => ({ id: r.id, name: r.name })),
      rulesetId: report.ruleset.id,
    };
  }

  private async renderPlanForm(
    res: Response,
    id: string,
    status: number,
    rows: PlanRow[],
    errors?: ReturnType<typeof formErrors>,
  ): Promise<void> {
    const [e, levels] = await Promise.all([this.enterprises.get(id), this.enterprises.currentLevels()]);
    const placed = (errors?.all ?? []).map(placeError);
    const all = [...rows, ...Array.from({ length: rows.length ? 1 : BLANK_ROWS }, blankRow)];
    res.status(status).render('pages/plan-form', {
      title: `编辑一企一策:${e.name}`,
      enterprise: e,
      rows: editorRows(all, levels, placed),
      // The script copies this row for 添加措施 (its index set to rowCount, then rowCount goes up).
      template: { ...editorRows([blankRow()], levels)[0], index: '__i__', number: '' },
      rowCount: all.length,
      lines: e.lines,
      actions: MEASURE_ACTIONS.map((a) => ({ code: a, name: ACTION_NAMES[a] })),
      verifications: VERIFICATION_METHODS.map((v) => ({ code: v, name: VERIFICATION_NAMES[v] })),
      pollutants: POLLUTANTS.map((p) => ({ code: p, name: POLLUTANT_NAMES[p] })),
      errors: errors && { message: errors.message, lines: placed.map((p) => p.text) },
    });
  }
}
