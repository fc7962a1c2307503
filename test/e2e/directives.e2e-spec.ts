import type { FindOptionsWhere } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AlertTransitionsService } from '../../src/alerts/alert-transitions.service';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const FLAT = ['141121', '141122', '141181', '141182']; // 文水县 交城县 孝义市 汾阳市
const FLAT_NAMES = ['文水县', '交城县', '孝义市', '汾阳市'];
const NUMBER = '晋气防办调〔2026〕4号';
const ISSUER = '山西省大气污染防治工作领导小组办公室';

/**
 * Provincial directives as binding records (issue 14): recorded by the duty office, they set a floor no draft,
 * downgrade, lift or cancellation may break while they bind, at proposal and again at approval; a directive no
 * approved warning answers shows 需启动; lifting it makes the system propose the lift of the warnings started
 * under it, for any commander to approve. MEE-2024 is in force (YELLOW, ORANGE, RED).
 */
describe('provincial directives: records, the floor they set, and their lift', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let auditor: Agent;
  let directiveId: string;
  let alertId: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [duty, commander, auditor] = await Promise.all([
      t.signIn(['DUTY_OFFICER'], 'duty-dir'),
      t.signIn(['COMMANDER'], 'cmd-dir'),
      t.signIn(['AUDITOR'], 'aud-dir'),
    ]);
    // One enterprise in 孝义市 with an ORANGE measure, so the warning below has an order to end.
    const admin = await t.signIn(['ADMIN']);
    const { body } = await admin
      .post('/api/enterprises')
      .send(
        enterpriseInput({ countyCode: '141181', contacts: [{ name: '联系人', email: 'jia@test.example' }] }),
      )
      .expect(201);
    await admin
      .put(`/api/enterprises/${body.id}/plan`)
      .send({ measures: [measure({ level: 'ORANGE' })] })
      .expect(200);
  });
  afterAll(() => t.close());

  const audits = (where: FindOptionsWhere<AuditEntry>) =>
    t.dataSource.getRepository(AuditEntry).find({ where, order: { id: 'ASC' } });
  const order = (over: Record<string, unknown> = {}) => ({
    number: NUMBER,
    issuer: ISSUER,
    kind: 'DISPATCH_ORDER',
    level: 'ORANGE',
    countyCodes: FLAT,
    startAt: '2026-11-29T00:00:00+08:00',
    receivedAt: '2026-11-28T09:30:00+08:00',
    note: '省厅电话通知后收到传真',
    ...over,
  });
  const directive = async (id: string) => (await duty.get(`/api/directives/${id}`).expect(200)).body;

  describe('recording', () => {
    it('records a dispatch order (201) with its status and 需启动 for every county it names, audited', async () => {
      const res = await duty
        .post('/api/directives')
        .send(order({ number: `  ${NUMBER} ` }))
        .expect(201);
      directiveId = res.body.id;
      expect(res.body).toMatchObject({
        number: NUMBER,
        issuer: ISSUER,
        kind: 'DISPATCH_ORDER',
        kindName: '省级调度令',
        level: 'ORANGE',
        levelName: '橙色',
        wholeCity: false,
        countyCodes: FLAT,
        startAt: '2026-11-28T16:00:00.000Z',
        endAt: null,
        receivedAt: '2026-11-28T01:30:00.000Z',
        rulesetId: 'MEE-2024',
        note: '省厅电话通知后收到传真',
        recordedBy: 'duty-dir',
        liftedAt: null,
        status: 'SCHEDULED',
        statusName: '未开始',
        needsStart: true,
        countiesBelow: FLAT.map((code, i) => ({ code, name: FLAT_NAMES[i] })),
        warnings: [],
      });
      const [entry] = await audits({ action: 'directive.recorded', subjectId: directiveId });
      expect(entry).toMatchObject({ actorName: 'duty-dir', subjectType: 'directive' });
      expect(entry.data).toMatchObject({ number: NUMBER, level: 'ORANGE', countyCodes: FLAT });
    });

    it('refuses bad input with 422 naming every field at once, in Chinese, writing nothing', async () => {
      const before = (await audits({ action: 'directive.recorded' })).length;
      const shape = await duty
        .post('/api/directives')
        .send({ ...order({ number: 'X-1' }), kind: 'PHONE_CALL', startAt: '2026-11-29 00:00' })
        .expect(422);
      expect(shape.body.error.code).toBe('VALIDATION_FAILED');
      expect(shape.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'kind',
        'startAt',
      ]);
      for (const f of shape.body.error.fields) expect(f.message).toMatch(/[\u4e00-\u9fff]/);

      const rules = await duty
        .post('/api/directives')
        .send(
          order({
            number: '   ',
            issuer: ' ',
            level: 'BLUE', // not a level of MEE-2024
            countyCodes: ['141181', '999999'],
            endAt: '2026-11-28T00:00:00+08:00',
            receivedAt: '2026-11-28T12:00:00+08:00',
          }),
        )
        .expect(422);
      const fields = rules.body.error.fields as Array<{ field: string; message: string }>;
      expect(fields.map((f) => f.field)).toEqual([
        'number',
        'issuer',
        'countyCodes[1]',
        'endAt',
        'receivedAt',
        'level',
      ]);
      for (const f of fields) expect(f.message).toMatch(/[\u4e00-\u9fff]/);
      expect(fields.find((f) => f.field === 'level')!.message).toContain('MEE-2024');
      const none = await duty
        .post('/api/directives')
        .send(order({ number: 'X-2', countyCodes: [] }))
        .expect(422);
      expect(none.body.error.fields).toEqual([
        { field: 'countyCodes', message: '请选择区县,或设置 wholeCity: true 覆盖全市' },
      ]);
      expect((await audits({ action: 'directive.recorded' })).length).toBe(before);
    });

    it('refuses a 文号 already recorded (409 DIRECTIVE_NUMBER_TAKEN), whatever the spaces around it', async () => {
      const res = await duty
        .post('/api/directives')
        .send(order({ number: ` ${NUMBER}`, level: 'RED' }))
        .expect(409);
      expect(res.body.error).toMatchObject({
        code: 'DIRECTIVE_NUMBER_TAKEN',
        fields: [{ field: 'number', message: '文号已存在' }],
      });
      expect(res.body.error.message).toContain(NUMBER);
    });

    it('lets auditors read but not record; a commander may record', async () => {
      const refused = await auditor
        .post('/api/directives')
        .send(order({ number: 'A-1' }))
        .expect(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
      const list = await auditor.get('/api/directives').expect(200);
      expect(list.body.map((d: { number: string }) => d.number)).toEqual([NUMBER]);
      const wholeCity = await commander
        .post('/api/directives')
        .send(
          order({
            number: '晋气防办调〔2026〕3号',
            kind: 'REGIONAL_WARNING',
            level: 'YELLOW',
            countyCodes: undefined,
            wholeCity: true,
            startAt: '2026-11-20T00:00:00+08:00',
            endAt: '2026-11-22T00:00:00+08:00',
            receivedAt: '2026-11-19T10:00:00+08:00',
          }),
        )
        .expect(201);
      expect(wholeCity.body).toMatchObject({
        wholeCity: true,
        status: 'ENDED',
        needsStart: false,
        countiesBelow: [],
      });
      expect(wholeCity.body.countyCodes).toHaveLength(13);
      // Newest first.
      const after = await duty.get('/api/directives').expect(200);
      expect(after.body.map((d: { number: string }) => d.number)).toEqual(['晋气防办调〔2026〕3号', NUMBER]);
    });
  });

  describe('the floor', () => {
    const draft = (over: Record<string, unknown>) =>
      duty.post('/api/alerts').send({
        effectiveAt: '2026-11-29T00:00:00+08:00',
        expectedEndAt: '2026-12-02T00:00:00+08:00',
        reason: '省级调度令',
        ...over,
      });

    it('refuses a draft below the directive for the counties it names (409 DIRECTIVE_FLOOR naming it)', async () => {
      const res = await draft({ level: 'YELLOW', countyCodes: ['141181', '141102'] }).expect(409);
      expect(res.body.error.code).toBe('DIRECTIVE_FLOOR');
      expect(res.body.error.message).toBe(
        `起草将使区县低于省级指令要求:省级调度令 ${NUMBER} 要求孝义市不低于橙色预警(2026年11月29日 00:00起至解除)`,
      );
      expect(res.body.directives).toEqual([
        {
          id: directiveId,
          number: NUMBER,
          kind: 'DISPATCH_ORDER',
          level: 'ORANGE',
          countyCodes: ['141181'],
          startAt: '2026-11-28T16:00:00.000Z',
          endAt: null,
        },
      ]);
      expect(await t.dataSource.query('SELECT id FROM alert')).toEqual([]);
    });

    it('refuses a directiveId that names no directive (422)', async () => {
      const res = await draft({
        level: 'ORANGE',
        countyCodes: FLAT,
        directiveId: '00000000-0000-4000-8000-000000000000',
      }).expect(422);
      expect(res.body.error.fields).toEqual([{ field: 'directiveId', message: '省级指令不存在' }]);
    });

    it('accepts a draft at the level, which answers the directive; 需启动 stays until it is approved', async () => {
      const res = await draft({ level: 'ORANGE', countyCodes: FLAT }).expect(201);
      alertId = res.body.id;
      expect(res.body.directives).toEqual([{ id: directiveId, number: NUMBER, level: 'ORANGE' }]);
      const pending = await directive(directiveId);
      expect(pending.needsStart).toBe(true);
      expect(pending.warnings).toEqual([
        { id: alertId, code: res.body.code, status: 'PENDING_APPROVAL', level: 'ORANGE', countyCodes: FLAT },
      ]);

      await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
      const answered = await directive(directiveId);
      expect(answered).toMatchObject({ needsStart: false, countiesBelow: [] });
      expect(answered.warnings[0]).toMatchObject({ id: alertId, status: 'ISSUED' });
      expect((await duty.get(`/api/alerts/${alertId}`).expect(200)).body.directives).toEqual([
        { id: directiveId, number: NUMBER, level: 'ORANGE' },
      ]);
    });

    it('accepts a draft below it for a county it does not name', async () => {
      const res = await draft({ level: 'YELLOW', countyCodes: ['141102'] }).expect(201);
      expect(res.body.directives).toEqual([]);
      await commander.post(`/api/alerts/${res.body.id}/approve`).send({}).expect(200);
    });

    it('refuses a downgrade, a lift and a cancellation while it binds, and proposes nothing', async () => {
      const down = await duty
        .post(`/api/alerts/${alertId}/adjust`)
        .send({ level: 'YELLOW', effectiveAt: '2026-11-29T12:00:00+08:00', reason: '好转' })
        .expect(409);
      expect(down.body.error.code).toBe('DIRECTIVE_FLOOR');
      expect(down.body.error.message).toContain(
        `降级将使区县低于省级指令要求:省级调度令 ${NUMBER} 要求文水县、交城县、孝义市、汾阳市不低于橙色预警`,
      );
      const lift = await duty
        .post(`/api/alerts/${alertId}/lift`)
        .send({ effectiveAt: '2026-11-30T12:00:00+08:00', reason: '好转' })
        .expect(409);
      expect(lift.body.error.code).toBe('DIRECTIVE_FLOOR');
      expect(lift.body.error.message).toContain(`解除将使区县低于省级指令要求:省级调度令 ${NUMBER}`);
      const cancel = await duty.post(`/api/alerts/${alertId}/cancel`).send({ reason: '不需要' }).expect(409);
      expect(cancel.body.error.code).toBe('DIRECTIVE_FLOOR');
      // An upgrade is never below it.
      await duty
        .post(`/api/alerts/${alertId}/adjust`)
        .send({ level: 'RED', effectiveAt: '2026-11-29T12:00:00+08:00', reason: '加重' })
        .expect(200);
      await duty.post(`/api/alerts/${alertId}/reject`).send({ reason: 'x' }).expect(403);
      await commander.post(`/api/alerts/${alertId}/reject`).send({ reason: '暂不升级' }).expect(200);
      expect((await duty.get(`/api/alerts/${alertId}`)).body.pendingChange).toBeNull();
    });

    it('refuses at approval a lift proposed before a directive that binds it was recorded', async () => {
      const { body: w } = await draft({ level: 'YELLOW', countyCodes: ['141125'] }).expect(201); // 柳林县
      await commander.post(`/api/alerts/${w.id}/approve`).send({}).expect(200);
      await duty
        .post(`/api/alerts/${w.id}/lift`)
        .send({ effectiveAt: '2026-11-30T12:00:00+08:00', reason: '好转' })
        .expect(200);
      await duty
        .post('/api/directives')
        .send(
          order({
            number: '晋气防办预〔2026〕9号',
            kind: 'REGIONAL_WARNING',
            level: 'YELLOW',
            countyCodes: ['141125'],
          }),
        )
        .expect(201);
      const res = await commander
        .post(`/api/alerts/${w.id}/approve`)
        .send({ overrideReason: '已好转' })
        .expect(409);
      expect(res.body.error.code).toBe('DIRECTIVE_FLOOR');
      expect(res.body.error.message).toBe(
        '解除将使区县低于省级指令要求:区域预警 晋气防办预〔2026〕9号 要求柳林县不低于黄色预警(2026年11月29日 00:00起至解除)。请驳回此变更',
      );
      const after = (await duty.get(`/api/alerts/${w.id}`).expect(200)).body;
      expect(after.pendingChange).toMatchObject({ kind: 'LIFT', status: 'PENDING' });
      expect(after.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE']);
    });
  });

  describe('lifting a directive', () => {
    let pendingDraftId: string;
    let secondDirectiveId: string;
    let secondDraftDirectives: unknown;

    beforeAll(async () => {
      // A second directive whose only warning is still a draft: its lift cannot be proposed.
      const { body: d } = await duty
        .post('/api/directives')
        .send(order({ number: '晋气防办调〔2026〕5号', countyCodes: ['141124'] })) // 临县
        .expect(201);
      const { body: w } = await duty
        .post('/api/alerts')
        .send({
          level: 'ORANGE',
          countyCodes: ['141124'],
          effectiveAt: '2026-11-29T00:00:00+08:00',
          reason: '省级调度令',
        })
        .expect(201);
      pendingDraftId = w.id;
      secondDraftDirectives = w.directives;
      secondDirectiveId = d.id;
      // The order is in force; the warning took effect at midnight; a clean forecast for the lift check.
      t.clock.set('2026-11-29T06:00:00+08:00');
      await t.app.get(AlertTransitionsService).applyDue();
      const forecasts = FLAT.flatMap((countyCode) =>
        ['2026-11-29', '2026-11-30', '2026-12-01'].map((date) => ({
          countyCode,
          date,
          aqi: 80,
          primaryPollutant: 'PM2.5',
        })),
      );
      await duty
        .post('/api/consultations')
        .send({ heldAt: '2026-11-29T05:00:00+08:00', participants: ['市气象局'], opinion: '好转', forecasts })
        .expect(201);
    });

    it('records the lift and proposes, as the system, the lift of the warning started under it', async () => {
      expect((await directive(directiveId)).status).toBe('IN_FORCE');
      const { body: before } = await duty.get(`/api/alerts/${alertId}`).expect(200);
      expect(before.status).toBe('ACTIVE');
      const res = await duty
        .post(`/api/directives/${directiveId}/lift`)
        .send({ reason: '省厅通知解除' })
        .expect(200);
      expect(res.body.directive).toMatchObject({
        id: directiveId,
        status: 'LIFTED',
        statusName: '已解除',
        liftedAt: '2026-11-28T22:00:00.000Z',
        liftedBy: 'duty-dir',
        liftReason: '省厅通知解除',
        needsStart: false,
      });
      const change = (await duty.get(`/api/alerts/${alertId}`).expect(200)).body.pendingChange;
      expect(res.body.liftProposals).toEqual([{ alertId, code: before.code, changeId: change.id }]);
      expect(res.body.skipped).toEqual([]);
      expect(change).toMatchObject({
        kind: 'LIFT',
        status: 'PENDING',
        effectiveAt: '2026-11-28T22:00:00.000Z',
        reason: `省级调度令${NUMBER}已解除`,
        proposedBy: 'system',
        liftCheck: { ok: true, requiredHours: 36 },
      });
      // The last proposal (the upgrade proposed and rejected above came first).
      const proposed = (await audits({ alertId, action: 'alert.change.proposed' })).at(-1)!;
      expect(proposed).toMatchObject({ actorType: 'SYSTEM' });
      expect(proposed.data).toMatchObject({ kind: 'LIFT', directiveId, directiveNumber: NUMBER });
      const [lifted] = await audits({ action: 'directive.lifted', subjectId: directiveId });
      expect(lifted).toMatchObject({ actorName: 'duty-dir' });
      expect(lifted.data).toMatchObject({ number: NUMBER, reason: '省厅通知解除' });
    });

    it('lets any commander approve the system proposal: the warning is lifted and its orders end', async () => {
      const other = await t.signIn(['COMMANDER']);
      const res = await other.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
      expect(res.body.status).toBe('LIFTED');
      expect(res.body.revisions.map((r: { kind: string }) => r.kind)).toEqual(['ISSUE', 'LIFT']);
      const orders = await t.dataSource.query<Array<{ state: string }>>(
        "SELECT state FROM reduction_order WHERE alert_id = $1 AND notice_type NOT IN ('LIFT', 'CANCEL')",
        [alertId],
      );
      expect(orders.map((o) => o.state)).toEqual(['LIFTED']);
    });

    it('refuses to lift it again (409 DIRECTIVE_LIFTED)', async () => {
      const res = await duty.post(`/api/directives/${directiveId}/lift`).send({}).expect(409);
      expect(res.body.error.code).toBe('DIRECTIVE_LIFTED');
      expect(res.body.error.message).toContain(NUMBER);
    });

    it('skips a warning that already has a pending change, says so and records it', async () => {
      expect(secondDraftDirectives).toEqual([
        { id: secondDirectiveId, number: '晋气防办调〔2026〕5号', level: 'ORANGE' },
      ]);
      const res = await commander.post(`/api/directives/${secondDirectiveId}/lift`).send({}).expect(200);
      expect(res.body.liftProposals).toEqual([]);
      expect(res.body.skipped).toEqual([
        {
          alertId: pendingDraftId,
          code: expect.any(String),
          reason: '该预警已有待审批的发布变更(duty-dir提出),未自动提出解除',
        },
      ]);
      const [skip] = await audits({ alertId: pendingDraftId, action: 'directive.lift.proposal-skipped' });
      expect(skip).toMatchObject({ actorType: 'SYSTEM' });
      expect(skip.data).toMatchObject({ directiveId: secondDirectiveId, code: 'ALERT_CHANGE_PENDING' });
      expect((await duty.get(`/api/alerts/${pendingDraftId}`)).body.pendingChange.kind).toBe('ISSUE');
    });

    it('skips a warning another directive still binds: its lift would break that floor', async () => {
      const record = async (number: string, level: string, kind: string) =>
        (
          await duty
            .post('/api/directives')
            .send(
              order({
                number,
                level,
                kind,
                countyCodes: ['141128'],
                receivedAt: '2026-11-29T05:30:00+08:00',
              }),
            )
            .expect(201)
        ).body.id as string;
      const orange = await record('晋气防办调〔2026〕6号', 'ORANGE', 'DISPATCH_ORDER');
      const yellow = await record('晋气防办预〔2026〕10号', 'YELLOW', 'REGIONAL_WARNING');
      const { body: w } = await duty
        .post('/api/alerts')
        .send({
          level: 'ORANGE',
          countyCodes: ['141128'], // 方山县
          effectiveAt: '2026-11-29T08:00:00+08:00',
          reason: '省级调度令',
        })
        .expect(201);
      expect(w.directives.map((d: { id: string }) => d.id).sort()).toEqual([orange, yellow].sort());
      await commander.post(`/api/alerts/${w.id}/approve`).send({}).expect(200);

      const res = await duty.post(`/api/directives/${orange}/lift`).send({}).expect(200);
      expect(res.body.liftProposals).toEqual([]);
      expect(res.body.skipped).toEqual([
        {
          alertId: w.id,
          code: w.code,
          reason:
            '解除将使区县低于省级指令要求:区域预警 晋气防办预〔2026〕10号 要求方山县不低于黄色预警(2026年11月29日 00:00起至解除)',
        },
      ]);
      expect((await duty.get(`/api/alerts/${w.id}`)).body.pendingChange).toBeNull();
      const [skip] = await audits({ alertId: w.id, action: 'directive.lift.proposal-skipped' });
      expect(skip.data).toMatchObject({ directiveId: orange, code: 'DIRECTIVE_FLOOR' });
    });

    it('answers 404 for an unknown directive', async () => {
      await duty.post('/api/directives/00000000-0000-4000-8000-000000000000/lift').send({}).expect(404);
      await duty.get('/api/directives/not-a-uuid').expect(404);
    });
  });
});
