import type { WarningLevel } from '../../src/rulesets/ruleset.types';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const r = (v: number) => ({ so2: v, nox: v, pm: v, vocs: v });

interface OrderRow {
  enterpriseId: string;
  countyCode: string;
  grade: string;
  noticeType: string;
  problem: string | null;
}
interface Problem {
  enterpriseId: string;
  problem: string;
}

/**
 * A known registry, counted by hand. Warning over 孝义市 141181 and 汾阳市 141182 (离石区 141102 is outside):
 *   甲 141181 C           ORANGE 100 (+50 from hour 24), RED 200
 *   乙 141181 A           ORANGE 20 voluntary, no RED
 *   丙 141182 A+          ORANGE 10, RED 10 (voluntary)
 *   丁 141181 B protected ORANGE 30, RED 30
 *   戊 141182 C no email  ORANGE 40, RED 60
 *   己 141181 C           YELLOW only
 *   庚 141182 C           ORANGE 5, RED 50 until hour 24
 *   癸 141182 LEADING     no email, no plan
 *   辛 141102 C (other county) and 壬 141181 C (archived): big reductions, never counted
 * Inventory 141181 1000/2000/500/400, 141182 500/1000/250/200 (so2/nox/pm/vocs kg/d; reductions are equal
 * for all four pollutants), so the scope's baseline is 1500/3000/750/600.
 */
describe('alert preview (dry run of an approval)', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let auditor: Agent;
  let alertId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    let admin: Agent;
    [duty, commander, auditor, admin] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['AUDITOR']),
      t.signIn(['ADMIN']),
    ]);
    await admin.put('/api/inventory/141181').send({ so2: 1000, nox: 2000, pm: 500, vocs: 400 }).expect(200);
    await admin.put('/api/inventory/141182').send({ so2: 500, nox: 1000, pm: 250, vocs: 200 }).expect(200);
    await admin.put('/api/inventory/141102').send(r(9999)).expect(200);
    const create = async (
      key: string,
      over: Parameters<typeof enterpriseInput>[0],
      measures: ReturnType<typeof measure>[],
    ) => {
      const { body } = await admin
        .post('/api/enterprises')
        .send(
          enterpriseInput({
            baseline: r(1000),
            contacts: [{ name: key, email: `${key}@test.example` }],
            ...over,
          }),
        )
        .expect(201);
      ids[key] = body.id;
      if (measures.length) await admin.put(`/api/enterprises/${body.id}/plan`).send({ measures }).expect(200);
    };
    const voluntary = (level: WarningLevel, v: number) =>
      measure({ level, action: 'VOLUNTARY', params: {}, description: '自主减排', reduction: r(v) });
    await create('jia', { name: '甲焦化有限公司', countyCode: '141181', grade: 'C' }, [
      measure({ level: 'ORANGE', reduction: r(100) }),
      measure({
        level: 'ORANGE',
        line: null,
        action: 'OTHER',
        params: {},
        description: '24小时后加严',
        fromHour: 24,
        reduction: r(50),
      }),
      measure({ level: 'RED', action: 'STOP', params: {}, description: '停产', reduction: r(200) }),
    ]);
    await create('yi', { name: '乙水泥有限公司', countyCode: '141181', grade: 'A', industry: 'CEMENT' }, [
      voluntary('ORANGE', 20),
    ]);
    await create(
      'bing',
      { name: '丙钢铁有限公司', countyCode: '141182', grade: 'A_PLUS', industry: 'LONG_PROCESS_STEEL' },
      [voluntary('ORANGE', 10), voluntary('RED', 10)],
    );
    await create(
      'ding',
      {
        name: '丁热电有限公司',
        countyCode: '141181',
        grade: 'B',
        protected: true,
        protectedReason: '城市集中供暖',
        protectedMaxLoad: 70,
      },
      [measure({ level: 'ORANGE', reduction: r(30) }), measure({ level: 'RED', reduction: r(30) })],
    );
    await create('wu', { name: '戊炭素有限公司', countyCode: '141182', grade: 'C', industry: 'CARBON' }, [
      measure({ level: 'ORANGE', reduction: r(40) }),
      measure({ level: 'RED', reduction: r(60) }),
    ]);
    await create('ji', { name: '己铸造有限公司', countyCode: '141181', grade: 'C', industry: 'CASTING' }, [
      measure({ level: 'YELLOW', reduction: r(5) }),
    ]);
    await create(
      'geng',
      { name: '庚石灰有限公司', countyCode: '141182', grade: 'C', industry: 'LIME_KILN' },
      [
        measure({ level: 'ORANGE', reduction: r(5) }),
        measure({ level: 'RED', description: '前24小时停产', toHour: 24, reduction: r(50) }),
      ],
    );
    await create('gui', { name: '癸引领焦化有限公司', countyCode: '141182', grade: 'LEADING' }, []);
    await create('xin', { name: '辛离石焦化有限公司', countyCode: '141102', grade: 'C' }, [
      measure({ level: 'ORANGE', reduction: r(500) }),
      measure({ level: 'RED', reduction: r(500) }),
    ]);
    await create('ren', { name: '壬已关停有限公司', countyCode: '141181', grade: 'C' }, [
      measure({ level: 'ORANGE', reduction: r(500) }),
    ]);
    await admin.delete(`/api/enterprises/${ids.ren}`).expect(200);
    // The registry refuses an enterprise without an email; records that lost theirs (old imports) still exist.
    // 癸's one contact has only a blank email: no recipient either, in the preview as in the approval.
    await t.dataSource.query(
      `UPDATE enterprise SET contacts = CASE WHEN id = $2
         THEN '[{"name": "无邮箱", "phone": "13800000000"}, {"name": "空白", "email": "  "}]'::jsonb
         ELSE '[{"name": "无邮箱", "phone": "13800000000"}]'::jsonb END
        WHERE id = ANY($1::uuid[])`,
      [[ids.wu, ids.gui], ids.gui],
    );
  });
  afterAll(() => t.close());

  const rowCounts = async () =>
    (
      await t.dataSource.query<Array<{ n: Record<string, number> }>>(
        `SELECT json_build_object(
           'reduction_order', (SELECT count(*) FROM reduction_order), 'outbox_message', (SELECT count(*) FROM outbox_message),
           'audit_entry', (SELECT count(*) FROM audit_entry), 'alert_change', (SELECT count(*) FROM alert_change),
           'alert_revision', (SELECT count(*) FROM alert_revision)) AS n`,
      )
    )[0].n;
  /** Calls the preview and checks the call changed no row. */
  const preview = async () => {
    const before = await rowCounts();
    const { body } = await duty.get(`/api/alerts/${alertId}/preview`).expect(200);
    expect(await rowCounts()).toEqual(before);
    return body;
  };
  const currentOrders = async (): Promise<OrderRow[]> =>
    (await duty.get(`/api/alerts/${alertId}/orders`).expect(200)).body;
  const byId = (a: Problem, b: Problem) => a.enterpriseId.localeCompare(b.enterpriseId);
  /** The preview's figures recomputed from the orders approval actually wrote. */
  const summarize = (orders: OrderRow[]) => ({
    totals: {
      inScope: orders.length,
      orders: orders.length,
      voluntary: orders.filter((o) => o.noticeType === 'VOLUNTARY').length,
      protected: orders.filter((o) => o.noticeType === 'PROTECTED').length,
      noPlan: orders.filter((o) => o.problem === 'NO_PLAN').length,
      noEmail: orders.filter((o) => o.problem === 'NO_EMAIL').length,
    },
    perCounty: Object.fromEntries(
      [...new Set(orders.map((o) => o.countyCode))].map((c) => [
        c,
        orders.filter((o) => o.countyCode === c).length,
      ]),
    ),
    perGrade: Object.fromEntries(
      [...new Set(orders.map((o) => o.grade))].map((g) => [g, orders.filter((o) => o.grade === g).length]),
    ),
    problems: orders
      .filter((o) => o.problem)
      .map((o) => ({ enterpriseId: o.enterpriseId, problem: o.problem! }))
      .sort(byId),
  });
  const summarizePreview = (p: {
    totals: unknown;
    byCounty: Array<{ countyCode: string; inScope: number }>;
    byGrade: Array<{ grade: string; inScope: number }>;
    problems: Problem[];
  }) => ({
    totals: p.totals,
    perCounty: Object.fromEntries(
      p.byCounty.filter((c) => c.inScope > 0).map((c) => [c.countyCode, c.inScope]),
    ),
    perGrade: Object.fromEntries(p.byGrade.map((g) => [g.grade, g.inScope])),
    problems: p.problems.map((x) => ({ enterpriseId: x.enterpriseId, problem: x.problem })).sort(byId),
  });
  const zeros = { voluntary: 0, protected: 0, noPlan: 0, noEmail: 0 };

  it('refuses anonymous callers and answers 404 for unknown or malformed ids', async () => {
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'ORANGE',
        countyCodes: ['141181', '141182'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '会商研判',
      })
      .expect(201);
    alertId = draft.body.id;
    await t.http().get(`/api/alerts/${alertId}/preview`).expect(401);
    const missing = await duty.get('/api/alerts/00000000-0000-4000-8000-000000000000/preview').expect(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', message: '预警不存在' });
    await duty.get('/api/alerts/not-a-uuid/preview').expect(404);
    await auditor.get(`/api/alerts/${alertId}/preview`).expect(200); // any signed-in role may look
  });

  it('previews the draft: scope by county and grade, voluntary, protected, problems, reduction against the inventory', async () => {
    const p = await preview();
    expect(p).toMatchObject({
      alertId,
      source: 'PENDING_CHANGE',
      kind: 'ISSUE',
      level: 'ORANGE',
      countyCodes: ['141181', '141182'],
      effectiveAt: '2026-11-28T16:00:00.000Z',
      rulesetId: 'MEE-2024',
      problemsTruncated: false,
      inventoryMissing: [],
    });
    expect(p.totals).toEqual({ inScope: 8, orders: 8, voluntary: 3, protected: 1, noPlan: 1, noEmail: 2 });
    expect(p.byCounty).toEqual([
      {
        countyCode: '141181',
        countyName: '孝义市',
        inScope: 4,
        voluntary: 1,
        protected: 1,
        noPlan: 1,
        noEmail: 0,
        // 甲 100, 乙 20, 丁 30 against 孝义市's own 1000/2000/500/400.
        reduction: [
          { pollutant: 'so2', baseline: 1000, reduction: 150, ratio: 0.15, required: 0.2, ok: false },
          { pollutant: 'nox', baseline: 2000, reduction: 150, ratio: 0.075, required: 0.2, ok: false },
          { pollutant: 'pm', baseline: 500, reduction: 150, ratio: 0.3, required: 0.2, ok: true },
          { pollutant: 'vocs', baseline: 400, reduction: 150, ratio: 0.375, required: 0.2, ok: true },
        ],
      },
      {
        countyCode: '141182',
        countyName: '汾阳市',
        inScope: 4,
        voluntary: 2,
        protected: 0,
        noPlan: 0,
        noEmail: 2,
        // 丙 10, 戊 40, 庚 5 against 汾阳市's own 500/1000/250/200.
        reduction: [
          { pollutant: 'so2', baseline: 500, reduction: 55, ratio: 0.11, required: 0.2, ok: false },
          { pollutant: 'nox', baseline: 1000, reduction: 55, ratio: 0.055, required: 0.2, ok: false },
          { pollutant: 'pm', baseline: 250, reduction: 55, ratio: 0.22, required: 0.2, ok: true },
          { pollutant: 'vocs', baseline: 200, reduction: 55, ratio: 0.275, required: 0.2, ok: true },
        ],
      },
    ]);
    expect(p.byGrade).toEqual([
      { grade: 'A_PLUS', inScope: 1, voluntary: 1, protected: 0, noPlan: 0, noEmail: 0 },
      { grade: 'A', inScope: 1, voluntary: 1, protected: 0, noPlan: 0, noEmail: 0 },
      { grade: 'B', inScope: 1, voluntary: 0, protected: 1, noPlan: 0, noEmail: 0 },
      { grade: 'C', inScope: 4, voluntary: 0, protected: 0, noPlan: 1, noEmail: 1 },
      { grade: 'LEADING', inScope: 1, voluntary: 1, protected: 0, noPlan: 0, noEmail: 1 },
    ]);
    expect([...p.problems].sort(byId)).toEqual(
      [
        {
          enterpriseId: ids.ji,
          name: '己铸造有限公司',
          countyCode: '141181',
          grade: 'C',
          problem: 'NO_PLAN',
        },
        {
          enterpriseId: ids.wu,
          name: '戊炭素有限公司',
          countyCode: '141182',
          grade: 'C',
          problem: 'NO_EMAIL',
        },
        {
          enterpriseId: ids.gui,
          name: '癸引领焦化有限公司',
          countyCode: '141182',
          grade: 'LEADING',
          problem: 'NO_EMAIL',
        },
      ]
        .map((x) => ({ ...x, creditCode: expect.stringMatching(/^[0-9A-Z]{18}$/) }))
        .sort(byId),
    );
    // In force at hour 0: 甲 100 (not its hour-24 measure), 乙 20, 丙 10, 丁 30, 戊 40, 庚 5 = 205 of each.
    expect(p.reduction).toEqual([
      {
        pollutant: 'so2',
        baseline: 1500,
        reduction: 205,
        ratio: expect.closeTo(205 / 1500, 9),
        required: 0.2,
        ok: false,
      },
      {
        pollutant: 'nox',
        baseline: 3000,
        reduction: 205,
        ratio: expect.closeTo(205 / 3000, 9),
        required: 0.2,
        ok: false,
      },
      {
        pollutant: 'pm',
        baseline: 750,
        reduction: 205,
        ratio: expect.closeTo(205 / 750, 9),
        required: 0.2,
        ok: true,
      },
      {
        pollutant: 'vocs',
        baseline: 600,
        reduction: 205,
        ratio: expect.closeTo(205 / 600, 9),
        required: 0.2,
        ok: true,
      },
    ]);
  });

  it('agrees with the orders the approval then writes', async () => {
    const p = await preview();
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    const orders = await currentOrders();
    expect(summarize(orders)).toEqual(summarizePreview(p));
    expect(orders.find((o) => o.enterpriseId === ids.gui)).toMatchObject({
      noticeType: 'VOLUNTARY',
      problem: 'NO_EMAIL',
    });
  });

  it('previews an upgrade: measures whose window has ended by then leave an enterprise without a plan', async () => {
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'RED', effectiveAt: '2026-12-01T00:00:00+08:00', reason: '污染加重' })
      .expect(200);
    const p = await preview();
    expect(p).toMatchObject({ source: 'PENDING_CHANGE', kind: 'UPGRADE', level: 'RED' });
    // 乙 and 己 have no RED measure; 庚's ended at hour 24, 48 hours before the upgrade.
    expect(p.totals).toEqual({ inScope: 8, orders: 8, voluntary: 3, protected: 1, noPlan: 3, noEmail: 2 });
    expect(p.problems.map((x: Problem) => [x.enterpriseId, x.problem]).sort()).toEqual(
      [
        [ids.yi, 'NO_PLAN'],
        [ids.ji, 'NO_PLAN'],
        [ids.geng, 'NO_PLAN'],
        [ids.wu, 'NO_EMAIL'],
        [ids.gui, 'NO_EMAIL'],
      ].sort(),
    );
    // Adequacy counts what is in force at hour 0, 庚's first 24 hours included: 200+10+30+60+50 = 350.
    expect(
      p.reduction.map((x: { reduction: number; required: number; ok: boolean }) => [
        x.reduction,
        x.required,
        x.ok,
      ]),
    ).toEqual([
      [350, 0.3, false],
      [350, 0.3, false],
      [350, 0.3, true],
      [350, 0.3, true],
    ]);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    // Approved ahead of its effective time: the red orders are written now, scheduled.
    const orders = (await duty.get(`/api/alerts/${alertId}/orders?state=SCHEDULED`).expect(200))
      .body as OrderRow[];
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => (o as OrderRow & { level: string }).level === 'RED')).toBe(true);
    expect(summarize(orders)).toEqual(summarizePreview(p));
  });

  it('previews a lift as the end notices it sends, with no reduction', async () => {
    await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-12-02T00:00:00+08:00', reason: '空气质量好转' })
      .expect(200);
    const p = await preview();
    expect(p).toMatchObject({
      source: 'PENDING_CHANGE',
      kind: 'LIFT',
      reduction: [],
      problemsTruncated: false,
    });
    expect(p.byCounty.map((c: { reduction: unknown[] }) => c.reduction)).toEqual([[], []]);
    expect(p.totals).toEqual({ inScope: 8, orders: 8, ...zeros, noEmail: 2 });
    // No consultation to check the lift against: approved with a written reason.
    await commander.post(`/api/alerts/${alertId}/approve`).send({ overrideReason: '现场核实' }).expect(200);
    // End notices are messages, not orders: read where they are written.
    const notices = await t.dataSource.query<Array<{ enterpriseId: string; problem: string | null }>>(
      `SELECT enterprise_id AS "enterpriseId", problem FROM reduction_order
          WHERE alert_id = $1 AND notice_type = 'LIFT'`,
      [alertId],
    );
    expect(notices).toHaveLength(p.totals.orders);
    expect(
      notices
        .filter((o) => o.problem === 'NO_EMAIL')
        .map((o) => o.enterpriseId)
        .sort(),
    ).toEqual(p.problems.map((x: Problem) => x.enterpriseId).sort());
  });

  it('with nothing pending, previews the latest revision: the lift end notices are the current orders', async () => {
    const p = await preview();
    expect(p).toMatchObject({ source: 'CURRENT_REVISION', kind: 'LIFT', reduction: [] });
    expect(p.totals).toEqual({ inScope: 8, orders: 8, ...zeros, noEmail: 2 });
  });

  it('refuses to preview a rejected draft (nothing pending, nothing approved)', async () => {
    const draft = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141102'],
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '试',
      })
      .expect(201);
    await commander.post(`/api/alerts/${draft.body.id}/reject`).send({ reason: '不同意' }).expect(200);
    const res = await duty.get(`/api/alerts/${draft.body.id}/preview`).expect(409);
    expect(res.body.error.code).toBe('ALERT_NOTHING_TO_PREVIEW');
  });
});
