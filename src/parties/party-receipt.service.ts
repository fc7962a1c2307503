import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock/clock';
import { DomainError } from '../common/errors/domain-error';
import { formatTime } from '../common/time';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { GRADE_NAMES, type Grade } from '../enterprises/enterprise.types';
import { signAckToken, type TokenPurpose, verifyAckToken } from '../orders/ack-token';
import { ORDER_STATE_NAMES, type OrderMeasure, type OrderState } from '../orders/order.rules';
import { CURRENT_ORDER_SQL } from '../orders/order-scope.sql';
import { LEVEL_NAMES } from '../rulesets/level.rules';
import type { WarningLevel } from '../rulesets/ruleset.types';
import { type CountyOrderRow, countyOrdersWorkbook } from './county-orders.writer';
import { PartyNotice } from './party-notice.entity';
import {
  checkSigner,
  ENDING_KINDS,
  PARTY_KIND_NAMES,
  PARTY_NOTICE_KIND_NAMES,
  PARTY_STATE_NAMES,
  partyNoticeTitle,
  RESPONSE_LEVEL_NAMES,
  type Signer,
  campaignPartyTitle,
} from './party.rules';

const REASONS = {
  MALFORMED: '链接格式不正确',
  FORGED: '链接无效(可能被改动或伪造)',
  EXPIRED: '链接已过期',
} as const;

const NOTICE_TYPE_NAMES: Record<string, string> = {
  MANDATORY: '强制减排',
  VOLUNTARY: '自主减排',
  PROTECTED: '保障类',
  LIFT: '解除通知',
  CANCEL: '撤销通知',
};
const PROBLEM_NAMES: Record<string, string> = { NO_EMAIL: '无有效邮箱', NO_PLAN: '无本级别措施' };

/** What the party's page shows: the notice as sent and its receipt. */
export interface PartyPage {
  title: string;
  number: string;
  partyName: string;
  partyKind: string;
  partyKindName: string;
  noticeKindName: string;
  level: WarningLevel;
  levelName: string;
  responseLevel: string;
  /** A campaign's notice (issue 18): its name, shown in place of a level. */
  campaignName: string | null;
  countyNames: string;
  effectiveAt: string;
  receiptDueAt: string;
  duties: string[];
  summary: PartyNotice['summary'];
  ending: boolean;
  stateName: string;
  received: { at: string; signerName: string; signerPhone: string } | null;
  /** A county notice's list of its enterprises' orders (signed link), when the notice has orders. */
  ordersPath: string | null;
}

/** What a county bureau or department can do through its signed link: read its notice, confirm receipt. */
@Injectable()
export class PartyReceiptService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private verify(token: string, purpose: TokenPurpose): { id: string; expiresAt: Date } {
    const check = verifyAckToken(token, this.config.sessionSecret, this.clock.now(), purpose);
    if (!check.ok)
      throw new DomainError(check.reason === 'EXPIRED' ? 'GONE' : 'NOT_FOUND', REASONS[check.reason]);
    return { id: check.orderId, expiresAt: check.expiresAt };
  }

  private noticeIdOf(token: string, purpose: TokenPurpose): string {
    return this.verify(token, purpose).id;
  }

  private async load(
    token: string,
    purpose: TokenPurpose,
  ): Promise<{ notice: PartyNotice; expiresAt: Date }> {
    const { id, expiresAt } = this.verify(token, purpose);
    const notice = await this.dataSource
      .getRepository(PartyNotice)
      .findOne({ where: { id }, relations: { alert: true, revision: true } });
    if (!notice) throw new DomainError('NOT_FOUND', '通知不存在');
    return { notice, expiresAt };
  }

  async open(token: string): Promise<PartyPage> {
    const { notice, expiresAt } = await this.load(token, 'party');
    const codes = notice.revision?.countyCodes ?? notice.alert.countyCodes;
    const names = await this.dataSource.query<Array<{ name: string }>>(
      'SELECT name FROM county WHERE code = ANY($1::varchar[]) ORDER BY array_position($1::varchar[], code)',
      [codes],
    );
    const ending = ENDING_KINDS.includes(notice.noticeKind);
    return {
      title: notice.alert.campaign
        ? campaignPartyTitle(notice.noticeKind, notice.alert.campaign.name)
        : partyNoticeTitle(notice.noticeKind, notice.level),
      campaignName: notice.alert.campaign?.name ?? null,
      number:
        (notice.revision ? notice.revision.documentNumber : notice.alert.expiryDocumentNumber) ??
        notice.alert.code,
      partyName: notice.partyName,
      partyKind: notice.partyKind,
      partyKindName: PARTY_KIND_NAMES[notice.partyKind],
      noticeKindName: PARTY_NOTICE_KIND_NAMES[notice.noticeKind],
      level: notice.level,
      levelName: LEVEL_NAMES[notice.level],
      responseLevel: RESPONSE_LEVEL_NAMES[notice.level],
      countyNames: names.map((n) => n.name).join('、'),
      effectiveAt: formatTime(notice.revision?.effectiveAt ?? notice.alert.expectedEndAt ?? notice.createdAt),
      receiptDueAt: formatTime(notice.receiptDueAt),
      duties: notice.duties,
      summary: notice.summary,
      ending,
      stateName: PARTY_STATE_NAMES[notice.state],
      received: notice.receivedAt
        ? {
            at: formatTime(notice.receivedAt),
            signerName: notice.signerName ?? '',
            signerPhone: notice.signerPhone ?? '',
          }
        : null,
      ordersPath:
        notice.partyKind === 'COUNTY' && !ending
          ? `/party/${signAckToken(notice.id, expiresAt, this.config.sessionSecret, 'party-orders')}/orders.xlsx`
          : null,
    };
  }

  /**
   * Records the receipt with its signer, once: a second confirmation changes nothing (the page shows what was
   * recorded). The signer is checked first, every problem at once; nothing is written when one is wrong.
   */
  async receipt(token: string, body: Record<string, unknown>, actor: Actor): Promise<{ changed: boolean }> {
    const id = this.noticeIdOf(token, 'party');
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<
        Array<{ id: string; alert_id: string; state: string; received_at: Date | null }>
      >('SELECT id, alert_id, state, received_at FROM party_notice WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new DomainError('NOT_FOUND', '通知不存在');
      if (row.received_at) {
        await this.audit.record(
          {
            actor,
            action: 'party.receipt.repeated',
            subjectType: 'party_notice',
            subjectId: id,
            alertId: row.alert_id,
          },
          m,
        );
        return { changed: false };
      }
      const { signer, errors } = checkSigner(body);
      if (errors.length) throw DomainError.validation(errors, '签收信息有误,请修改后重新提交');
      await this.record(m, row, signer, now, actor);
      return { changed: true };
    });
  }

  private async record(
    m: EntityManager,
    row: { id: string; alert_id: string; state: string },
    signer: Signer,
    now: Date,
    actor: Actor,
  ): Promise<void> {
    await m.query(
      `UPDATE party_notice SET state = 'RECEIVED', received_at = $2, signer_name = $3, signer_phone = $4, updated_at = $2
        WHERE id = $1`,
      [row.id, now, signer.signerName, signer.signerPhone],
    );
    await this.audit.record(
      {
        actor,
        action: 'party.received',
        subjectType: 'party_notice',
        subjectId: row.id,
        alertId: row.alert_id,
        data: {
          state: [row.state, 'RECEIVED'],
          signerName: signer.signerName,
          signerPhone: signer.signerPhone,
        },
      },
      m,
    );
  }

  /** A signed-in staff member posting through a party's link: refused and recorded (whatever the link), never a receipt. */
  async refuseStaff(token: string, actor: Actor): Promise<never> {
    const check = verifyAckToken(token, this.config.sessionSecret, this.clock.now(), 'party');
    // An expired link's MAC was checked too, so its notice id is genuine.
    const id = check.ok || check.reason === 'EXPIRED' ? (check.orderId ?? null) : null;
    const [row] = id
      ? await this.dataSource.query<Array<{ alert_id: string }>>(
          'SELECT alert_id FROM party_notice WHERE id = $1',
          [id],
        )
      : [];
    await this.audit.recordEvent({
      actor,
      action: 'party.receipt.refused-staff',
      subjectType: 'party_notice',
      ...(row && id ? { subjectId: id, alertId: row.alert_id } : {}),
      data: { link: check.ok ? 'valid' : check.reason },
    });
    throw new DomainError(
      'STAFF_CANNOT_ACK',
      '您已以工作人员身份登录控制台,不能代县级分局或市直部门签收。请由对方通过邮件中的链接(未登录控制台的浏览器)自行签收。',
    );
  }

  /**
   * A county notice's XLSX: that county's orders of the notice's revision (an extension's: the orders in force),
   * nothing of any other county. A department's notice, or one that ends the warning, has none.
   */
  async ordersXlsx(token: string): Promise<{ filename: string; buffer: Buffer }> {
    const { notice } = await this.load(token, 'party-orders');
    if (notice.partyKind !== 'COUNTY' || ENDING_KINDS.includes(notice.noticeKind))
      throw new DomainError('NOT_FOUND', '此通知没有企业指令清单');
    const own = ['ISSUE', 'UPGRADE', 'DOWNGRADE'].includes(notice.noticeKind) && notice.revisionId;
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      `SELECT e.name, e.credit_code, e.grade, o.notice_type, o.level, o.measures, o.effective_at, o.receipt_due_at,
              o.report_due_at, o.state, o.received_at, o.executed_at, o.problem
         FROM reduction_order o JOIN enterprise e ON e.id = o.enterprise_id
        WHERE o.county_code = $2 AND ${own ? 'o.revision_id = $1' : `o.alert_id = $1 AND ${CURRENT_ORDER_SQL}`}
        ORDER BY e.name`,
      [own ? notice.revisionId : notice.alertId, notice.partyCode],
    );
    // Instants: the sheet shows them as date cells in Beijing time.
    const time = (v: unknown) => (v ? new Date(v as Date | string) : null);
    const data: CountyOrderRow[] = rows.map((r) => ({
      name: r.name as string,
      creditCode: r.credit_code as string,
      grade: GRADE_NAMES[r.grade as Grade] ?? String(r.grade),
      noticeType: NOTICE_TYPE_NAMES[r.notice_type as string] ?? String(r.notice_type),
      level: LEVEL_NAMES[r.level as WarningLevel],
      measures: (r.measures as OrderMeasure[])
        .map((x) => `${x.line ? `${x.line}:` : ''}${x.description}`)
        .join(';'),
      effectiveAt: time(r.effective_at),
      receiptDueAt: time(r.receipt_due_at),
      reportDueAt: time(r.report_due_at),
      state: ORDER_STATE_NAMES[r.state as OrderState] ?? String(r.state),
      receivedAt: time(r.received_at),
      executedAt: time(r.executed_at),
      problem: typeof r.problem === 'string' ? (PROBLEM_NAMES[r.problem] ?? r.problem) : '',
    }));
    const title = `${notice.partyName} · ${LEVEL_NAMES[notice.level]}预警(${notice.alert.code})${PARTY_NOTICE_KIND_NAMES[notice.noticeKind]} · 辖区企业减排指令 ${data.length} 家`;
    return {
      filename: `${notice.alert.code}-${notice.partyCode}-orders.xlsx`,
      buffer: await countyOrdersWorkbook(title, data),
    };
  }
}
