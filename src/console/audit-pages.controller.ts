import { Controller, Get, Query, Render } from '@nestjs/common';
import { AlertViewsService } from '../alerts/alert-views.service';
import { AUDIT_ACTIONS, isAuditAction } from '../audit/audit-actions';
import { AuditQueryService } from '../audit/audit-query.service';
import { AuditService } from '../audit/audit.service';
import { AuditQueryDto } from '../audit/dto/audit-query.dto';
import { Roles } from '../auth/auth.decorators';
import { ConsolePages } from './console-page.decorator';
import { UsersService } from '../auth/users.service';
import { actorFilter, actorOptions, auditRowView, beijingDayRange } from './audit-view.rules';
import { validated } from './console-forms';

/** The action select: every catalogued action by its label. */
const AUDIT_ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).map(([code, { label }]) => ({ code, label }));

/** Passed to the API as they come; the actor and the dates are read first (see audit-view.rules). */
const FILTERS = ['action', 'subjectType', 'subjectId', 'alertId', 'warning', 'enterprise', 'after'] as const;

/** Auditors: the filtered log, the chain check, the CSV export and each warning's evidence bundle. */
@ConsolePages()
@Controller('audit')
export class AuditPagesController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly audit: AuditService,
    private readonly alerts: AlertViewsService,
    private readonly users: UsersService,
  ) {}

  /** Newest first; the filters stay in the URL, and the next page's link keeps them. */
  @Get()
  @Roles('AUDITOR', 'ADMIN')
  @Render('pages/audit')
  async log(@Query() raw: Record<string, string>): Promise<object> {
    const plain: Record<string, unknown> = {};
    for (const key of FILTERS)
      if (typeof raw[key] === 'string' && raw[key].trim()) plain[key] = raw[key].trim();
    Object.assign(plain, actorFilter(raw.actor), beijingDayRange(raw.from, raw.to));
    const q = validated(AuditQueryDto, { ...plain, order: 'desc', limit: 100 });
    const [page, alerts, users] = await Promise.all([
      this.query.list(q),
      this.alerts.list(),
      this.users.list(),
    ]);
    const names = await this.query.names(page.items);
    const exportQuery = new URLSearchParams(
      Object.entries(plain).filter(([k]) => k !== 'after') as Array<[string, string]>,
    ).toString();
    const kept = Object.entries(raw).filter(
      (kv): kv is [string, string] => kv[0] !== 'after' && typeof kv[1] === 'string' && kv[1] !== '',
    );
    const nextQuery = page.nextAfter
      ? new URLSearchParams([...kept, ['after', page.nextAfter]]).toString()
      : null;
    const filtered = kept.length > 0;
    return {
      title: '审计日志',
      items: page.items.map((e) => auditRowView(e, names.get(e.id)!)),
      actions: AUDIT_ACTION_OPTIONS.map((a) => ({ ...a, selected: a.code === raw.action })),
      // An action typed into the URL (a prefix such as "alert.") that the select does not list.
      otherAction: raw.action && !isAuditAction(raw.action) ? raw.action : null,
      actors: actorOptions(users, raw.actor),
      filters: raw,
      filtered,
      exportHref: `/api/audit/export${exportQuery ? `?${exportQuery}` : ''}`,
      nextHref: nextQuery ? `/audit?${nextQuery}` : null,
      firstHref: raw.after ? `/audit${kept.length ? `?${new URLSearchParams(kept).toString()}` : ''}` : null,
      alerts,
    };
  }

  /** Recomputes the whole chain; read-only, so a plain GET. */
  @Get('verify')
  @Roles('AUDITOR', 'ADMIN')
  @Render('pages/audit-verify')
  async verify(): Promise<object> {
    const started = Date.now();
    const result = await this.audit.verify();
    return { title: '审计日志校验', result, ms: Date.now() - started };
  }
}
