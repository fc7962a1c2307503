import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AlertViewsService } from '../alerts/alert-views.service';
import type { Actor } from '../audit/actor';
import { type AuthedRequest, CallerScope, RequestActor, Roles } from '../auth/auth.decorators';
import { type CountyScope, inCountyScope } from '../auth/county-scope';
import { DomainError } from '../common/errors/domain-error';
import { DiscrepanciesService } from '../reconciliation/discrepancies.service';
import { ReviewDiscrepancyDto } from '../reconciliation/dto/discrepancy.dto';
import { RegionsService } from '../regions/regions.service';
import { ConsolePages } from './console-page.decorator';
import { type FormBody, formErrors, one, validated } from './console-forms';
import {
  DISCREPANCY_READERS,
  DISCREPANCY_REVIEWERS,
  filterOptions,
  type QueueFilters,
  queueFilters,
  queueQuery,
  queueQueryString,
  queueRow,
} from './discrepancy-view.rules';

/** What a redirect's ?msg= may say; anything else shows nothing. */
const FLASH: Record<string, string> = { reviewed: '核实结果已保存。' };

/** The warnings offered in the queue's 预警 filter (the newest first). */
const ALERTS_OFFERED = 50;

interface Failed {
  id: string;
  errors: ReturnType<typeof formErrors>;
  values: FormBody;
}

const queueHref = (f: QueueFilters, page?: number) => {
  const qs = queueQueryString(f, page);
  return `/discrepancies${qs ? `?${qs}` : ''}`;
};

/**
 * 监测核查 (issue 17): the discrepancy queue (50 a page, filters in the URL), one finding's page, and the officers'
 * review form. County officers see and review their counties' findings only (another county's is not found);
 * auditors read.
 */
@ConsolePages()
@Controller('discrepancies')
export class DiscrepancyPagesController {
  constructor(
    private readonly discrepancies: DiscrepanciesService,
    private readonly alerts: AlertViewsService,
    private readonly regions: RegionsService,
  ) {}

  @Get()
  @Roles(...DISCREPANCY_READERS)
  async queue(
    @Query() query: Record<string, string>,
    @CallerScope() scope: CountyScope,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderQueue(res, queueFilters(query), scope, 200, FLASH[query.msg ?? ''] ?? null);
  }

  @Get(':id')
  @Roles(...DISCREPANCY_READERS)
  async detail(
    @Param('id') id: string,
    @Query() query: Record<string, string>,
    @CallerScope() scope: CountyScope,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderDetail(res, id, queueFilters(query), scope, 200);
  }

  /** 核实: confirmed, or explained with the reason; back to the queue with its filters, or the form again with the message. */
  @Post(':id/review')
  @Roles(...DISCREPANCY_REVIEWERS)
  async review(
    @Param('id') id: string,
    @Body() body: FormBody,
    @Query() query: Record<string, string>,
    @CallerScope() scope: CountyScope,
    @RequestActor() actor: Actor,
    @Res() res: Response,
  ): Promise<void> {
    const filters = queueFilters(query);
    // Another county's finding (or none) is the not-found page, as in the API: never a form that tells it exists.
    await this.discrepancies.get(id, scope);
    try {
      const outcome = one(body, 'outcome');
      if (!outcome) throw DomainError.validation([{ field: 'outcome', message: '结果:请选择核实结果' }]);
      const note = one(body, 'note');
      const input = validated(ReviewDiscrepancyDto, { outcome, ...(note ? { note } : {}) });
      await this.discrepancies.review(id, input, scope, actor);
      const qs = queueQueryString(filters);
      res.redirect(303, `/discrepancies?${qs ? `${qs}&` : ''}msg=reviewed#discrepancy-${id}`);
    } catch (e) {
      const failed = { id, errors: formErrors(e), values: body };
      if (one(body, 'from') === 'detail')
        await this.renderDetail(res, id, filters, scope, failed.errors.status, failed);
      else await this.renderQueue(res, filters, scope, failed.errors.status, null, failed);
    }
  }

  private canReview(res: Response): boolean {
    const user = (res.req as AuthedRequest).user!;
    return user.roles.some((r) => DISCREPANCY_REVIEWERS.includes(r));
  }

  private async renderQueue(
    res: Response,
    filters: QueueFilters,
    scope: CountyScope,
    status: number,
    flash: string | null,
    failed?: Failed,
  ): Promise<void> {
    const canReview = this.canReview(res);
    const [result, counties, alerts] = await Promise.all([
      this.discrepancies.page(queueQuery(filters), scope),
      this.regions.listCounties(),
      this.alerts.list(),
    ]);
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    // A county officer's filters offer their own counties and the warnings that reach them only.
    const offered = alerts.filter((a) => a.countyCodes.some((c) => inCountyScope(scope, c)));
    const shown = offered.slice(0, ALERTS_OFFERED);
    const chosen = offered.find((a) => a.id === filters.alert);
    if (chosen && !shown.includes(chosen)) shown.push(chosen);
    const items = result.items.map((d) => ({
      ...queueRow(d, canReview),
      failed: failed?.id === d.id ? failed : null,
    }));
    res.status(status).render('pages/discrepancies', {
      title: '监测核查',
      items,
      total: result.total,
      page: result.page,
      pages,
      prev: result.page > 1 ? queueHref(filters, result.page - 1) : null,
      next: result.page < pages ? queueHref(filters, result.page + 1) : null,
      filtered: queueQueryString(filters, 1) !== '',
      queryString: queueQueryString(filters),
      counties: counties
        .filter((c) => inCountyScope(scope, c.code))
        .map((c) => ({ code: c.code, name: c.name, selected: c.code === filters.county })),
      alerts: shown.map((a) => ({
        id: a.id,
        label: `${a.code} · ${a.levelName}预警`,
        selected: a.id === filters.alert,
      })),
      options: filterOptions(filters),
      canReview,
      flash,
      // A failed review whose form is not on this page (another page, a filter, reviewed meanwhile) still says why.
      reviewError: failed && !items.some((i) => i.failed && i.reviewable) ? failed.errors : null,
    });
  }

  private async renderDetail(
    res: Response,
    id: string,
    filters: QueueFilters,
    scope: CountyScope,
    status: number,
    failed?: Failed,
  ): Promise<void> {
    const d = await this.discrepancies.get(id, scope);
    const row = queueRow(d, this.canReview(res));
    res.status(status).render('pages/discrepancy', {
      title: `监测核查 ${d.enterpriseName}`,
      d: { ...row, failed: failed ?? null },
      queryString: queueQueryString(filters),
      // Back to the queue as it was left, else to this warning's findings.
      backHref: queueQueryString(filters) ? queueHref(filters) : queueHref({ page: 1, alert: d.alertId }),
      options: filterOptions(filters),
    });
  }
}
