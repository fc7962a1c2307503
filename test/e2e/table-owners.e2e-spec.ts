import type { EntityManager } from 'typeorm';
import { type SentMessage, DeliveryEffects } from '../../src/notifications/delivery-effects';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { OutboxService } from '../../src/notifications/outbox.service';
import { OrderDeliveryService } from '../../src/orders/order-delivery.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { createTestApp, TestApp } from '../support/test-app';

/** The orders' real hook, with a switch: as it is, throwing after its work, or doing nothing. */
class SwitchedDelivery extends OrderDeliveryService {
  mode: 'real' | 'throw' | 'skip' = 'real';
  readonly calls: SentMessage[][] = [];
  override async onSent(m: EntityManager, sent: readonly SentMessage[], at: Date): Promise<void> {
    this.calls.push([...sent]);
    if (this.mode === 'skip') return;
    await super.onSent(m, sent, at);
    if (this.mode === 'throw') throw new Error('delivery hook down');
  }
}

describe('one writer per table: the outbox queues, the orders mark themselves sent', () => {
  let sink: SmtpSink;
  let t: TestApp;
  const delivery = new SwitchedDelivery();

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      env: { SMTP_URL: sink.url },
      customise: (b) => b.overrideProvider(DeliveryEffects).useValue(delivery),
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
  });

  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  /** Two enterprises in a county, a YELLOW warning for it approved: two PENDING orders, two queued notices. */
  async function approvedAlert(countyCode: string): Promise<string> {
    const [duty, commander, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['ADMIN']),
    ]);
    for (const n of [1, 2]) {
      const { body } = await admin
        .post('/api/enterprises')
        .send(
          enterpriseInput({
            countyCode,
            contacts: [{ name: '联系人', email: `e${n}-${countyCode}@test.example` }],
          }),
        )
        .expect(201);
      await admin
        .put(`/api/enterprises/${body.id}/plan`)
        .send({ measures: [measure({ level: 'YELLOW' })] })
        .expect(200);
    }
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: [countyCode],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        reason: '会商',
      })
      .expect(201);
    await commander.post(`/api/alerts/${draft.body.id}/approve`).send({}).expect(200);
    return draft.body.id as string;
  }

  const states = (alertId: string) =>
    t.dataSource.query<Array<{ message_id: string; order_id: string; message: string; order: string }>>(
      `SELECT m.id AS message_id, o.id AS order_id, m.state AS message, o.state AS order
         FROM outbox_message m JOIN reduction_order o ON o.id = m.order_id
        WHERE m.alert_id = $1 ORDER BY m.id`,
      [alertId],
    );

  it('queues a selection of 10,000 rows in one statement of the caller’s transaction, skipping rows without recipients', async () => {
    const outbox = t.app.get(OutboxService);
    const rollback = new Error('caller rolls back');
    await expect(
      t.dataSource.transaction(async (m) => {
        const query = jest.spyOn(m, 'query');
        const queued = await outbox.enqueueSelected(m, {
          sql: `SELECT NULL::uuid AS order_id, NULL::uuid AS alert_id, 'ESCALATION' AS kind,
                       CASE WHEN g % 10 = 0 THEN '{}'::text[] ELSE ARRAY['bureau' || g || '@test.example'] END AS recipients,
                       jsonb_build_object('n', g) AS context
                  FROM generate_series(1, $1::int) g`,
          params: [10_000],
        });
        expect(query).toHaveBeenCalledTimes(1);
        query.mockRestore();
        expect(queued).toHaveLength(9_000);
        const [row] = await m.query<Array<{ n: number; empty: number; other: number }>>(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE cardinality(recipients) = 0)::int AS empty,
                  count(*) FILTER (WHERE state <> 'QUEUED' OR attempts <> 0 OR next_attempt_at <> $1)::int AS other
             FROM outbox_message WHERE kind = 'ESCALATION'`,
          [t.clock.now()],
        );
        expect(row).toEqual({ n: 9_000, empty: 0, other: 0 });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    const [after] = await t.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM outbox_message WHERE kind = 'ESCALATION'`,
    );
    expect(after.n).toBe(0);
  });

  it('marks the orders SENT through the orders’ hook, in the transaction that records the messages SENT', async () => {
    const alertId = await approvedAlert('141122');
    const dispatcher = t.app.get(OutboxDispatcher);

    // The hook fails after its update: neither the messages nor the orders are recorded as sent.
    delivery.mode = 'throw';
    await expect(dispatcher.dispatchOnce()).rejects.toThrow('delivery hook down');
    expect(sink.received).toBe(2);
    expect((await states(alertId)).map((s) => [s.message, s.order])).toEqual([
      ['SENDING', 'PENDING'],
      ['SENDING', 'PENDING'],
    ]);

    // Past the lease the messages are sent again and this time recorded, with their orders.
    delivery.mode = 'real';
    delivery.calls.length = 0;
    t.clock.advance(60 * 60_000);
    await dispatcher.drain();
    const rows = await states(alertId);
    expect(rows.map((s) => [s.message, s.order])).toEqual([
      ['SENT', 'SENT'],
      ['SENT', 'SENT'],
    ]);
    expect(delivery.calls.flat().sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual(
      rows.map((r) => ({ messageId: r.message_id, orderId: r.order_id })),
    );
  });

  it('leaves the orders to the orders module: with the hook doing nothing, the dispatcher changes no order', async () => {
    const alertId = await approvedAlert('141102');
    delivery.mode = 'skip';
    await t.app.get(OutboxDispatcher).drain();
    expect((await states(alertId)).map((s) => [s.message, s.order])).toEqual([
      ['SENT', 'PENDING'],
      ['SENT', 'PENDING'],
    ]);
  });
});
