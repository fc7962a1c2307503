import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DIRECTIVE_KIND_NAMES, type DirectiveKind } from '../directives/directive.rules';
import {
  buildNoticeDocument,
  type Contact,
  type NoticeDocument,
  type NoticeSource,
} from '../documents/notice-document';
import { duringWarningSentence } from '../campaigns/campaign.rules';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import { type Grade, GRADE_NAMES, VOLUNTARY_GRADES } from '../enterprises/enterprise.types';
import { orderDelta, orderMeasures } from '../orders/order.rules';
import { escalationSentence } from '../orders/escalation.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import type { NoticeRow } from './notice.composer';

/**
 * The columns of a notice row; the FROM and joins are shared by the message and the order forms, each ending with
 * DURING_WARNING_JOINS.
 */
const NOTICE_COLUMNS = `
  o.id AS order_id, o.notice_type, o.effective_at, o.receipt_due_at, o.report_due_at, o.measures,
  o.state AS order_state, o.level AS order_level, o.county_code, p.measures AS previous_measures,
  o.measure_level, o.escalated_by, o.grade_taken, o.reasons AS order_reasons, o.during_warning, a.campaign AS alert_campaign,
  dw.measures AS during_warning_measures, dwa.code AS during_warning_code, dwa.level AS during_warning_level,
  CASE WHEN dw.id IS NOT NULL THEN e.lines END AS enterprise_lines,
  e.name, e.credit_code, e.grade, e.protected_reason, e.protected_max_load,
  a.id AS alert_id, a.code AS alert_code, a.level AS alert_level, a.effective_at AS alert_start, a.expected_end_at,
  a.county_codes AS alert_county_codes, a.ruleset_id, a.directive_ids, a.expiry_document_number`;

/** A campaign's order written while a warning is in force: that warning's order and the warning (issue 18). */
const DURING_WARNING_JOINS = `
         LEFT JOIN reduction_order dw ON dw.id = o.during_warning_order_id
         LEFT JOIN alert dwa ON dwa.id = dw.alert_id`;

/**
 * What a campaign's notice says of the warning in force when its order was written (duringWarningSentence over the two
 * orders' measures and the enterprise's lines); null for an order under no warning.
 */
function duringWarningOf(row: NoticeRow, campaignName: string): string | null {
  if (!row.during_warning_code || !row.during_warning_level) return null;
  return duringWarningSentence(
    {
      code: row.during_warning_code,
      levelName: `${LEVEL_NAMES[row.during_warning_level]}预警`,
      measures: row.during_warning_measures ?? [],
    },
    row.measures ?? [],
    row.enterprise_lines ?? [],
    campaignName,
  );
}

/** A time from a message's context (an ISO string), else the fallback. */
function asDate(value: unknown, fallback: Date | null): Date | null {
  return typeof value === 'string' || value instanceof Date ? new Date(value) : fallback;
}

/** What a batch of notices shares: revisions, rulesets, directives, counties, consultations, loaded once each. */
interface Shared {
  revisions: Map<string, RevisionRow>;
  rulesets: Map<string, { name: string; consequence: string | null }>;
  directives: Map<string, { number: string; issuer: string; kind: DirectiveKind }>;
  counties: Map<
    string,
    { name: string; bureau_name: string | null; bureau_phone: string | null; bureau_email: string | null }
  >;
  consultations: Map<
    string,
    { held_at: Date; opinion: string; ruleset_name: string | null; ruleset_id: string }
  >;
}

interface RevisionRow {
  id: string;
  kind: string;
  level: WarningLevel;
  county_codes: string[];
  effective_at: Date;
  expected_end_at: Date | null;
  approved_at: Date;
  document_number: string | null;
  consultation_id: string | null;
  previous_level: WarningLevel | null;
}

/**
 * Loads what the notice documents of messages or orders say (src/documents/notice-document), a few statements per
 * batch whatever its size: the dispatcher for the emails, the ack, print and PDF pages for one order.
 */
@Injectable()
export class NoticeSourcesService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The rows of outbox messages (the dispatcher's batch). */
  loadMessages(ids: string[]): Promise<NoticeRow[]> {
    return this.dataSource.query<NoticeRow[]>(
      `SELECT m.id AS message_id, m.kind, m.recipients, m.context, r.kind AS revision_kind,
              COALESCE((m.context->>'revisionId')::uuid, o.revision_id) AS revision_id, ${NOTICE_COLUMNS}
         FROM outbox_message m
         LEFT JOIN reduction_order o ON o.id = m.order_id
         LEFT JOIN reduction_order p ON p.id = o.supersedes_order_id
         LEFT JOIN alert_revision r ON r.id = o.revision_id
         LEFT JOIN enterprise e ON e.id = o.enterprise_id
         LEFT JOIN alert a ON a.id = COALESCE(o.alert_id, m.alert_id)${DURING_WARNING_JOINS}
        WHERE m.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** One order's own notice (the one that issued, adjusted, lifted or cancelled it), as its message would read. */
  async loadOrder(orderId: string): Promise<NoticeRow | null> {
    const [row] = await this.dataSource.query<NoticeRow[]>(
      `SELECT NULL::uuid AS message_id,
              CASE o.notice_type WHEN 'LIFT' THEN 'ORDER_LIFTED' WHEN 'CANCEL' THEN 'ORDER_CANCELLED'
                   ELSE CASE WHEN o.supersedes_order_id IS NULL OR r.kind = 'ISSUE' THEN 'ORDER_ISSUED' ELSE 'ORDER_ADJUSTED' END
              END AS kind,
              o.recipients, NULL::jsonb AS context, r.kind AS revision_kind, o.revision_id, ${NOTICE_COLUMNS}
         FROM reduction_order o
         LEFT JOIN reduction_order p ON p.id = o.supersedes_order_id
         JOIN alert_revision r ON r.id = o.revision_id
         JOIN enterprise e ON e.id = o.enterprise_id
         JOIN alert a ON a.id = o.alert_id${DURING_WARNING_JOINS}
        WHERE o.id = $1`,
      [orderId],
    );
    return row ?? null;
  }

  /** One order's own notice as a document (ack, print and PDF pages); null when there is no such order. */
  async documentForOrder(orderId: string): Promise<NoticeDocument | null> {
    const row = await this.loadOrder(orderId);
    if (!row) return null;
    const [source] = await this.sources([row]);
    return source ? buildNoticeDocument(source) : null;
  }

  /** The notice sources of rows, keyed like the rows (null for messages that are no document: escalations, anchors). */
  async sources(rows: NoticeRow[]): Promise<Array<NoticeSource | null>> {
    const shared = await this.shared(rows);
    return rows.map((row) => this.sourceOf(row, shared));
  }

  private async shared(rows: NoticeRow[]): Promise<Shared> {
    const ids = <T>(f: (r: NoticeRow) => T | T[] | null | undefined) => [
      ...new Set(rows.flatMap((r) => f(r) ?? []).filter((x) => x !== null && x !== undefined)),
    ];
    const revisionIds = ids((r) => r.revision_id);
    const consultationIds = ids((r) =>
      r.kind === 'HEADS_UP' ? ((r.context?.consultation as { id?: string } | undefined)?.id ?? null) : null,
    );
    const [revisions, counties, consultationsHeadsUp] = await Promise.all([
      revisionIds.length
        ? this.dataSource.query<RevisionRow[]>(
            `SELECT r.id, r.kind, r.level, r.county_codes, r.effective_at, r.expected_end_at, r.approved_at,
                    r.document_number, r.consultation_id, pr.level AS previous_level
               FROM alert_revision r LEFT JOIN alert_revision pr ON pr.id = r.previous_revision_id
              WHERE r.id = ANY($1::uuid[])`,
            [revisionIds],
          )
        : [],
      this.dataSource.query<
        Array<{
          code: string;
          name: string;
          bureau_name: string | null;
          bureau_phone: string | null;
          bureau_email: string | null;
        }>
      >('SELECT code, name, bureau_name, bureau_phone, bureau_email FROM county'),
      Promise.resolve(consultationIds),
    ]);
    const allConsultations = [
      ...new Set([
        ...consultationsHeadsUp,
        ...revisions.map((r) => r.consultation_id).filter((x): x is string => !!x),
      ]),
    ];
    const rulesetIds = ids((r) => r.ruleset_id);
    const directiveIds = ids((r) => r.directive_ids);
    const [consultations, rulesets, directives] = await Promise.all([
      allConsultations.length
        ? this.dataSource.query<
            Array<{
              id: string;
              held_at: Date;
              opinion: string;
              ruleset_id: string;
              ruleset_name: string | null;
            }>
          >(
            `SELECT c.id, c.held_at, c.opinion, c.ruleset_id, rs.name AS ruleset_name
               FROM consultation c LEFT JOIN ruleset rs ON rs.id = c.ruleset_id WHERE c.id = ANY($1::uuid[])`,
            [allConsultations],
          )
        : [],
      rulesetIds.length
        ? this.dataSource.query<Array<{ id: string; name: string; consequence: string | null }>>(
            `SELECT id, name, definition->>'consequence' AS consequence FROM ruleset WHERE id = ANY($1::varchar[])`,
            [rulesetIds],
          )
        : [],
      directiveIds.length
        ? this.dataSource.query<Array<{ id: string; number: string; issuer: string; kind: DirectiveKind }>>(
            'SELECT id, number, issuer, kind FROM directive WHERE id = ANY($1::uuid[])',
            [directiveIds],
          )
        : [],
    ]);
    return {
      revisions: new Map(revisions.map((r) => [r.id, r])),
      counties: new Map(counties.map((c) => [c.code, c])),
      consultations: new Map(consultations.map((c) => [c.id, c])),
      rulesets: new Map(rulesets.map((r) => [r.id, r])),
      directives: new Map(directives.map((d) => [d.id, d])),
    };
  }

  private sourceOf(row: NoticeRow, s: Shared): NoticeSource | null {
    const { config } = this;
    const dutyOffice: Contact = config.dutyOffice;
    const issuer = { name: config.documents.issuer, office: config.documents.issuerOffice };
    const bureauOf = (code: string | null): Contact | null => {
      const c = code ? s.counties.get(code) : undefined;
      return c?.bureau_name ? { name: c.bureau_name, phone: c.bureau_phone, email: c.bureau_email } : null;
    };
    const countiesOf = (codes: string[]) =>
      codes.map((code) => ({ code, name: s.counties.get(code)?.name ?? code }));

    if (row.kind === 'HEADS_UP') {
      const ctx = row.context ?? {};
      const consultation = s.consultations.get((ctx.consultation as { id: string } | undefined)?.id ?? '');
      const countyName = typeof ctx.countyName === 'string' ? ctx.countyName : '';
      // Heads-ups queued before the county's code was in their context are matched by its name.
      const code =
        (typeof ctx.countyCode === 'string' ? ctx.countyCode : null) ??
        [...s.counties].find(([, c]) => c.name === countyName)?.[0] ??
        null;
      return {
        kind: 'HEADS_UP',
        documentNumber: (ctx.documentNumber as string | null) ?? null,
        releasedAt: new Date(String(ctx.sentAt)),
        addressee: { name: String((ctx.enterprise as { name?: string } | undefined)?.name ?? '') },
        alertCode: null,
        level: null,
        counties: [{ code: code ?? '', name: countyName }],
        effectiveAt: null,
        expectedEndAt: null,
        basis: {
          consultation: consultation ? { heldAt: consultation.held_at, opinion: consultation.opinion } : null,
          ruleset: consultation?.ruleset_name
            ? { id: consultation.ruleset_id, name: consultation.ruleset_name }
            : null,
          directives: [],
        },
        consequence: null,
        bureau: bureauOf(code),
        dutyOffice,
        issuer,
        outlook: (ctx.episodes as NoticeSource['outlook']) ?? [],
        note: (ctx.note as string | null) ?? null,
      };
    }
    if (!row.order_id || !row.alert_id) return null; // escalations and anchors are no documents of their own

    const revision = row.revision_id ? s.revisions.get(row.revision_id) : undefined;
    const consultation = revision?.consultation_id
      ? s.consultations.get(revision.consultation_id)
      : undefined;
    const ruleset = row.ruleset_id ? s.rulesets.get(row.ruleset_id) : undefined;
    const basis: NoticeSource['basis'] = {
      consultation: consultation ? { heldAt: consultation.held_at, opinion: consultation.opinion } : null,
      ruleset: ruleset && row.ruleset_id ? { id: row.ruleset_id, name: ruleset.name } : null,
      directives: (row.directive_ids ?? [])
        .map((id) => s.directives.get(id))
        .filter((d): d is NonNullable<typeof d> => !!d)
        .map((d) => ({ number: d.number, issuer: d.issuer, kindName: DIRECTIVE_KIND_NAMES[d.kind] })),
    };
    const expired = row.context?.expired === true;
    const kind: NoticeSource['kind'] = expired
      ? 'EXPIRED'
      : row.kind === 'ORDER_EXTENDED'
        ? 'EXTENDED'
        : row.kind === 'ORDER_CANCELLED' || revision?.kind === 'CANCEL'
          ? 'CANCELLED'
          : row.kind === 'ORDER_LIFTED' || revision?.kind === 'LIFT'
            ? 'LIFTED'
            : revision?.kind === 'UPGRADE'
              ? 'UPGRADED'
              : revision?.kind === 'DOWNGRADE'
                ? 'DOWNGRADED'
                : 'ISSUED';
    const start = row.alert_start;
    const effective = row.effective_at ?? start;
    const measures = orderMeasures(row.measures ?? [], start, effective);
    const previous = orderMeasures(row.previous_measures ?? [], start, effective);
    const level = expired ? row.alert_level : (revision?.level ?? row.order_level ?? row.alert_level);
    const endedAt = expired
      ? asDate(row.context?.endedAt, row.expected_end_at)
      : kind === 'LIFTED'
        ? (revision?.effective_at ?? effective)
        : null;
    return {
      kind,
      documentNumber: expired
        ? (row.expiry_document_number ?? (row.context?.documentNumber as string | null) ?? null)
        : (revision?.document_number ?? null),
      releasedAt: expired ? (endedAt ?? new Date()) : (revision?.approved_at ?? effective),
      addressee: { name: row.name ?? '', creditCode: row.credit_code },
      alertCode: row.alert_code,
      level,
      previousLevel: revision?.previous_level ?? null,
      counties: countiesOf(revision && !expired ? revision.county_codes : (row.alert_county_codes ?? [])),
      effectiveAt: kind === 'EXTENDED' || kind === 'EXPIRED' ? start : (revision?.effective_at ?? effective),
      expectedEndAt:
        kind === 'EXTENDED'
          ? asDate(row.context?.expectedEndAt, revision?.expected_end_at ?? null)
          : (revision?.expected_end_at ?? row.expected_end_at),
      endedAt,
      basis,
      noticeType:
        row.notice_type === 'MANDATORY' || row.notice_type === 'VOLUNTARY' || row.notice_type === 'PROTECTED'
          ? row.notice_type
          : null,
      gradeName: row.grade ? GRADE_NAMES[row.grade] : null,
      protectedReason: row.protected_reason,
      protectedMaxLoad: row.protected_max_load === null ? null : Number(row.protected_max_load),
      escalation: escalationSentence(
        row.escalated_by ?? [],
        level,
        row.measure_level ?? null,
        row.measures ?? [],
        // Treated as a lower grade, and its notice mandatory for it (a voluntary grade's would not be).
        row.grade_taken &&
          row.grade &&
          row.grade_taken !== row.grade &&
          row.notice_type === 'MANDATORY' &&
          VOLUNTARY_GRADES.includes(row.grade)
          ? (row.grade_taken as Grade)
          : null,
      ),
      measures:
        kind === 'ISSUED' || kind === 'UPGRADED' || kind === 'DOWNGRADED' || row.kind === 'REMINDER'
          ? measures
          : [],
      delta: kind === 'UPGRADED' || kind === 'DOWNGRADED' ? orderDelta(previous, measures) : null,
      deadlines: { receiptDueAt: row.receipt_due_at, reportDueAt: row.report_due_at },
      consequence: ruleset?.consequence ?? null,
      bureau: bureauOf(row.county_code),
      dutyOffice,
      issuer,
      // A warning's order under a campaign (the stricter of the two), and its end notice (the campaign applies again).
      underCampaign: !row.alert_campaign && row.order_reasons?.length ? row.order_reasons.join('') : null,
      afterWarning: row.alert_campaign
        ? null
        : expired
          ? ((row.context?.afterWarning as string | null | undefined) ?? null)
          : kind === 'LIFTED' && row.order_reasons?.length
            ? row.order_reasons.join('')
            : null,
      campaign: row.alert_campaign
        ? {
            kind: row.alert_campaign.kind,
            name: row.alert_campaign.name,
            window: row.alert_campaign.window ?? null,
            reasons: row.order_reasons ?? [],
            duringWarning: row.during_warning ?? duringWarningOf(row, row.alert_campaign.name),
          }
        : null,
    };
  }
}
