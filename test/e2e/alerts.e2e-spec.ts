import { AlertTransitionsService } from '../../src/alerts/alert-transitions.service';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AdvisoryLockService } from '../../src/common/locks/advisory-lock.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const day = (d: number) =>
  d > 30 ? `2026-12-${String(d - 30).padStart(2, '0')}` : `2026-11-${String(d).padStart(2, '0')}`;
const forecast = (countyCode: string, start: number, ...aqi: number[]) =>
  aqi.map((v, i) => ({ countyCode, date: day(start + i), aqi: v, primaryPollutant: 'PM2.5' }));

describe('warning lifecycle with two-person approval', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let commander2: Agent;
  let consultationId: string;

  beforeAll(async () => {
    // The clock moves days ahead in this file: sessions must outlive it.
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER'], 'duty-wang');
    commander = await t.signIn(['COMMANDER'], 'cmd-li');
    commander2 = await t.signIn(['COMMANDER'], 'cmd-zhao');
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市生态环境局'],
        opinion: '孝义市将出现重污染过程',
        forecasts: [...forecast('141181', 29, 210, 220, 150), ...forecast('141102', 29, 120, 130)],
      })
      .expect(201);
    consultationId = c.body.id;
  });
  afterAll(() => t.close());

  const job = () => t.app.get(AlertTransitionsJob);
  const audits = (alertId: string, action: string) =>
    t.dataSource.getRepository(AuditEntry).find({ where: { alertId, action }, order: { id: 'ASC' } });
  const draft = (over: Record<string, unknown> = {}) =>
    duty.post('/api/alerts').send({
      level: 'ORANGE',
      countyCodes: ['141181'],
      effectiveAt: '2026-11-29T00:00:00+08:00',
      expectedEndAt: '2026-12-01T00:00:00+08:00',
      consultationId,
      reason: '污染已较重,尽快启动', // 14 hours ahead: sooner than the 24-hour lead time
      ...over,
    });

  let alertId: string;

  it('needs a reason when the level differs from the recommendation', async () => {
    const res = await draft({ level: 'YELLOW', reason: undefined }).expect(422);
    expect(res.body.error.fields).toEqual([
      { field: 'reason', message: expect.stringContaining('141181 ORANGE') },
      { field: 'reason', message: expect.stringContaining('不足24小时') },
    ]);
  });

  it('drafts a warning that waits for a commander', async () => {
    const res = await draft().expect(201);
    alertId = res.body.id;
    expect(res.body).toMatchObject({
      status: 'PENDING_APPROVAL',
      level: 'ORANGE',
      countyCodes: ['141181'],
      code: expect.stringMatching(/^2026-\d{3}$/),
      revisions: [],
    });
    expect(res.body.pendingChange).toMatchObject({
      kind: 'ISSUE',
      proposedBy: 'duty-wang',
      consultationId,
      recommendation: [{ countyCode: '141181', level: 'ORANGE' }],
    });
    expect((await audits(alertId, 'alert.drafted'))[0].data).toMatchObject({
      differsFromRecommendation: false,
    });
  });

  it('refuses a second warning over the same county (409) but not over another', async () => {
    const res = await draft({ level: 'RED', reason: '加严' }).expect(409);
    expect(res.body.error.code).toBe('ALERT_COUNTY_OVERLAP');
    expect(res.body.error.message).toContain('孝义市');
    expect(res.body.overlaps).toEqual([expect.objectContaining({ countyCodes: ['141181'] })]);
    await draft({ countyCodes: ['141102'], level: 'YELLOW', reason: '调度令要求' }).expect(201);
  });

  it('enforces roles and the two-person rule', async () => {
    await duty.post(`/api/alerts/${alertId}/approve`).send({}).expect(403);
    const both = await t.signIn(['DUTY_OFFICER', 'COMMANDER'], 'both-roles');
    const own = await both
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141130'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '区县请求',
      })
      .expect(201);
    const refused = await both.post(`/api/alerts/${own.body.id}/approve`).send({}).expect(403);
    expect(refused.body.error.message).toContain('两人审批');
    const auditor = await t.signIn(['AUDITOR']);
    await auditor
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141127'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: 'x',
      })
      .expect(403);
  });

  it('lets exactly one of two commanders approving at the same moment succeed', async () => {
    const results = await Promise.all([
      commander.post(`/api/alerts/${alertId}/approve`).send({ reason: '同意' }),
      commander2.post(`/api/alerts/${alertId}/approve`).send({}),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const { body } = await duty.get(`/api/alerts/${alertId}`).expect(200);
    expect(body).toMatchObject({ status: 'ISSUED', pendingChange: null });
    expect(body.revisions).toEqual([
      expect.objectContaining({
        seq: 1,
        kind: 'ISSUE',
        level: 'ORANGE',
        proposedBy: 'duty-wang',
        consultationId,
        previousRevisionId: null,
        appliedAt: null,
      }),
    ]);
    expect(['cmd-li', 'cmd-zhao']).toContain(body.revisions[0].approvedBy);
    expect(await audits(alertId, 'alert.approved')).toHaveLength(1);
  });

  it('takes effect at its time, once, even when the job runs twice at once', async () => {
    await job().run();
    expect((await duty.get(`/api/alerts/${alertId}`)).body.status).toBe('ISSUED');
    t.clock.set('2026-11-29T00:00:05+08:00');
    // A second instance's job (its own lock session) racing this one: the revision still applies once.
    const otherInstance = new AlertTransitionsJob(
      t.app.get(AdvisoryLockService),
      t.app.get(AlertTransitionsService),
    );
    const runs = await Promise.all([job().run(), job().run(), otherInstance.run()]);
    expect(runs[1]).toEqual({ acquired: false });
    await job().run();
    const { body } = await duty.get(`/api/alerts/${alertId}?`).expect(200);
    expect(body.status).toBe('ACTIVE');
    expect(body.revisions[0].appliedAt).toBe('2026-11-28T16:00:05.000Z');
    expect(await audits(alertId, 'alert.revision.applied')).toHaveLength(1);
    const active = await duty.get('/api/alerts?status=ACTIVE').expect(200);
    expect(active.body.map((a: { id: string }) => a.id)).toEqual([alertId]);
  });

  it('upgrades through a new revision that takes effect at its own time', async () => {
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'ORANGE', effectiveAt: '2026-11-30T06:00:00+08:00', reason: 'x' })
      .expect(422);
    const proposed = await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'RED', effectiveAt: '2026-11-30T06:00:00+08:00', reason: '预报加重', consultationId })
      .expect(200);
    expect(proposed.body.pendingChange).toMatchObject({ kind: 'UPGRADE', level: 'RED' });
    const again = await duty
      .post(`/api/alerts/${alertId}/extend`)
      .send({ expectedEndAt: '2026-12-05T00:00:00+08:00' })
      .expect(409);
    expect(again.body.error.code).toBe('ALERT_CHANGE_PENDING');
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    let { body } = await duty.get(`/api/alerts/${alertId}`);
    expect(body).toMatchObject({ level: 'ORANGE', status: 'ACTIVE' });
    expect(body.revisions[1]).toMatchObject({
      seq: 2,
      kind: 'UPGRADE',
      level: 'RED',
      previousRevisionId: body.revisions[0].id,
      appliedAt: null,
    });
    t.clock.set('2026-11-30T06:00:00+08:00');
    await job().run();
    ({ body } = await duty.get(`/api/alerts/${alertId}`));
    expect(body.level).toBe('RED');
  });

  it('extends the expected end as soon as the extension is approved', async () => {
    await duty
      .post(`/api/alerts/${alertId}/extend`)
      .send({ expectedEndAt: '2026-11-29T12:00:00+08:00' })
      .expect(422);
    await duty
      .post(`/api/alerts/${alertId}/extend`)
      .send({ expectedEndAt: '2026-12-03T00:00:00+08:00', reason: '过程延长' })
      .expect(200);
    await commander2.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    const { body } = await duty.get(`/api/alerts/${alertId}`);
    expect(body.expectedEndAt).toBe('2026-12-02T16:00:00.000Z');
    expect(body.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'UPGRADE', 'EXTEND']);
  });

  it('warns when the forecast does not support lifting, records it, and still lets the commander lift', async () => {
    const res = await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-11-30T12:00:00+08:00', reason: '空气质量好转' })
      .expect(200);
    expect(res.body.pendingChange.liftCheck).toMatchObject({
      ok: false,
      message: expect.stringContaining('孝义市'),
      consultationId,
      counties: [{ code: '141181', name: '孝义市', cleanHours: 0, requiredHours: 36, ok: false }],
    });
    expect(await audits(alertId, 'alert.lift.forecast-warning')).toHaveLength(1);
    t.clock.set('2026-11-30T13:00:00+08:00');
    // Against the forecast: only with a written reason (test/e2e/lift-check.e2e-spec.ts has the rest).
    await commander.post(`/api/alerts/${alertId}/approve`).send({ reason: '同意' }).expect(422);
    const approved = await commander
      .post(`/api/alerts/${alertId}/approve`)
      .send({ overrideReason: '现场核实已好转' })
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'LIFTED', liftedAt: '2026-11-30T04:00:00.000Z' });
    const chain = approved.body.revisions;
    expect(chain.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'UPGRADE', 'EXTEND', 'LIFT']);
    for (let i = 1; i < chain.length; i++) expect(chain[i].previousRevisionId).toBe(chain[i - 1].id);
    const afterLift = await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'RED', effectiveAt: '2026-12-01T00:00:00+08:00', reason: 'x' })
      .expect(409);
    expect(afterLift.body.error.code).toBe('ALERT_NOT_CHANGEABLE');
  });

  it('passes the lift check when the latest forecast stays low for more than 36 hours', async () => {
    const c = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-30T12:30:00+08:00',
        participants: ['市气象局'],
        opinion: '转好',
        forecasts: forecast('141125', 31, 90, 80, 70),
      })
      .expect(201);
    const low = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141125'],
        effectiveAt: '2026-11-30T14:00:00+08:00',
        reason: '区县请求',
      })
      .expect(201);
    await commander.post(`/api/alerts/${low.body.id}/approve`).send({}).expect(200);
    const res = await duty
      .post(`/api/alerts/${low.body.id}/lift`)
      .send({ effectiveAt: '2026-12-01T00:00:00+08:00', reason: '好转', consultationId: c.body.id })
      .expect(200);
    expect(res.body.pendingChange.liftCheck).toMatchObject({ ok: true });
  });

  it('cancels an issued warning before it takes effect, not after', async () => {
    const res = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141127'],
        effectiveAt: '2026-12-02T00:00:00+08:00',
        reason: '预报',
      })
      .expect(201);
    await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    await duty.post(`/api/alerts/${res.body.id}/cancel`).send({ reason: '预报调整' }).expect(200);
    const cancelled = await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    const active = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141128'],
        effectiveAt: '2026-11-30T13:00:00+08:00',
        reason: '现状',
      })
      .expect(201);
    await commander.post(`/api/alerts/${active.body.id}/approve`).send({}).expect(200);
    expect((await duty.get(`/api/alerts/${active.body.id}`)).body.status).toBe('ACTIVE');
    const refused = await duty.post(`/api/alerts/${active.body.id}/cancel`).send({ reason: 'x' }).expect(409);
    expect(refused.body.error.code).toBe('ALERT_CANCEL_TOO_LATE');
  });

  it('expires an active warning at its expected end', async () => {
    const res = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141126'],
        effectiveAt: '2026-11-30T13:00:00+08:00',
        expectedEndAt: '2026-12-01T00:00:00+08:00',
        reason: '短时',
      })
      .expect(201);
    await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    t.clock.set('2026-12-01T00:00:01+08:00');
    await job().run();
    expect((await duty.get(`/api/alerts/${res.body.id}`)).body.status).toBe('EXPIRED');
    expect(await audits(res.body.id, 'alert.expired')).toHaveLength(1);
  });

  it('records a rejection with its reason', async () => {
    const res = await duty
      .post('/api/alerts')
      .send({
        level: 'RED',
        countyCodes: ['141124'],
        effectiveAt: '2026-12-02T00:00:00+08:00',
        reason: '过度',
      })
      .expect(201);
    await commander.post(`/api/alerts/${res.body.id}/reject`).send({}).expect(422);
    const rejected = await commander
      .post(`/api/alerts/${res.body.id}/reject`)
      .send({ reason: '依据不足' })
      .expect(200);
    expect(rejected.body).toMatchObject({
      status: 'REJECTED',
      pendingChange: null,
      rejectedChanges: [{ kind: 'ISSUE', decidedBy: 'cmd-li', decisionReason: '依据不足' }],
    });
    const again = await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(409);
    expect(again.body.error.code).toBe('ALERT_NO_PENDING_CHANGE');
  });

  it.each([
    [{ level: 'PURPLE', reason: 'x' }, 'level'],
    [{ level: 'BLUE', reason: 'x' }, 'level'],
    [{ countyCodes: ['999999'], reason: 'x' }, 'countyCodes[0]'],
    [{ countyCodes: [], reason: 'x' }, 'countyCodes'],
    [{ effectiveAt: '2026-11-25T00:00:00+08:00', reason: 'x' }, 'effectiveAt'],
    [{ effectiveAt: 'tomorrow', reason: 'x' }, 'effectiveAt'],
    [{ expectedEndAt: '2026-11-28T00:00:00+08:00', reason: 'x' }, 'expectedEndAt'],
    [{ consultationId: '00000000-0000-0000-0000-000000000000', reason: 'x' }, 'consultationId'],
  ])('refuses a bad draft %p naming %s', async (over, field) => {
    const res = await draft({ countyCodes: ['141123'], consultationId: undefined, ...over }).expect(422);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('answers unknown warnings and bad filters clearly', async () => {
    await duty.get('/api/alerts/00000000-0000-0000-0000-000000000000').expect(404);
    await duty.get('/api/alerts?status=SLEEPING').expect(422);
    await t.http().get('/api/alerts').expect(401);
  });
});
