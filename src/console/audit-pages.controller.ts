import { Controller, Get, Query, Render } from '@nestjs/common';
import { AlertViewsService } from '../alerts/alert-views.service';
import { AUDIT_ACTIONS, auditActionLabel } from '../audit/audit-actions';
import { AuditQueryService } from '../audit/audit-query.service';
import { AuditService } from '../audit/audit.service';
import { AuditQueryDto } from '../audit/dto/audit-query.dto';
import { Roles } from '../auth/auth.decorators';
import { ConsolePages } from './console-page.decorator';
import { shanghaiIso } from '../common/time';
import { validated } from './console-forms';

/** The filter's suggestions: every catalogued action, code and label. */
const AUDIT_ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).map(([code, { label }]) => ({ code, label }));

const FILTERS = ['actor', 'action', 'subjectType', 'subjectId', 'alertId', 'after'] as const;

/** Auditors: the filtered log, the chain check, the CSV export and each warning's evidence bundle. */
@ConsolePages()
@Controller('audit')
export class AuditPagesController {
  constructor(
    private readonly query: AuditQueryService,
    private readonly audit: AuditService,
    private readonly alerts: AlertViewsService,
  ) {}

  @Get()
  @Roles('AUDITOR', 'ADMIN')
  @Render('pages/audit')
  async log(@Query() raw: Record<string, string>): Promise<object> {
    const plain: Record<string, unknown> = { limit: 100 };
    for (const key of FILTERS) if (raw[key]) plain[key] = raw[key];
    if (raw.from) plain.from = shanghaiIso(raw.from);
    if (raw.to) plain.to = shanghaiIso(raw.to);
    const q = validated(AuditQueryDto, plain);
    const [page, alerts] = await Promise.all([this.query.list(q), this.alerts.list()]);
    const exportQuery = new URLSearchParams(
      Object.entries(plain).filter(([k]) => k !== 'limit' && k !== 'after') as Array<[string, string]>,
    ).toString();
    const nextQuery = page.nextAfter
      ? new URLSearchParams({
          ...Object.fromEntries(Object.entries(raw).filter(([k]) => k !== 'after')),
          after: page.nextAfter,
        }).toString()
      : null;
    return {
      title: '审计日志',
      items: page.items.map((e) => ({
        ...e,
        actionLabel: auditActionLabel(e.action),
        dataText: JSON.stringify(e.data),
      })),
      actions: AUDIT_ACTION_OPTIONS,
      filters: raw,
      exportHref: `/api/audit/export${exportQuery ? `?${exportQuery}` : ''}`,
      nextHref: nextQuery ? `/audit?${nextQuery}` : null,
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
