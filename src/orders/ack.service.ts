import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { formatTime } from '../notifications/email-helpers';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { verifyAckToken } from './ack-token';
import { ReductionOrder } from './order.entity';
import {
  ackTransition,
  ORDER_STATE_NAMES,
  type OrderMeasure,
  orderMeasures,
  type OrderState,
} from './order.rules';

export interface AckPage {
  enterpriseName: string;
  alertCode: string;
  levelName: string;
  level: WarningLevel;
  stateName: string;
  state: OrderState;
  effectiveAt: string;
  receiptDueAt: string;
  reportDueAt: string;
  receivedAt: string | null;
  executedAt: string | null;
  measuresInPlaceAt: string | null;
  measures: Array<OrderMeasure & { fromAt: string | null; toAt: string | null }>;
  canAct: boolean;
}

const REASONS = {
  MALFORMED: '链接格式不正确',
  FORGED: '链接无效(可能被改动或伪造)',
  EXPIRED: '链接已过期',
} as const;

/** What an enterprise can do through its signed link: see its order, confirm receipt, report measures in place. */
@Injectable()
export class AckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private orderIdOf(token: string): string {
    const check = verifyAckToken(token, this.config.sessionSecret, this.clock.now());
    if (!check.ok)
      throw new DomainError(check.reason === 'EXPIRED' ? 'GONE' : 'NOT_FOUND', REASONS[check.reason]);
    return check.orderId;
  }

  async open(token: string): Promise<AckPage> {
    const orderId = this.orderIdOf(token);
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT o.*, e.name AS enterprise_name, a.code AS alert_code, a.effective_at AS alert_start
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id JOIN alert a ON a.id = o.alert_id WHERE o.id = $1`,
      [orderId],
    );
    const r = rows[0];
    if (!r) throw new DomainError('NOT_FOUND', '指令不存在');
    const state = r.state as OrderState;
    const level = r.level as WarningLevel;
    const time = (v: unknown) => (v ? formatTime(v as Date) : null);
    return {
      enterpriseName: r.enterprise_name as string,
      alertCode: r.alert_code as string,
      levelName: LEVEL_NAMES[level],
      level,
      state,
      stateName: ORDER_STATE_NAMES[state],
      effectiveAt: formatTime(r.effective_at as Date),
      receiptDueAt: time(r.receipt_due_at) ?? '—',
      reportDueAt: time(r.report_due_at) ?? '—',
      receivedAt: time(r.received_at),
      executedAt: time(r.executed_at),
      measuresInPlaceAt: time(r.measures_in_place_at),
      measures: orderMeasures(r.measures as OrderMeasure[], r.alert_start as Date, r.effective_at as Date),
      canAct: !('error' in ackTransition(state, 'RECEIPT')),
    };
  }

  /** Confirms receipt; a second confirmation changes nothing. */
  receipt(token: string, actor: Actor): Promise<{ changed: boolean }> {
    return this.act(token, 'RECEIPT', actor, {});
  }

  /** Reports the measures in place (time and note); implies receipt. */
  report(
    token: string,
    input: { note: string; measuresInPlaceAt: Date },
    actor: Actor,
  ): Promise<{ changed: boolean }> {
    const now = this.clock.now();
    if (input.measuresInPlaceAt.getTime() > now.getTime() + 5 * 60_000) {
      throw DomainError.validation([{ field: 'measuresInPlaceAt', message: '落实时间不能晚于当前时间' }]);
    }
    return this.act(token, 'REPORT', actor, input);
  }

  private async act(
    token: string,
    action: 'RECEIPT' | 'REPORT',
    actor: Actor,
    input: { note?: string; measuresInPlaceAt?: Date },
  ): Promise<{ changed: boolean }> {
    const orderId = this.orderIdOf(token);
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const order = await m
        .getRepository(ReductionOrder)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.id = :id', { id: orderId })
        .getOne();
      if (!order) throw new DomainError('NOT_FOUND', '指令不存在');
      const next = ackTransition(order.state, action);
      if ('error' in next) throw new DomainError('CONFLICT', next.error);
      const who: Actor = { ...actor, type: 'ENTERPRISE', id: order.enterpriseId };
      if (!next.changed) {
        await this.audit.record(
          {
            actor: who,
            action: `order.${action === 'RECEIPT' ? 'receipt' : 'report'}.repeated`,
            subjectType: 'order',
            subjectId: order.id,
            alertId: order.alertId,
          },
          m,
        );
        return { changed: false };
      }
      const before = order.state;
      order.state = next.state;
      order.receivedAt ??= now;
      if (action === 'REPORT') {
        order.executedAt = now;
        order.measuresInPlaceAt = input.measuresInPlaceAt ?? now;
        order.reportNote = input.note?.trim() || null;
      }
      await m.save(order);
      await this.audit.record(
        {
          actor: who,
          action: action === 'RECEIPT' ? 'order.received' : 'order.executed',
          subjectType: 'order',
          subjectId: order.id,
          alertId: order.alertId,
          data: {
            state: [before, order.state],
            ...(action === 'REPORT'
              ? { measuresInPlaceAt: order.measuresInPlaceAt, note: order.reportNote }
              : {}),
          },
        },
        m,
      );
      return { changed: true };
    });
  }
}
