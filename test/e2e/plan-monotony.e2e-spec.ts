import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { PlanChecks1795900000300 } from '../../src/database/migrations/1795900000300-plan-checks.migration';
import { generateDemoList } from '../../src/database/seeds/demo-enterprises.generator';
import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { csrfOf, formToken } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * Plans never relax on an upgrade (issue 14): a plan whose ORANGE drops or weakens a YELLOW measure is saved
 * with warnings, an import keeps such a row and reports it, and the adequacy report lists the enterprise.
 */
describe('plan monotony and grade minimums', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
  });
  afterAll(() => t.close());

  const r = (so2: number, nox: number, pm: number, vocs: number) => ({ so2, nox, pm, vocs });
  const truckBan = (level: MeasureInput['level']) =>
    measure({
      level,
      line: null,
      action: 'TRUCK_BAN_CN4',
      params: {},
      description: '国四及以下重型货车禁止运输',
      reduction: r(1, 1, 1, 1),
      verification: 'GATE_CAMERA',
    });
  /** YELLOW limits 30% with a truck ban; ORANGE limits only 20% and drops the ban. */
  const relaxing = (): MeasureInput[] => [
    measure({
      level: 'YELLOW',
      params: { percent: 30 },
      description: '限产30%',
      reduction: r(30, 60, 15, 12),
    }),
    truckBan('YELLOW'),
    measure({
      level: 'ORANGE',
      params: { percent: 20 },
      description: '限产20%',
      reduction: r(40, 80, 20, 16),
    }),
    measure({ level: 'RED', action: 'STOP', params: {}, description: '停产', reduction: r(90, 190, 45, 35) }),
    truckBan('RED'),
  ];
  const relaxingMessages = [
    '橙色预警 JL1:“限产20%”(限产20%)弱于黄色预警的“限产30%”(限产30%)',
    '橙色预警 全厂:缺少黄色预警已有的措施“国四及以下重型货车禁止运输”',
  ];

  it('saves a plan whose ORANGE relaxes YELLOW and answers with the warnings', async () => {
    const { body: e } = await admin
      .post('/api/enterprises')
      .send(enterpriseInput({ name: '放松焦化有限公司', countyCode: '141181' }))
      .expect(201);
    const res = await admin.put(`/api/enterprises/${e.id}/plan`).send({ measures: relaxing() }).expect(200);
    expect(res.body.version).toBe(1);
    expect(res.body.warnings).toEqual([
      { code: 'PLAN_RELAXES', level: 'ORANGE', line: 'JL1', message: relaxingMessages[0], measureIndex: 2 },
      { code: 'PLAN_RELAXES', level: 'ORANGE', line: null, message: relaxingMessages[1], measureIndex: 1 },
    ]);
    // Saved as sent, and read back with the same warnings.
    const stored = (await duty.get(`/api/enterprises/${e.id}/plan`).expect(200)).body;
    expect(stored.version).toBe(1);
    expect(stored.measures.map((m: MeasureInput) => [m.level, m.action])).toEqual([
      ['YELLOW', 'LIMIT_PERCENT'],
      ['YELLOW', 'TRUCK_BAN_CN4'],
      ['ORANGE', 'LIMIT_PERCENT'],
      ['RED', 'STOP'],
      ['RED', 'TRUCK_BAN_CN4'],
    ]);
    expect(stored.warnings).toEqual(res.body.warnings);
    // The enterprise's console page shows them.
    const page = await duty.get(`/enterprises/${e.id}`).expect(200);
    expect(page.text).toContain('id="plan-warnings"');
    for (const message of relaxingMessages) expect(page.text).toContain(message);
    const audit = await t.dataSource
      .getRepository(AuditEntry)
      .findOneByOrFail({ action: 'plan.replaced', subjectId: e.id });
    expect((audit.data as { warnings: unknown }).warnings).toEqual(res.body.warnings);

    // Tightened, the same plan has no warning.
    const fixed = relaxing().map((m) => (m.level === 'ORANGE' ? { ...m, params: { percent: 40 } } : m));
    const again = await admin
      .put(`/api/enterprises/${e.id}/plan`)
      .send({ measures: [...fixed, truckBan('ORANGE')] })
      .expect(200);
    expect(again.body.warnings).toEqual([]);
  });

  it('imports a relaxing row and a D-grade enterprise short of its minimum, keeping the rows and reporting each', async () => {
    const relaxed: EnterpriseInput = enterpriseInput({ name: '导入放松水泥有限公司', countyCode: '141121' });
    const d: EnterpriseInput = enterpriseInput({
      name: '导入D级铸造有限公司',
      countyCode: '141121',
      grade: 'D',
    });
    const dMeasures = (['YELLOW', 'ORANGE', 'RED'] as const).map((level) =>
      measure({ level, action: 'STOP', params: {}, description: '停产', reduction: r(90, 190, 45, 35) }),
    );
    // Rows: 1 header; 2-6 the relaxing plan (ORANGE's limit on row 4); 7-9 the D-grade one.
    const rows = [...toRows(relaxed, '2025-2026', relaxing()), ...toRows(d, '2025-2026', dMeasures)];
    const res = await admin
      .post('/api/enterprises/import')
      .set('X-Requested-With', 'XMLHttpRequest')
      .attach('file', await toBuffer('csv', rows), 'list.csv')
      .expect(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, measures: 8 });
    expect(res.body.warnings).toEqual([
      {
        row: 4,
        creditCode: relaxed.creditCode,
        code: 'PLAN_RELAXES',
        level: 'ORANGE',
        line: 'JL1',
        message: `第4行 ${relaxingMessages[0]}`,
      },
      {
        row: 3,
        creditCode: relaxed.creditCode,
        code: 'PLAN_RELAXES',
        level: 'ORANGE',
        line: null,
        message: `第3行 ${relaxingMessages[1]}`,
      },
      ...(['黄色', '橙色', '红色'] as const).map((name, i) => ({
        row: 7,
        creditCode: d.creditCode,
        code: 'GRADE_MINIMUM',
        level: ['YELLOW', 'ORANGE', 'RED'][i],
        line: null,
        message: `第7行 ${name}预警 全厂:D级企业按规则集最低要求须停止公路运输,本级没有`,
      })),
    ]);
    // The rows were kept: both enterprises have their whole plan.
    const measures = await t.dataSource.query<Array<{ credit_code: string; n: number }>>(
      `SELECT e.credit_code, count(pm.id)::int AS n FROM enterprise e
         JOIN plan_version pv ON pv.enterprise_id = e.id AND pv.is_current
         JOIN plan_measure pm ON pm.plan_version_id = pv.id
        WHERE e.credit_code = ANY($1) GROUP BY e.credit_code ORDER BY e.credit_code`,
      [[relaxed.creditCode, d.creditCode]],
    );
    expect(Object.fromEntries(measures.map((m) => [m.credit_code, m.n]))).toEqual({
      [relaxed.creditCode]: 5,
      [d.creditCode]: 3,
    });
    const [record] = await t.dataSource.query<Array<{ warnings: unknown[] }>>(
      'SELECT warnings FROM enterprise_import WHERE id = $1',
      [res.body.importId],
    );
    expect(record.warnings).toEqual(res.body.warnings);

    // Through the console (the relaxing enterprise moved, so there is something to import): the preview
    // lists the warnings by row, and so does the page after 确认导入 and its redirect.
    const renamed = [
      ...toRows({ ...relaxed, address: '中阳县新厂址' }, '2025-2026', relaxing()),
      ...toRows(d, '2025-2026', dMeasures),
    ];
    const token = await formToken(admin, '/enterprises/import');
    const preview = await admin
      .post(`/enterprises/import?_csrf=${encodeURIComponent(token)}`)
      .attach('file', await toBuffer('csv', renamed), 'list.csv')
      .expect(200);
    expect(preview.text).toContain(`第4行 ${relaxingMessages[0]}`);
    const previewToken = /name="token" value="([0-9a-f-]{36})"/.exec(preview.text)![1];
    const again = await admin
      .post('/enterprises/import/confirm')
      .type('form')
      .send({ _csrf: csrfOf(preview.text), token: previewToken })
      .expect(303);
    expect(again.headers.location).toMatch(/^\/enterprises\/import\?importId=[0-9a-f-]{36}$/);
    const page = await admin.get(again.headers.location).expect(200);
    expect(page.text).toContain('新增 0 家,更新 1 家,未变 1 家,写入措施 0 条');
    expect(page.text).toContain('id="import-warnings"');
    expect(page.text).toContain(`第4行 ${relaxingMessages[0]}`);
    expect(page.text).toContain('第7行 红色预警 全厂:D级企业按规则集最低要求须停止公路运输,本级没有');
  });

  it('lists on the adequacy report the enterprises whose plans relax or miss their minimum, with counts', async () => {
    const report = (await duty.get('/api/reduction-list/adequacy').expect(200)).body;
    expect(report.planChecks).toMatchObject({ checked: 3, relaxing: 1, belowMinimum: 1, truncated: false });
    expect(
      report.planChecks.enterprises.map(
        (e: { name: string; countyCode: string; relaxes: number; belowMinimum: number }) => [
          e.countyCode,
          e.name,
          e.relaxes,
          e.belowMinimum,
        ],
      ),
    ).toEqual([
      ['141121', '导入D级铸造有限公司', 0, 3],
      ['141121', '导入放松水泥有限公司', 2, 0],
    ]);
    expect(report.planChecks.enterprises[1].warnings.map((w: { message: string }) => w.message)).toEqual(
      relaxingMessages,
    );
    // Read from what each version recorded when it was written; a version written before that column (NULL) is
    // checked from its measures, with the same result.
    const recorded = await t.dataSource.query<Array<{ name: string; relaxations: unknown[] }>>(
      `SELECT e.name, pv.relaxations FROM plan_version pv JOIN enterprise e ON e.id = pv.enterprise_id
        WHERE pv.is_current ORDER BY e.name`,
    );
    expect(recorded.map((v) => [v.name, v.relaxations.length])).toEqual([
      ['导入D级铸造有限公司', 0],
      ['导入放松水泥有限公司', 2],
      ['放松焦化有限公司', 0],
    ]);
    await t.dataSource.query('UPDATE plan_version SET relaxations = NULL');
    expect((await duty.get('/api/reduction-list/adequacy').expect(200)).body.planChecks).toEqual(
      report.planChecks,
    );

    // By county: 孝义 holds only the tightened plan.
    const xiaoyi = (await duty.get('/api/reduction-list/adequacy?countyCode=141181').expect(200)).body;
    expect(xiaoyi.planChecks).toEqual({
      checked: 1,
      relaxing: 0,
      belowMinimum: 0,
      enterprises: [],
      truncated: false,
    });

    // The console page lists them, in Chinese, with the counts.
    const page = await duty.get('/adequacy').expect(200);
    expect(page.text).toContain('预案逐级加严核查');
    expect(page.text).toContain('导入放松水泥有限公司');
    expect(page.text).toContain(relaxingMessages[1]);
    expect(page.text).toMatch(/高级别放松[^<]*<[^>]*>\s*1\s*</);
    expect(page.text).toMatch(/未达绩效等级最低要求[^<]*<[^>]*>\s*1\s*</);
  });
});

describe('the seeded demo list', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await t.app.get(DatabaseBootstrapService).prepare({ demo: true, demoPassword: 'demo' });
  });
  afterAll(() => t.close());

  it('has no plan that relaxes on an upgrade or misses its grade minimum, and still passes city-wide', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    const report = (await duty.get('/api/reduction-list/adequacy').expect(200)).body;
    expect(report.planChecks).toEqual({
      checked: generateDemoList().enterprises.length,
      relaxing: 0,
      belowMinimum: 0,
      enterprises: [],
      truncated: false,
    });
    expect(report.city.levels.map((l: { ok: boolean }) => l.ok)).toEqual([true, true, true]);
    const shilou = report.counties.find((c: { areaCode: string }) => c.areaCode === '141126');
    expect(shilou.levels.map((l: { ok: boolean }) => l.ok)).toEqual([true, true, false]);
  });

  it('migration 1795900000300 gives recorded rulesets the D minimum and leaves older versions to be checked when read', async () => {
    // As the schema owner, as migrations run; only `query` is used.
    const owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
    const runner = {
      query: async (sql: string, params?: unknown[]) => (await owner.query(sql, params)).rows,
    } as unknown as QueryRunner;
    const migration = new PlanChecks1795900000300();
    try {
      await migration.down(runner);
      await runner.query(
        `UPDATE ruleset SET definition = jsonb_set(definition, '{gradeMinimums}', '{"C": {"allLevels": ["STOP"]}}')
          WHERE id = 'MEE-2017'`,
      );
      await migration.up(runner);
    } finally {
      await owner.end();
    }
    const rulesets = await t.dataSource.query<Array<{ id: string; minimums: unknown }>>(
      `SELECT id, definition -> 'gradeMinimums' AS minimums FROM ruleset ORDER BY id`,
    );
    // A ruleset that already had minimums keeps its own.
    expect(rulesets).toEqual([
      { id: 'MEE-2017', minimums: { C: { allLevels: ['STOP'] } } },
      { id: 'MEE-2024', minimums: { D: { allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] } } },
      { id: 'SHANXI-2020', minimums: { D: { allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] } } },
    ]);
    const [{ unrecorded }] = await t.dataSource.query<Array<{ unrecorded: number }>>(
      'SELECT count(*)::int AS unrecorded FROM plan_version WHERE relaxations IS NULL',
    );
    expect(unrecorded).toBeGreaterThan(0);
    const duty = await t.signIn(['DUTY_OFFICER']);
    const report = (await duty.get('/api/reduction-list/adequacy').expect(200)).body;
    expect(report.planChecks).toMatchObject({ relaxing: 0, belowMinimum: 0, enterprises: [] });
  });
});
