import { SIGNER } from '../support/signer';
import { Client } from 'pg';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { type Actor } from '../../src/audit/actor';
import { signAckToken } from '../../src/orders/ack-token';
import { AckService } from '../../src/orders/ack.service';
import { scenario } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';
import { testConfig } from '../support/test-config';

/**
 * Acknowledgements arriving together are written in shared batches: each request must still get its own,
 * correct outcome, whatever else is in its batch.
 */
describe('acknowledgements arriving together', () => {
  let t: TestApp;
  let orderIds: string[];
  const secret = testConfig('postgres://unused').sessionSecret;
  const token = (orderId: string) => signAckToken(orderId, new Date(Date.UTC(2026, 11, 20)), secret);

  /** A warning approved now over `n` new enterprises of one county: its order ids. */
  const issueOrders = async (countyCode: string, n: number): Promise<string[]> => {
    const { orderIds: ids } = await scenario(t)
      .enterprises(
        Array.from({ length: n }, (_, i) => ({ key: `e${i}`, input: { countyCode } })),
        { via: 'service' },
      )
      .warning({
        level: 'ORANGE',
        countyCodes: [countyCode],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '测试',
      })
      .approved();
    if (ids.length !== n) throw new Error(`expected ${n} orders, got ${ids.length}`);
    return ids;
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    // The orders are issued at 10:00; the enterprises answer at 10:30.
    t.clock.set('2026-11-28T10:00:00+08:00');
    orderIds = await issueOrders('141181', 40);
    t.clock.set('2026-11-28T10:30:00+08:00');
  });
  afterAll(() => t.close());

  const count = (action: string) => t.dataSource.getRepository(AuditEntry).countBy({ action });

  it('gives every request its own outcome and records each use once', async () => {
    // 40 receipts, a second receipt for the first 10, reports for 5 others, a forged link and a superseded order.
    await t.dataSource.query(`UPDATE reduction_order SET state = 'SUPERSEDED' WHERE id = $1`, [orderIds[39]]);
    const forged = token(orderIds[0]).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const calls = [
      ...orderIds.slice(0, 39).map((id) => ({ path: `/ack/${token(id)}/receipt`, body: SIGNER })),
      ...orderIds.slice(0, 10).map((id) => ({ path: `/ack/${token(id)}/receipt`, body: SIGNER })),
      ...orderIds.slice(20, 25).map((id) => ({
        path: `/ack/${token(id)}/report`,
        body: { ...SIGNER, measuresInPlaceAt: '2026-11-28T10:20', note: '已停产' },
      })),
      { path: `/ack/${forged}/receipt`, body: SIGNER },
      { path: `/ack/${token(orderIds[39])}/receipt`, body: SIGNER },
    ];
    const responses = await Promise.all(calls.map((c) => t.http().post(c.path).type('form').send(c.body)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.slice(0, 54)).toEqual(Array(54).fill(303));
    expect(statuses.slice(54)).toEqual([404, 409]);
    const done = responses
      .slice(0, 54)
      .map((r) => new URL(r.headers.location, 'http://x').searchParams.get('done'));
    // Each order's first receipt changes it; its second says "already" (or, if the report came first, both do).
    expect(done.filter((d) => d === 'already').length).toBeGreaterThanOrEqual(10);

    const states = await t.dataSource.query<Array<{ state: string; n: number }>>(
      `SELECT state, count(*)::int AS n FROM reduction_order WHERE id = ANY($1) GROUP BY state ORDER BY state`,
      [orderIds],
    );
    expect(states).toEqual([
      { state: 'EXECUTED', n: 5 },
      { state: 'RECEIVED', n: 34 },
      { state: 'SUPERSEDED', n: 1 },
    ]);
    const executed = await t.dataSource.query<
      Array<{ received_at: Date; executed_at: Date; report_note: string }>
    >(`SELECT received_at, executed_at, report_note FROM reduction_order WHERE state = 'EXECUTED'`);
    expect(executed.every((o) => o.received_at && o.executed_at && o.report_note === '已停产')).toBe(true);
    // One entry per use: 39 receipts and 5 reports changed an order; every other use is a recorded repeat.
    const changedReceipts = await count('order.received');
    const reports = await count('order.executed');
    const repeats = (await count('order.receipt.repeated')) + (await count('order.report.repeated'));
    expect(reports).toBe(5);
    expect(changedReceipts + reports + repeats).toBe(54);
    expect(changedReceipts).toBe(54 - 5 - repeats);
    expect(repeats).toBeGreaterThanOrEqual(10);
  });

  it('answers a lone request at once, as its own batch', async () => {
    const res = await t
      .http()
      .post(`/ack/${token(orderIds[30])}/report`)
      .type('form')
      .send({ ...SIGNER, measuresInPlaceAt: '2026-11-28T10:25', note: '单独提交' });
    expect(res.status).toBe(303);
    const [row] = await t.dataSource.query<Array<{ state: string; report_note: string }>>(
      'SELECT state, report_note FROM reduction_order WHERE id = $1',
      [orderIds[30]],
    );
    expect(row).toEqual({ state: 'EXECUTED', report_note: '单独提交' });
  });

  describe('with malformed requests among them', () => {
    let orders: string[];

    beforeAll(async () => {
      // A second warning, in another county: its orders are issued at 10:00, answered at noon.
      t.clock.set('2026-11-28T10:00:00+08:00');
      orders = await issueOrders('141102', 59);
      t.clock.set('2026-11-28T12:00:00+08:00');
    });

    const orderRows = (ids: string[]) =>
      t.dataSource.query<
        Array<{
          id: string;
          state: string;
          received_at: Date | null;
          executed_at: Date | null;
          measures_in_place_at: Date | null;
          report_note: string | null;
        }>
      >(
        `SELECT id, state, received_at, executed_at, measures_in_place_at, report_note
           FROM reduction_order WHERE id = ANY($1) ORDER BY id`,
        [ids],
      );
    const auditOf = (ids: string[]) =>
      t.dataSource.query<Array<{ subject_id: string; action: string }>>(
        `SELECT subject_id, action FROM audit_entry WHERE subject_type = 'order' AND subject_id = ANY($1)
          ORDER BY subject_id`,
        [ids],
      );
    const report = (orderId: string, measuresInPlaceAt: string, note = '已停产') =>
      t
        .http()
        .post(`/ack/${token(orderId)}/report`)
        .type('form')
        .send({ ...SIGNER, measuresInPlaceAt, note });

    it('refuses each malformed report on its own (422 naming measuresInPlaceAt) and commits every valid one', async () => {
      const reports = orders.slice(0, 27);
      const receipts = orders.slice(27, 45);
      const bad = orders.slice(45, 48);
      // -10000 is beyond what PostgreSQL can store; 1900 is long before the order; +275760 is the future.
      const malformed = ['-010000-01-01T00:00:00Z', '1900-01-01T08:00', '+275760-09-13T00:00:00Z'];
      const calls: Array<{ kind: 'report' | 'receipt' | 'bad'; send: () => ReturnType<typeof report> }> = [
        ...reports.map((id) => ({ kind: 'report' as const, send: () => report(id, '2026-11-28T11:00') })),
        ...receipts.map((id) => ({
          kind: 'receipt' as const,
          send: () =>
            t
              .http()
              .post(`/ack/${token(id)}/receipt`)
              .type('form')
              .send(SIGNER),
        })),
      ];
      // Spread among the valid ones, so they arrive in the middle of batches.
      calls.splice(40, 0, { kind: 'bad', send: () => report(bad[2], malformed[2]) });
      calls.splice(20, 0, { kind: 'bad', send: () => report(bad[1], malformed[1]) });
      calls.splice(1, 0, { kind: 'bad', send: () => report(bad[0], malformed[0]) });

      const responses = await Promise.all(calls.map((c) => c.send()));

      const of = (kind: string) => responses.filter((_, i) => calls[i].kind === kind);
      expect(of('report').map((r) => r.status)).toEqual(Array(27).fill(303));
      expect(of('receipt').map((r) => r.status)).toEqual(Array(18).fill(303));
      const refused = of('bad');
      expect(refused.map((r) => r.status)).toEqual([422, 422, 422]);
      for (const r of refused)
        expect(r.text).toMatch(
          /<span class="field-error" id="report-measuresInPlaceAt-error">落实时间不能(早于指令下达时间|晚于当前时间)/,
        );

      const rows = new Map((await orderRows(orders.slice(0, 48))).map((r) => [r.id, r]));
      for (const id of reports)
        expect(rows.get(id)).toMatchObject({
          state: 'EXECUTED',
          measures_in_place_at: new Date('2026-11-28T03:00:00Z'),
          report_note: '已停产',
        });
      for (const id of receipts) expect(rows.get(id)).toMatchObject({ state: 'RECEIVED', executed_at: null });
      for (const id of bad)
        expect(rows.get(id)).toMatchObject({
          state: 'PENDING',
          received_at: null,
          executed_at: null,
          measures_in_place_at: null,
          report_note: null,
        });

      const audit = await auditOf(orders.slice(0, 48));
      const actions = (ids: string[]) => audit.filter((a) => ids.includes(a.subject_id)).map((a) => a.action);
      expect(actions(reports)).toEqual(Array(27).fill('order.executed'));
      expect(actions(receipts)).toEqual(Array(18).fill('order.received'));
      expect(actions(bad)).toEqual([]);
    });

    it('refuses a report dated 1900 or before the order was issued, and accepts one from the moment of issue', async () => {
      const [in1900, beforeIssue, atIssue, future] = orders.slice(48, 52);
      const old = await report(in1900, '1900-01-01T00:00');
      expect(old.status).toBe(422);
      expect(old.text).toContain(
        '<span class="field-error" id="report-measuresInPlaceAt-error">落实时间不能早于指令下达时间',
      );
      const early = await report(beforeIssue, '2026-11-28T09:59');
      expect(early.status).toBe(422);
      expect(early.text).toContain(
        '<span class="field-error" id="report-measuresInPlaceAt-error">落实时间不能早于指令下达时间',
      );
      expect((await report(atIssue, '2026-11-28T10:00')).status).toBe(303);
      // Noon now: five minutes' grace for a fast clock, not six.
      expect((await report(future, '2026-11-28T12:06')).text).toContain(
        '<span class="field-error" id="report-measuresInPlaceAt-error">落实时间不能晚于当前时间',
      );
      const rows = await orderRows([in1900, beforeIssue, future]);
      expect(rows.map((r) => r.state)).toEqual(['PENDING', 'PENDING', 'PENDING']);
      expect(await auditOf([in1900, beforeIssue, future])).toEqual([]);
      expect((await orderRows([atIssue]))[0]).toMatchObject({
        state: 'EXECUTED',
        measures_in_place_at: new Date('2026-11-28T02:00:00Z'),
      });
    });

    it('fails only the request the database refuses; the rest of its batch commits', async () => {
      const ids = orders.slice(52, 59);
      const refusedId = ids[3];
      // A fault only the database sees (no check before the batch can foresee it): it refuses one order's update.
      // DDL is the schema owner's; the service's login may not create triggers.
      const owner = new Client({ connectionString: t.db.ownerUrl });
      await owner.connect();
      await owner.query(`
        CREATE FUNCTION test_refuse_order() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.id = '${refusedId}' THEN RAISE EXCEPTION 'refused by the test'; END IF;
          RETURN NEW;
        END $$`);
      await owner.query(
        'CREATE TRIGGER test_refuse_order BEFORE UPDATE ON reduction_order FOR EACH ROW EXECUTE FUNCTION test_refuse_order()',
      );
      try {
        const ack = t.app.get(AckService);
        const actor: Actor = { type: 'ANONYMOUS', id: null, name: null };
        // Called in one tick: the first request is a batch of its own, the other six share the next one.
        const results = await Promise.allSettled(ids.map((id) => ack.receipt(token(id), SIGNER, actor)));
        expect(results.map((r) => r.status)).toEqual(
          ids.map((id) => (id === refusedId ? 'rejected' : 'fulfilled')),
        );
        expect(String((results[3] as PromiseRejectedResult).reason)).toContain('refused by the test');
      } finally {
        await owner.query('DROP TRIGGER test_refuse_order ON reduction_order');
        await owner.query('DROP FUNCTION test_refuse_order()');
        await owner.end();
      }
      const rows = await orderRows(ids);
      expect(rows.map((r) => [r.id, r.state])).toEqual(
        ids.map((id) => [id, id === refusedId ? 'PENDING' : 'RECEIVED']),
      );
      const audit = await auditOf(ids);
      expect(audit.map((a) => a.subject_id)).toEqual(ids.filter((id) => id !== refusedId));
      expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['order.received']));
    });
  });
});
