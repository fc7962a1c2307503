import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../audit/actor';
import { type AuditRecord, AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CAMPAIGN_KIND_NAMES, type CampaignSpec } from '../campaigns/campaign.rules';
import { OutboxService } from '../notifications/outbox.service';
import type { WarningLevel } from '../rulesets/ruleset.types';
import {
  PARTY_KIND_NAMES,
  PARTY_NOTICE_KIND_NAMES,
  type PartyKind,
  type PartyNoticeKind,
} from './party.rules';

export interface PartyDeadlineRun {
  /** Parties past their receipt deadline without confirming, noted once each. */
  overdue: number;
  reminders: number;
  escalations: number;
}

/**
 * Chases the county bureaus and departments as the orders' deadlines chase enterprises: once a notice's receipt
 * deadline has passed unconfirmed, the party gets one reminder (with its link again) and the duty office one
 * escalation per warning listing every party newly overdue. One transaction per run; the scheduler runs it under
 * an advisory lock.
 */
@Injectable()
export class PartyDeadlinesService {
  private readonly logger = new Logger(PartyDeadlinesService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async run(): Promise<PartyDeadlineRun> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const [late] = await m.query<
        [
          Array<{
            id: string;
            alert_id: string;
            party_kind: PartyKind;
            party_name: string;
            notice_kind: PartyNoticeKind;
            level: WarningLevel;
            receipt_due_at: Date;
            alert_code: string;
            number: string | null;
            campaign: CampaignSpec | null;
          }>,
          number,
        ]
      >(
        `WITH late AS (
           SELECT id FROM party_notice
            WHERE state IN ('PENDING', 'SENT') AND receipt_due_at <= $1 AND reminded_at IS NULL
            FOR UPDATE SKIP LOCKED)
         UPDATE party_notice p SET reminded_at = $1, updated_at = $1
           FROM late, alert a
          WHERE p.id = late.id AND a.id = p.alert_id
         RETURNING p.id, p.alert_id, p.party_kind, p.party_name, p.notice_kind, p.level, p.receipt_due_at, a.code AS alert_code, a.campaign,
                   (SELECT om.context->>'number' FROM outbox_message om WHERE om.id = p.message_id) AS number`,
        [now],
      );
      if (late.length === 0) return { overdue: 0, reminders: 0, escalations: 0 };

      // The reminder says what the notice said (its context, without the lists), with its link made again at sending.
      const reminders = await this.outbox.enqueueSelected(m, {
        sql: `SELECT NULL::uuid AS order_id, p.alert_id, 'PARTY_REMINDER' AS kind, p.recipients,
                     (om.context - 'summary' - 'duties') || jsonb_build_object('sentAt', p.sent_at) AS context
                FROM party_notice p JOIN outbox_message om ON om.id = p.message_id
               WHERE p.id = ANY($1::uuid[])`,
        params: [late.map((l) => l.id)],
      });

      const records: AuditRecord[] = late.map((l) => ({
        actor: SYSTEM_ACTOR,
        action: 'party.overdue',
        subjectType: 'party_notice',
        subjectId: l.id,
        alertId: l.alert_id,
        data: { partyName: l.party_name, dueAt: l.receipt_due_at },
      }));
      let escalations = 0;
      const byAlert = new Map<string, typeof late>();
      for (const l of late) byAlert.set(l.alert_id, [...(byAlert.get(l.alert_id) ?? []), l]);
      const to = this.config.dutyOffice.email;
      for (const [alertId, list] of byAlert) {
        if (to) {
          await this.outbox.enqueue(m, {
            kind: 'PARTY_ESCALATION',
            recipients: [to],
            alertId,
            context: {
              alertCode: list[0].alert_code,
              number: list[0].number ?? list[0].alert_code,
              level: list[0].level,
              // A campaign has no level: the escalation names it (as its county and department notices do).
              campaign: list[0].campaign
                ? { name: list[0].campaign.name, kindName: CAMPAIGN_KIND_NAMES[list[0].campaign.kind] }
                : null,
              parties: list.map((l) => ({
                name: l.party_name,
                kindName: PARTY_KIND_NAMES[l.party_kind],
                noticeKindName: PARTY_NOTICE_KIND_NAMES[l.notice_kind],
                dueAt: l.receipt_due_at.toISOString(),
              })),
            },
          });
          escalations++;
        }
        records.push({
          actor: SYSTEM_ACTOR,
          action: 'parties.escalated',
          subjectType: 'alert',
          subjectId: alertId,
          alertId,
          data: { dutyOfficeEmail: to || null, parties: list.map((l) => l.id) },
        });
      }
      await this.audit.record(records, m);
      this.logger.log(
        `parties overdue ${late.length}, reminders ${reminders.length}, escalations ${escalations}`,
      );
      return { overdue: late.length, reminders: reminders.length, escalations };
    });
  }
}
