import { scenario } from './scenario';
import type { SmtpSink } from './smtp-sink';
import type { TestApp } from './test-app';

export interface EnterpriseLink {
  alertId: string;
  orderId: string;
  /** The token of the signed link in the enterprise's email, exactly as mailed. */
  token: string;
}

/**
 * Issues a real warning (admin enterprise + plan, duty draft, commander approval) and sends the notice
 * through the dispatcher to the SMTP sink, so the caller holds a genuine signed link. The app must be
 * configured with `SMTP_URL: sink.url` and its clock set before 2026-11-28T20:00+08:00.
 */
export async function issueEnterpriseLink(t: TestApp, sink: SmtpSink): Promise<EnterpriseLink> {
  const email = `link-${Date.now().toString(36)}@test.example`;
  const s = await scenario(t, { sink })
    .enterprises([{ key: 'link', input: { contacts: [{ name: '甲', email }] } }])
    .warning({ level: 'ORANGE', countyCodes: ['141181'], reason: '会商研判' })
    .approved()
    .delivered();
  return { alertId: s.alertId, orderId: s.orders.link, token: s.tokens.link };
}
