import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
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
  const [admin, duty, commander] = await Promise.all([
    t.signIn(['ADMIN']),
    t.signIn(['DUTY_OFFICER']),
    t.signIn(['COMMANDER']),
  ]);
  const email = `link-${Date.now().toString(36)}@test.example`;
  const { body: enterprise } = await admin
    .post('/api/enterprises')
    .send(enterpriseInput({ countyCode: '141181', contacts: [{ name: '甲', email }] }))
    .expect(201);
  await admin
    .put(`/api/enterprises/${enterprise.id}/plan`)
    .send({ measures: [measure({ level: 'ORANGE' })] })
    .expect(200);
  const { body: alert } = await duty
    .post('/api/alerts')
    .send({
      level: 'ORANGE',
      countyCodes: ['141181'],
      effectiveAt: '2026-11-28T20:00:00+08:00',
      reason: '会商研判',
    })
    .expect(201);
  await commander.post(`/api/alerts/${alert.id}/approve`).send({}).expect(200);
  const before = sink.received;
  await t.app.get(OutboxDispatcher).drain();
  await sink.waitFor(before + 1);
  const mail = sink.messages.find((m) => JSON.stringify(m.to).includes(email));
  const match = /\/ack\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(mail?.text ?? '');
  if (!match) throw new Error('no signed link in the notice');
  const [{ id: orderId }] = await t.dataSource.query<Array<{ id: string }>>(
    'SELECT id FROM reduction_order WHERE alert_id = $1 AND enterprise_id = $2',
    [alert.id, enterprise.id],
  );
  return { alertId: alert.id as string, orderId, token: match[1] };
}
