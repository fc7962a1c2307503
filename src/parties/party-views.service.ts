import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '../common/ids';
import { DomainError } from '../common/errors/domain-error';
import type { WarningLevel } from '../rulesets/ruleset.types';
import type { PartyKind, PartyNoticeKind, PartyState } from './party.rules';

/** One county's or department's notice of a warning and whether it has confirmed it. */
export interface PartyNoticeRow {
  id: string;
  /** Null for the notice of the warning's expiry. */
  revisionId: string | null;
  revisionSeq: number | null;
  noticeKind: PartyNoticeKind;
  partyKind: PartyKind;
  partyCode: string;
  partyName: string;
  level: WarningLevel;
  recipients: string[];
  state: PartyState;
  deliveryState: string | null;
  sentAt: Date | null;
  receiptDueAt: Date;
  receivedAt: Date | null;
  signerName: string | null;
  signerPhone: string | null;
  remindedAt: Date | null;
}

/** Reads the party notices of a warning (the console's warning page and GET /api/alerts/:id/parties). */
@Injectable()
export class PartyViewsService {
  constructor(private readonly dataSource: DataSource) {}

  async listForAlert(alertId: string): Promise<PartyNoticeRow[]> {
    if (!isUuid(alertId)) throw DomainError.notFound('预警');
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT p.*, r.seq AS revision_seq, om.state AS delivery_state
         FROM party_notice p
         LEFT JOIN alert_revision r ON r.id = p.revision_id
         LEFT JOIN outbox_message om ON om.id = p.message_id
         LEFT JOIN county c ON p.party_kind = 'COUNTY' AND c.code = p.party_code
         LEFT JOIN department d ON p.party_kind = 'DEPARTMENT' AND d.code = p.party_code
        WHERE p.alert_id = $1
        ORDER BY p.created_at, r.seq NULLS LAST, p.party_kind, COALESCE(c.sort_order, d.sort_order), p.party_code`,
      [alertId],
    );
    if (
      rows.length === 0 &&
      (await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length === 0
    )
      throw DomainError.notFound('预警');
    return rows.map((r) => ({
      id: r.id as string,
      revisionId: (r.revision_id as string | null) ?? null,
      revisionSeq: (r.revision_seq as number | null) ?? null,
      noticeKind: r.notice_kind as PartyNoticeKind,
      partyKind: r.party_kind as PartyKind,
      partyCode: r.party_code as string,
      partyName: r.party_name as string,
      level: r.level as WarningLevel,
      recipients: r.recipients as string[],
      state: r.state as PartyState,
      deliveryState: (r.delivery_state as string | null) ?? null,
      sentAt: (r.sent_at as Date | null) ?? null,
      receiptDueAt: r.receipt_due_at as Date,
      receivedAt: (r.received_at as Date | null) ?? null,
      signerName: (r.signer_name as string | null) ?? null,
      signerPhone: (r.signer_phone as string | null) ?? null,
      remindedAt: (r.reminded_at as Date | null) ?? null,
    }));
  }
}
