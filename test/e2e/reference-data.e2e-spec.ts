import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { createTestApp, TestApp } from '../support/test-app';

const LULIANG = {
  141102: '离石区',
  141121: '文水县',
  141122: '交城县',
  141123: '兴县',
  141124: '临县',
  141125: '柳林县',
  141126: '石楼县',
  141127: '岚县',
  141128: '方山县',
  141129: '中阳县',
  141130: '交口县',
  141181: '孝义市',
  141182: '汾阳市',
};

describe('reference data: counties, industries, rulesets, seeds', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /api/counties needs a signed-in user', async () => {
    const res = await t.http().get('/api/counties').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('lists the 13 Lüliang counties with their GB/T 2260 codes, 平川四县 flagged', async () => {
    const agent = await t.signIn(['DUTY_OFFICER']);
    const res = await agent.get('/api/counties').expect(200);
    expect(res.body).toHaveLength(13);
    expect(Object.fromEntries(res.body.map((c: { code: string; name: string }) => [c.code, c.name]))).toEqual(
      Object.fromEntries(Object.entries(LULIANG)),
    );
    expect(
      res.body
        .filter((c: { jointControlArea: boolean }) => c.jointControlArea)
        .map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['交城县', '孝义市', '文水县', '汾阳市'].sort());
    expect(res.body[0]).toEqual({
      code: '141102',
      name: '离石区',
      nameEn: 'Lishi District',
      kind: 'DISTRICT',
      jointControlArea: false,
    });
  });

  it('lists the 39 key industries and OTHER', async () => {
    const agent = await t.signIn(['AUDITOR']);
    const res = await agent.get('/api/industries').expect(200);
    expect(res.body).toHaveLength(40);
    expect(res.body.filter((i: { keyIndustry: boolean }) => i.keyIndustry)).toHaveLength(39);
    expect(res.body.at(-1)).toMatchObject({ code: 'OTHER', keyIndustry: false });
    expect(res.body).toContainEqual(expect.objectContaining({ code: 'COKING', name: '焦化' }));
  });

  it('has the three rulesets of domain.md §1 as data', async () => {
    const agent = await t.signIn(['COMMANDER']);
    const res = await agent.get('/api/rulesets').expect(200);
    expect(res.body.map((r: { id: string }) => r.id)).toEqual(['MEE-2017', 'SHANXI-2020', 'MEE-2024']);
    const mee2024 = (await agent.get('/api/rulesets/MEE-2024').expect(200)).body;
    expect(mee2024).toMatchObject({
      effectiveFrom: '2024-03-01',
      effectiveTo: null,
      levels: ['YELLOW', 'ORANGE', 'RED'],
    });
    expect(mee2024.definition.reductionRatios).toEqual({ YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 });
    expect(mee2024.definition.levelRules[0]).toEqual({
      level: 'YELLOW',
      description: expect.any(String),
      anyOf: [
        { allOf: [{ comparison: 'gt', aqi: 200, days: 1, consecutive: false }] },
        { allOf: [{ comparison: 'gt', aqi: 150, days: 2, consecutive: true }] },
      ],
    });
    const mee2017 = (await agent.get('/api/rulesets/MEE-2017').expect(200)).body;
    expect(mee2017.levels).toEqual(['BLUE', 'YELLOW', 'ORANGE', 'RED']);
    expect((await agent.get('/api/rulesets/NOPE').expect(404)).body.error.code).toBe('NOT_FOUND');
  });

  it('seeds are idempotent, keep edited rulesets, and add demo users only in demo mode', async () => {
    const bootstrap = t.app.get(DatabaseBootstrapService);
    await t.dataSource.query(`UPDATE ruleset SET effective_from = '2024-06-01' WHERE id = 'MEE-2024'`);
    const again = await bootstrap.prepare({ demo: false, demoPassword: 'demo' });
    expect(again).toEqual({
      migrations: [],
      seeds: {
        counties: 13,
        industries: 40,
        rulesetsAdded: [],
        demoUsersAdded: [],
        demoEnterprisesAdded: 0,
        demoPointsAdded: 0,
        demoConditionsAdded: 0,
      },
      // The service runs as a login that could not rewrite the audit log.
      serviceRole: { role: expect.stringMatching(/_app$/), superuser: false, canRewriteAudit: false },
    });
    const counts = await t.dataSource.query(
      'SELECT (SELECT count(*) FROM county)::int AS counties, (SELECT count(*) FROM industry)::int AS industries, (SELECT count(*) FROM ruleset)::int AS rulesets',
    );
    expect(counts[0]).toEqual({ counties: 13, industries: 40, rulesets: 3 });
    expect(
      (await t.dataSource.query(`SELECT effective_from::text AS d FROM ruleset WHERE id = 'MEE-2024'`))[0].d,
    ).toBe('2024-06-01');
    expect(await t.dataSource.query("SELECT 1 FROM app_user WHERE username = 'duty'")).toEqual([]);

    const demo = await bootstrap.prepare({ demo: true, demoPassword: 'demo-pass' });
    expect(demo.seeds.demoUsersAdded).toEqual(['duty', 'commander', 'auditor', 'admin', 'county']);
    expect(demo.seeds.demoEnterprisesAdded).toBeGreaterThanOrEqual(190);
    const enterprises = (await t.dataSource.query('SELECT count(*)::int AS n FROM enterprise'))[0].n;
    expect(enterprises).toBe(demo.seeds.demoEnterprisesAdded);
    await t.http().post('/api/auth/login').send({ username: 'commander', password: 'demo-pass' }).expect(200);
    expect((await bootstrap.prepare({ demo: true, demoPassword: 'demo-pass' })).seeds.demoUsersAdded).toEqual(
      [],
    );
    const created = await t.dataSource
      .getRepository(AuditEntry)
      .findBy({ action: 'user.created', actorType: 'SYSTEM' });
    expect(
      created
        .map((e) => e.data.username)
        .filter((u) => ['duty', 'commander', 'auditor', 'admin'].includes(String(u))),
    ).toEqual(['duty', 'commander', 'auditor', 'admin']);
  });
});
