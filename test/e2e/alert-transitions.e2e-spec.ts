import { Client } from 'pg';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * Scheduled transitions (issue 13): a revision or expiry that throws is reported and retried on the next run,
 * and the others of the same run still take effect.
 */
describe('scheduled transitions that fail alone', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let owner: Client;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-transitions');
    commander = await t.signIn(['COMMANDER'], 'cmd-transitions');
    // DDL is the schema owner's; the service's login may not create triggers.
    owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  const job = () => t.app.get(AlertTransitionsJob);
  const detail = async (id: string) => (await duty.get(`/api/alerts/${id}`).expect(200)).body;
  const failures = (alertId: string) =>
    t.dataSource
      .getRepository(AuditEntry)
      .find({ where: { alertId, action: 'alert.transition.failed' }, order: { id: 'ASC' } });
  const issued = async (countyCode: string, effectiveAt: string, expectedEndAt: string) => {
    const res = await duty
      .post('/api/alerts')
      .send({ level: 'YELLOW', countyCodes: [countyCode], effectiveAt, expectedEndAt, reason: '区县请求' })
      .expect(201);
    await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    return res.body.id as string;
  };

  /** The database refuses every update of these warnings, as a fault no check in the service foresees. */
  async function refuseUpdatesOf(ids: string[]): Promise<void> {
    await owner.query(`
      CREATE OR REPLACE FUNCTION test_refuse_alert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.id = ANY('{${ids.join(',')}}'::uuid[]) THEN RAISE EXCEPTION 'refused by the test'; END IF;
        RETURN NEW;
      END $$`);
    await owner.query(
      'CREATE TRIGGER test_refuse_alert BEFORE UPDATE ON alert FOR EACH ROW EXECUTE FUNCTION test_refuse_alert()',
    );
  }
  async function allowUpdates(): Promise<void> {
    await owner.query('DROP TRIGGER test_refuse_alert ON alert');
    await owner.query('DROP FUNCTION test_refuse_alert()');
  }

  it('applies the second due revision when the first throws, and the first on the next run once it can', async () => {
    const first = await issued('141126', '2026-11-29T00:00:00+08:00', '2026-12-03T00:00:00+08:00');
    const second = await issued('141127', '2026-11-29T01:00:00+08:00', '2026-12-03T00:00:00+08:00');
    // A later revision of the failing warning: it must wait for the first, not apply out of order.
    await duty
      .post(`/api/alerts/${first}/adjust`)
      .send({ level: 'ORANGE', effectiveAt: '2026-11-29T01:30:00+08:00', reason: '预报加重' })
      .expect(200);
    await commander.post(`/api/alerts/${first}/approve`).send({}).expect(200);
    const [issueRevision] = (await detail(first)).revisions;

    await refuseUpdatesOf([first]);
    try {
      t.clock.set('2026-11-29T02:00:00+08:00');
      expect(await job().run()).toEqual({ acquired: true, result: { applied: 1, expired: 0, failed: 1 } });
      expect(await detail(second)).toMatchObject({ status: 'ACTIVE' });
      expect(await detail(first)).toMatchObject({ status: 'ISSUED', level: 'YELLOW' });
      const reported = await failures(first);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toMatchObject({ actorType: 'SYSTEM', subjectType: 'alert', subjectId: first });
      expect(reported[0].data).toEqual({
        revisionId: issueRevision.id,
        kind: 'ISSUE',
        seq: 1,
        error: 'refused by the test',
      });

      // Still failing on the next runs: retried each time, reported again only after an hour.
      t.clock.set('2026-11-29T02:00:15+08:00');
      expect(await job().run()).toEqual({ acquired: true, result: { applied: 0, expired: 0, failed: 1 } });
      expect(await failures(first)).toHaveLength(1);
      t.clock.set('2026-11-29T02:59:59+08:00');
      expect(await job().run()).toEqual({ acquired: true, result: { applied: 0, expired: 0, failed: 1 } });
      expect(await failures(first)).toHaveLength(1);
      t.clock.set('2026-11-29T03:00:00+08:00');
      await job().run();
      expect(await failures(first)).toHaveLength(2);
    } finally {
      await allowUpdates();
    }

    t.clock.set('2026-11-29T03:00:15+08:00');
    expect(await job().run()).toEqual({ acquired: true, result: { applied: 2, expired: 0, failed: 0 } });
    const after = await detail(first);
    expect(after).toMatchObject({ status: 'ACTIVE', level: 'ORANGE' });
    expect(after.revisions.map((r: { appliedAt: string }) => r.appliedAt)).toEqual([
      '2026-11-28T19:00:15.000Z',
      '2026-11-28T19:00:15.000Z',
    ]);
    expect(await job().run()).toEqual({ acquired: true, result: { applied: 0, expired: 0, failed: 0 } });
  });

  it('expires the other warnings when one expiry throws, and that one on the next run', async () => {
    const stuck = await issued('141128', '2026-11-29T04:00:00+08:00', '2026-11-29T06:00:00+08:00');
    const other = await issued('141129', '2026-11-29T04:00:00+08:00', '2026-11-29T06:00:00+08:00');
    t.clock.set('2026-11-29T04:00:00+08:00');
    expect(await job().run()).toEqual({ acquired: true, result: { applied: 2, expired: 0, failed: 0 } });

    await refuseUpdatesOf([stuck]);
    try {
      t.clock.set('2026-11-29T06:00:00+08:00');
      expect(await job().run()).toEqual({ acquired: true, result: { applied: 0, expired: 1, failed: 1 } });
      expect(await detail(other)).toMatchObject({ status: 'EXPIRED' });
      expect(await detail(stuck)).toMatchObject({ status: 'ACTIVE' });
      expect((await failures(stuck)).map((e) => e.data)).toEqual([
        { revisionId: null, kind: 'EXPIRE', seq: null, error: 'refused by the test' },
      ]);
    } finally {
      await allowUpdates();
    }
    t.clock.set('2026-11-29T06:00:15+08:00');
    expect(await job().run()).toEqual({ acquired: true, result: { applied: 0, expired: 1, failed: 0 } });
    expect(await detail(stuck)).toMatchObject({ status: 'EXPIRED' });
  });

  it('shows the failure on the warning’s timeline', async () => {
    const [first] = (await duty.get('/api/alerts?status=ACTIVE').expect(200)).body.filter(
      (a: { countyCodes: string[] }) => a.countyCodes.includes('141126'),
    );
    const { body } = await duty.get(`/api/alerts/${first.id}/timeline`).expect(200);
    expect(body.items.filter((e: { action: string }) => e.action === 'alert.transition.failed')).toEqual([
      expect.objectContaining({ summary: expect.stringContaining('定时生效失败') }),
      expect.objectContaining({ summary: expect.stringContaining('定时生效失败') }),
    ]);
  });
});
