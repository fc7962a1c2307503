import { isUuid } from '../common/ids';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { OutboxMessage, OutboxMessageHistory } from './outbox-message.entity';
import { MESSAGE_STATES, type MessageKind } from './outbox.rules';

/** Reading the outbox and putting dead letters back; sending is the dispatcher's alone. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Queues a message that belongs to no order (a digest), inside the caller's transaction. */
  async enqueue(
    m: EntityManager,
    message: {
      kind: MessageKind;
      recipients: string[];
      context: Record<string, unknown>;
      alertId?: string | null;
    },
  ): Promise<string> {
    const [{ id }] = await m.query<Array<{ id: string }>>(
      `INSERT INTO outbox_message (id, order_id, alert_id, kind, recipients, context, state, attempts, next_attempt_at)
       VALUES (gen_random_uuid(), NULL, $1, $2, $3::text[], $4::jsonb, 'QUEUED', 0, $5) RETURNING id`,
      [
        message.alertId ?? null,
        message.kind,
        message.recipients,
        JSON.stringify(message.context),
        this.clock.now(),
      ],
    );
    return id;
  }

  async list(filters: { state?: string; alertId?: string }): Promise<OutboxMessage[]> {
    if (filters.state && !(MESSAGE_STATES as readonly string[]).includes(filters.state)) {
      throw DomainError.validation([
        { field: 'state', message: `状态应为 ${MESSAGE_STATES.join('、')} 之一` },
      ]);
    }
    if (filters.alertId && !isUuid(filters.alertId))
      throw DomainError.validation([{ field: 'alertId', message: '不是有效的预警编号' }]);
    return this.dataSource.getRepository(OutboxMessage).find({
      where: {
        ...(filters.state ? { state: filters.state as OutboxMessage['state'] } : {}),
        ...(filters.alertId ? { alertId: filters.alertId } : {}),
      },
      order: { createdAt: 'DESC' },
      take: 500,
    });
  }

  async get(id: string): Promise<OutboxMessage> {
    const message = isUuid(id) ? await this.dataSource.getRepository(OutboxMessage).findOneBy({ id }) : null;
    if (!message) throw DomainError.notFound('消息');
    return message;
  }

  async history(id: string): Promise<OutboxMessageHistory[]> {
    if (!isUuid(id) || !(await this.dataSource.getRepository(OutboxMessage).existsBy({ id })))
      throw DomainError.notFound('消息');
    return this.dataSource
      .getRepository(OutboxMessageHistory)
      .find({ where: { messageId: id }, order: { id: 'ASC' } });
  }

  async requeue(id: string, actor: Actor): Promise<OutboxMessage> {
    if (!isUuid(id)) throw DomainError.notFound('消息');
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const message = await m
        .getRepository(OutboxMessage)
        .createQueryBuilder('o')
        .setLock('pessimistic_write')
        .where('o.id = :id', { id })
        .getOne();
      if (!message) throw DomainError.notFound('消息');
      if (message.state !== 'FAILED')
        throw new DomainError('CONFLICT', `只有发送失败的消息可以重新排队(当前:${message.state})`);
      message.state = 'QUEUED';
      message.nextAttemptAt = now;
      await m.save(message);
      await m.insert(OutboxMessageHistory, {
        messageId: id,
        fromState: 'FAILED',
        toState: 'QUEUED',
        attempt: message.attempts,
        detail: `requeued by ${actor.name}`,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: 'message.requeued',
          subjectType: 'outbox_message',
          subjectId: id,
          alertId: message.alertId ?? undefined,
          data: { lastError: message.lastError },
        },
        m,
      );
      return message;
    });
  }
}
