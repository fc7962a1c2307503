import { signAckToken } from '../orders/ack-token';
import { composeNotice, type NoticeRow, templateOf } from './notice.composer';
import type { NoticeSource } from '../documents/notice-document';
import type { RenderedMail, TemplateRenderer } from './template-renderer.service';

/** What rendering a notice needs besides its row and source: plain data, so a worker thread can be handed it. */
export interface NoticeRenderContext {
  appUrl: string;
  sessionSecret: string;
  ackLinkDays: number;
  dutyOffice: { name: string; phone: string; email: string };
  /** The links of a notice with no deadline expire ackLinkDays after this. */
  now: Date;
}

/** One notice's outcome: the mail, or why it could not be rendered (that message alone fails). */
export type RenderOutcome = { mail: RenderedMail } | { error: string };

/** An order's signed links: the notice, its receipt and its report (one token, valid ackLinkDays past the deadline). */
export function orderLinks(
  orderId: string,
  row: NoticeRow,
  ctx: NoticeRenderContext,
): { view: string; receipt: string; report: string } {
  const expires = new Date(
    (row.report_due_at ?? row.effective_at ?? ctx.now).getTime() + ctx.ackLinkDays * 86_400_000,
  );
  const base = `${ctx.appUrl}/ack/${signAckToken(orderId, expires, ctx.sessionSecret)}`;
  return { view: base, receipt: `${base}?action=receipt`, report: `${base}?action=report` };
}

/** A county's or department's notice: its receipt page, and (a county's) the list of its enterprises' orders. */
export function partyLinks(
  partyNoticeId: string,
  expiresAt: Date,
  ctx: NoticeRenderContext,
): { receipt: string; orders: string } {
  const secret = ctx.sessionSecret;
  return {
    receipt: `${ctx.appUrl}/party/${signAckToken(partyNoticeId, expiresAt, secret, 'party')}`,
    orders: `${ctx.appUrl}/party/${signAckToken(partyNoticeId, expiresAt, secret, 'party-orders')}/orders.xlsx`,
  };
}

/** Renders each row's notice; a row that cannot be rendered gets its error, the others their mail. */
export function renderNotices(
  renderer: TemplateRenderer,
  rows: NoticeRow[],
  sources: Array<NoticeSource | null>,
  ctx: NoticeRenderContext,
): RenderOutcome[] {
  return rows.map((row, i) => {
    try {
      const notice = composeNotice(row, sources[i], {
        links: (id) => orderLinks(id, row, ctx),
        partyLinks: (id, expiresAt) => partyLinks(id, expiresAt, ctx),
        dutyOffice: ctx.dutyOffice,
      });
      return { mail: renderer.render(templateOf(row), notice) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  });
}
