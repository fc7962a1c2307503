import { isUuid } from '../common/ids';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';

export interface TimelineEvent {
  at: Date;
  kind: 'AUDIT' | 'DELIVERY';
  action: string;
  actor: string | null;
  subjectType: string | null;
  subjectId: string | null;
  summary: string;
  data: Record<string, unknown>;
}

const ACTION_TEXT: Record<string, string> = {
  'alert.drafted': '起草预警',
  'alert.change.proposed': '提出变更',
  'alert.lift.forecast-warning': '解除核对:预报不支持解除',
  'alert.approved': '审批通过',
  'alert.approval.two-person-concern': '两人审批存疑',
  'alert.rejected': '驳回',
  'alert.revision.applied': '变更生效',
  'alert.expired': '预警到期',
  'orders.created': '生成减排指令',
  'order.received': '企业确认收到',
  'order.executed': '企业报告措施落实',
  'order.overdue': '指令逾期',
  'orders.escalated': '逾期通报区县',
  'message.requeued': '重新发送',
  'evidence.exported': '导出证据包',
};

/**
 * Everything that happened to one warning, in order: its audit entries (drafts, decisions, revisions, orders,
 * acknowledgements, escalations) and the delivery history of its messages.
 */
@Injectable()
export class TimelineService {
  constructor(private readonly dataSource: DataSource) {}

  async forAlert(alertId: string): Promise<TimelineEvent[]> {
    if (
      !isUuid(alertId) ||
      !(await this.dataSource.query<unknown[]>('SELECT 1 FROM alert WHERE id = $1', [alertId])).length
    ) {
      throw DomainError.notFound('预警');
    }
    const rows = await this.dataSource.query<
      Array<{
        at: Date;
        kind: 'AUDIT' | 'DELIVERY';
        action: string;
        actor: string | null;
        subject_type: string | null;
        subject_id: string | null;
        data: Record<string, unknown>;
        seq: string;
      }>
    >(
      `SELECT occurred_at AS at, 'AUDIT' AS kind, action, actor_name AS actor, subject_type, subject_id, data, id::text AS seq
         FROM audit_entry WHERE alert_id = $1
       UNION ALL
       SELECT h.at, 'DELIVERY', 'message.' || lower(h.to_state), NULL, 'outbox_message', h.message_id::text,
              jsonb_build_object('from', h.from_state, 'to', h.to_state, 'attempt', h.attempt, 'detail', h.detail, 'recipients', m.recipients, 'kind', m.kind),
              h.id::text
         FROM outbox_message_history h JOIN outbox_message m ON m.id = h.message_id
        WHERE m.alert_id = $1
       ORDER BY at, kind, seq`,
      [alertId],
    );
    return rows.map((r) => ({
      at: r.at,
      kind: r.kind,
      action: r.action,
      actor: r.actor,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      summary: summarise(r.action, r.data),
      data: r.data,
    }));
  }
}

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function summarise(action: string, data: Record<string, unknown>): string {
  if (action.startsWith('message.')) {
    const to = (data.recipients as string[] | undefined)?.join(',') ?? '';
    const state = text(data.to);
    const label =
      {
        SENDING: '发送中',
        SENT: '已送达邮件服务器',
        RETRYING: '发送失败,稍后重试',
        FAILED: '发送失败',
        QUEUED: '重新排队',
      }[state] ?? state;
    return `${label}:${to}${text(data.detail) ? `(${text(data.detail)})` : ''}`;
  }
  const base = ACTION_TEXT[action] ?? action;
  if (action === 'alert.approval.two-person-concern') return `${base}:${text(data.message)}`;
  const extra = text(data.kind)
    ? `(${text(data.kind)}${text(data.level) ? ' ' + text(data.level) : ''})`
    : '';
  return base + extra;
}
