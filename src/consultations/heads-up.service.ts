import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import { OutboxService } from '../notifications/outbox.service';
import { OutboxSignal } from '../notifications/outbox-signal';
import { HeadsUp } from './consultation.entity';
import { ConsultationsService } from './consultations.service';
import { headsUpEpisodes } from './heads-up.rules';
import { DocumentNumbersService } from '../documents/document-numbers.service';

export interface HeadsUpView {
  id: string;
  consultationId: string;
  countyCodes: string[];
  note: string | null;
  enterprises: number;
  messages: number;
  sentBy: string;
  createdAt: Date;
  documentNumber: string | null;
}

const toView = (h: HeadsUp): HeadsUpView => ({
  id: h.id,
  consultationId: h.consultationId,
  countyCodes: h.countyCodes,
  note: h.note,
  enterprises: h.enterprises,
  messages: h.messages,
  sentBy: h.sentBy,
  createdAt: h.createdAt,
  documentNumber: h.documentNumber,
});

/**
 * Heads-up notices (预警提示): the trend beyond the detailed forecast shows an episode, so the enterprises of those
 * counties are told to prepare their measures. No order, no deadline, nothing to confirm; one per county and
 * consultation, recorded and audited with the messages it queued.
 */
@Injectable()
export class HeadsUpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly consultations: ConsultationsService,
    private readonly outbox: OutboxService,
    private readonly signal: OutboxSignal,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly numbers: DocumentNumbersService,
  ) {}

  async send(
    consultationId: string,
    dto: { countyCodes?: string[]; note?: string },
    actor: Actor,
  ): Promise<HeadsUpView> {
    const c = await this.consultations.get(consultationId);
    const names = new Map(
      (
        await this.dataSource.query<Array<{ code: string; name: string }>>('SELECT code, name FROM county')
      ).map((r) => [r.code, r.name]),
    );
    const withOutlook = c.recommendations.filter((r) => r.outlook?.length);
    const countyCodes = [...new Set(dto.countyCodes ?? withOutlook.map((r) => r.countyCode))];
    const errors: FieldError[] = [];
    if (countyCodes.length === 0)
      errors.push({ field: 'countyCodes', message: '该会商的趋势预报没有需要预警提示的区县' });
    countyCodes.forEach((code, i) => {
      if (!withOutlook.some((r) => r.countyCode === code))
        errors.push({
          field: `countyCodes[${i}]`,
          message: `${names.get(code) ?? code}的趋势预报没有污染过程,无需预警提示`,
        });
    });
    if (errors.length) throw DomainError.validation(errors);
    const outlook = countyCodes.map((code) => ({
      countyCode: code,
      episodes: withOutlook.find((r) => r.countyCode === code)!.outlook!,
    }));
    const note = dto.note?.trim() || null;
    const now = this.clock.now();
    const id = randomUUID();

    const saved = await this.dataSource.transaction(async (m) => {
      // One heads-up per county and consultation: two duty officers pressing at once take turns.
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`haze:heads-up:${c.id}`]);
      const sent = await m.query<Array<{ code: string }>>(
        `SELECT DISTINCT unnest(county_codes) AS code FROM heads_up
          WHERE consultation_id = $1 AND county_codes && $2::varchar[]`,
        [c.id, countyCodes],
      );
      if (sent.length)
        throw new DomainError(
          'HEADS_UP_ALREADY_SENT',
          `本次会商已向${sent.map((r) => names.get(r.code) ?? r.code).join('、')}发送过预警提示`,
          [{ field: 'countyCodes', message: '已发送过预警提示' }],
        );
      const documentNumber = await this.numbers.next(m, now);
      const context = {
        headsUpId: id,
        documentNumber,
        consultation: { id: c.id, heldAt: c.heldAt },
        note,
        sentAt: now,
        byCounty: Object.fromEntries(
          outlook.map((o) => [
            o.countyCode,
            { countyName: names.get(o.countyCode) ?? o.countyCode, episodes: headsUpEpisodes(o.episodes) },
          ]),
        ),
      };
      // One message per enterprise of the counties, its context the county's outlook: one INSERT … SELECT.
      const queued = await this.outbox.enqueueSelected(m, {
        sql: `SELECT NULL::uuid AS order_id, NULL::uuid AS alert_id, 'HEADS_UP' AS kind, em.emails AS recipients,
                     jsonb_build_object('headsUpId', $2::text, 'documentNumber', $3::jsonb -> 'documentNumber',
                       'consultation', $3::jsonb -> 'consultation',
                       'note', $3::jsonb -> 'note', 'sentAt', $3::jsonb -> 'sentAt',
                       'countyCode', e.county_code,
                       'countyName', $3::jsonb -> 'byCounty' -> e.county_code -> 'countyName',
                       'episodes', $3::jsonb -> 'byCounty' -> e.county_code -> 'episodes',
                       'enterprise', jsonb_build_object('name', e.name)) AS context
                FROM enterprise e
                CROSS JOIN LATERAL (SELECT ARRAY(SELECT DISTINCT lower(trim(x->>'email')) FROM jsonb_array_elements(e.contacts) x
                                                  WHERE coalesce(trim(x->>'email'), '') <> '')::text[] AS emails) em
               WHERE NOT e.archived AND e.county_code = ANY($1::varchar[])`,
        params: [countyCodes, id, JSON.stringify(context)],
      });
      const [{ n }] = await m.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM enterprise WHERE NOT archived AND county_code = ANY($1::varchar[])',
        [countyCodes],
      );
      const row = await m.save(
        m.create(HeadsUp, {
          id,
          consultationId: c.id,
          countyCodes,
          outlook,
          note,
          enterprises: n,
          messages: queued.length,
          sentBy: actor.name ?? 'unknown',
          sentById: actor.id!,
          documentNumber,
        }),
      );
      await this.audit.record(
        {
          actor,
          action: 'consultation.heads-up.sent',
          subjectType: 'consultation',
          subjectId: c.id,
          data: {
            headsUpId: id,
            documentNumber,
            countyCodes,
            note,
            enterprises: n,
            messages: queued.length,
            outlook,
          },
        },
        m,
      );
      return row;
    });
    this.signal.notify();
    return toView(saved);
  }

  async list(consultationId: string): Promise<HeadsUpView[]> {
    const rows = await this.dataSource
      .getRepository(HeadsUp)
      .find({ where: { consultationId }, order: { createdAt: 'ASC' } });
    return rows.map(toView);
  }
}
