import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { RegionsService } from '../regions/regions.service';
import { atomFeed } from './atom.rules';
import { capMessage } from './cap.rules';
import {
  publicCountyStates,
  type ActiveWarning,
  type PublicCountyState,
  type ScheduledRevision,
} from './public-page.rules';
import type { PublicContext, PublicRevision } from './public-warning.types';

/** How many released revisions the Atom index lists (newest first); older messages stay reachable by id. */
export const FEED_SIZE = 200;

const REVISION_COLUMNS = `
  r.id AS "revisionId", r.alert_id AS "alertId", a.code AS "alertCode", r.seq, r.kind, r.level,
  r.county_codes AS "countyCodes", r.effective_at AS "effectiveAt", r.expected_end_at AS "expectedEndAt",
  r.reason, r.approved_at AS "approvedAt", r.document_number AS "documentNumber"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The public's view of the warnings (CAP 1.2 feed, public pages): released revisions only, and of them only what
 * the notices say in public (level, counties, times, reason, 文号); nothing about enterprises or people.
 */
@Injectable()
export class PublicWarningsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async context(): Promise<PublicContext> {
    const counties = await this.regions.listCounties();
    return {
      sender: `haze@${new URL(this.config.appUrl).hostname}`,
      senderName: this.config.documents.issuer,
      contact: `${this.config.dutyOffice.name} ${this.config.dutyOffice.phone}`,
      baseUrl: this.config.appUrl.replace(/\/+$/, ''),
      countyNames: new Map(counties.map((c) => [c.code, c.name])),
    };
  }

  async feed(): Promise<string> {
    const [ctx, revisions] = await Promise.all([
      this.context(),
      this.dataSource.query<PublicRevision[]>(
        `SELECT ${REVISION_COLUMNS} FROM alert_revision r JOIN alert a ON a.id = r.alert_id
         WHERE a.kind = 'WARNING'
         ORDER BY r.approved_at DESC, r.seq DESC LIMIT $1`,
        [FEED_SIZE],
      ),
    ]);
    return atomFeed(revisions, ctx, this.clock.now());
  }

  /** The CAP message of one released revision, referencing the warning's earlier ones. */
  async cap(revisionId: string): Promise<string> {
    if (!UUID.test(revisionId)) throw notFound();
    const [ctx, rows] = await Promise.all([
      this.context(),
      this.dataSource.query<PublicRevision[]>(
        `SELECT ${REVISION_COLUMNS} FROM alert_revision r JOIN alert a ON a.id = r.alert_id
         WHERE r.alert_id = (SELECT alert_id FROM alert_revision WHERE id = $1) AND a.kind = 'WARNING'
         ORDER BY r.seq`,
        [revisionId],
      ),
    ]);
    const i = rows.findIndex((r) => r.revisionId === revisionId);
    if (i < 0) throw notFound();
    return capMessage(rows[i], rows.slice(0, i), ctx);
  }

  /** Every county's warning in force and the released changes still to come. */
  async counties(): Promise<PublicCountyState[]> {
    const [counties, active, scheduled] = await Promise.all([
      this.regions.listCounties(),
      this.dataSource.query<ActiveWarning[]>(
        `SELECT code AS "alertCode", level, county_codes AS "countyCodes", effective_at AS "effectiveAt",
                expected_end_at AS "expectedEndAt"
         FROM alert WHERE status = 'ACTIVE' AND kind = 'WARNING'`,
      ),
      this.dataSource.query<ScheduledRevision[]>(
        `SELECT a.code AS "alertCode", r.kind, r.level, r.county_codes AS "countyCodes", r.effective_at AS "effectiveAt"
         FROM alert_revision r JOIN alert a ON a.id = r.alert_id
         WHERE r.applied_at IS NULL AND a.status IN ('ISSUED', 'ACTIVE') AND a.kind = 'WARNING'`,
      ),
    ]);
    return publicCountyStates(counties, active, scheduled);
  }

  async county(code: string): Promise<PublicCountyState> {
    const state = (await this.counties()).find((c) => c.code === code);
    if (!state) throw new DomainError('NOT_FOUND', `没有代码为“${code}”的区县`);
    return state;
  }
}

function notFound(): DomainError {
  return new DomainError('NOT_FOUND', '没有这条预警信息');
}
