import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * A known scenario, computed by hand:
 *   inventory  city 1000/2000/500/400, 离石 400/800/200/160, 孝义 600/1200/300/240 (so2/nox/pm/vocs, kg/d)
 *   A (离石)  Y 40/80/20/16   O 80/160/40/32   R 200/400/100/80 (+ a RED measure from hour 120, not counted)
 *   B (孝义)  Y 60/100/30/24  O 90/240/60/48   R 150/300/75/60
 *   C (孝义, archived) large reductions, not counted
 */
describe('adequacy report', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  let idA: string;
  let idB: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
    await admin.put('/api/inventory/141100').send({ so2: 1000, nox: 2000, pm: 500, vocs: 400 }).expect(200);
    await admin.put('/api/inventory/141102').send({ so2: 400, nox: 800, pm: 200, vocs: 160 }).expect(200);
    await admin.put('/api/inventory/141181').send({ so2: 600, nox: 1200, pm: 300, vocs: 240 }).expect(200);

    const create = async (
      name: string,
      countyCode: string,
      baseline: { so2: number; nox: number; pm: number; vocs: number },
    ) =>
      (await admin.post('/api/enterprises').send(enterpriseInput({ name, countyCode, baseline })).expect(201))
        .body.id as string;
    const r = (so2: number, nox: number, pm: number, vocs: number) => ({ so2, nox, pm, vocs });
    idA = await create('甲焦化有限公司', '141102', r(200, 400, 100, 80));
    idB = await create('乙水泥有限公司', '141181', r(300, 600, 150, 120));
    const idC = await create('丙已注销有限公司', '141181', r(900, 900, 900, 900));
    await admin
      .put(`/api/enterprises/${idA}/plan`)
      .send({
        measures: [
          measure({ level: 'YELLOW', reduction: r(40, 80, 20, 16) }),
          measure({ level: 'ORANGE', reduction: r(80, 160, 40, 32) }),
          measure({
            level: 'RED',
            action: 'STOP',
            params: {},
            description: '停产',
            reduction: r(190, 390, 90, 70),
          }),
          measure({
            level: 'RED',
            action: 'TRUCK_BAN_CN4',
            params: {},
            description: '禁用国四货车',
            reduction: r(10, 10, 10, 10),
          }),
          measure({
            level: 'RED',
            action: 'OTHER',
            params: {},
            description: '120小时后',
            fromHour: 120,
            reduction: r(10, 10, 10, 10),
          }),
        ],
      })
      .expect(200);
    await admin
      .put(`/api/enterprises/${idB}/plan`)
      .send({
        measures: [
          measure({ level: 'YELLOW', reduction: r(60, 100, 30, 24) }),
          measure({ level: 'ORANGE', reduction: r(90, 240, 60, 48) }),
          measure({ level: 'RED', reduction: r(150, 300, 75, 60) }),
        ],
      })
      .expect(200);
    await admin
      .put(`/api/enterprises/${idC}/plan`)
      .send({ measures: [measure({ level: 'RED', reduction: r(900, 900, 900, 900) })] })
      .expect(200);
    await admin.delete(`/api/enterprises/${idC}`).expect(200);
  });
  afterAll(() => t.close());

  it('computes city-wide ratios per level and pollutant against the ruleset in effect', async () => {
    const { body } = await duty.get('/api/reduction-list/adequacy').expect(200);
    expect(body.ruleset.id).toBe('MEE-2024');
    const [yellow, orange, red] = body.city.levels;
    expect(yellow.pollutants).toEqual({
      so2: { baseline: 1000, reduction: 100, ratio: 0.1, required: 0.1, ok: true },
      nox: { baseline: 2000, reduction: 180, ratio: 0.09, required: 0.1, ok: false },
      pm: { baseline: 500, reduction: 50, ratio: 0.1, required: 0.1, ok: true },
      vocs: { baseline: 400, reduction: 40, ratio: 0.1, required: 0.1, ok: true },
    });
    expect(yellow.ok).toBe(false);
    expect(orange).toMatchObject({
      level: 'ORANGE',
      required: 0.2,
      ok: false,
      pollutants: { so2: { reduction: 170, ratio: 0.17, ok: false }, nox: { reduction: 400, ok: true } },
    });
    expect(red).toMatchObject({
      level: 'RED',
      required: 0.3,
      ok: true,
      pollutants: { so2: { reduction: 350, ratio: 0.35 }, vocs: { reduction: 140, ratio: 0.35 } },
    });
  });

  it('computes each county against its own inventory, unknown where there is none', async () => {
    const { body } = await duty.get('/api/reduction-list/adequacy').expect(200);
    const county = (code: string) => body.counties.find((c: { areaCode: string }) => c.areaCode === code);
    expect(body.counties).toHaveLength(13);
    expect(county('141102').levels.map((l: { ok: boolean }) => l.ok)).toEqual([true, true, true]);
    expect(county('141102').levels[2].pollutants.so2).toEqual({
      baseline: 400,
      reduction: 200,
      ratio: 0.5,
      required: 0.3,
      ok: true,
    });
    expect(county('141181').levels.map((l: { ok: boolean }) => l.ok)).toEqual([false, false, false]);
    expect(county('141181').levels[2].pollutants.so2).toMatchObject({
      reduction: 150,
      ratio: 0.25,
      ok: false,
    });
    expect(county('141123').levels[0]).toMatchObject({
      ok: null,
      pollutants: { so2: { baseline: 0, reduction: 0, ratio: null, ok: null } },
    });
  });

  it('lists the enterprises that contribute most, city-wide or within a county', async () => {
    const { body } = await duty.get('/api/reduction-list/adequacy').expect(200);
    expect(body.topContributors.RED.map((c: { name: string }) => c.name)).toEqual([
      '甲焦化有限公司',
      '乙水泥有限公司',
    ]);
    expect(body.topContributors.RED[0]).toMatchObject({
      enterpriseId: idA,
      reduction: { so2: 200, nox: 400, pm: 100, vocs: 80 },
      share: { so2: 0.2, nox: 0.2, pm: 0.2, vocs: 0.2 },
    });

    const scoped = await duty.get('/api/reduction-list/adequacy?countyCode=141181').expect(200);
    expect(scoped.body.counties.map((c: { areaCode: string }) => c.areaCode)).toEqual(['141181']);
    expect(scoped.body.topContributors.RED).toEqual([
      expect.objectContaining({ enterpriseId: idB, share: { so2: 0.25, nox: 0.25, pm: 0.25, vocs: 0.25 } }),
    ]);
  });

  it('uses another ruleset on request and names bad parameters', async () => {
    const { body } = await duty.get('/api/reduction-list/adequacy?rulesetId=MEE-2017').expect(200);
    expect(
      body.city.levels.map((l: { level: string; required: number | null }) => [l.level, l.required]),
    ).toEqual([
      ['BLUE', null],
      ['YELLOW', 0.1],
      ['ORANGE', 0.2],
      ['RED', 0.3],
    ]);
    const bad = await duty.get('/api/reduction-list/adequacy?countyCode=999999').expect(422);
    expect(bad.body.error.fields).toEqual([{ field: 'countyCode', message: expect.any(String) }]);
    await duty.get('/api/reduction-list/adequacy?rulesetId=NOPE').expect(404);
    await t.http().get('/api/reduction-list/adequacy').expect(401);
  });

  it('keeps the inventory editable by ADMIN only, with checks', async () => {
    await duty.put('/api/inventory/141102').send({ so2: 1, nox: 1, pm: 1, vocs: 1 }).expect(403);
    const negative = await admin
      .put('/api/inventory/141102')
      .send({ so2: -1, nox: 1, pm: 1, vocs: 1 })
      .expect(422);
    expect(negative.body.error.fields).toEqual([{ field: 'so2', message: expect.any(String) }]);
    await admin.put('/api/inventory/999999').send({ so2: 1, nox: 1, pm: 1, vocs: 1 }).expect(404);
    const list = await duty.get('/api/inventory').expect(200);
    expect(list.body.map((r: { areaCode: string }) => r.areaCode)).toEqual(['141100', '141102', '141181']);
    const audit = await t.dataSource.query(
      "SELECT data FROM audit_entry WHERE action = 'inventory.updated' ORDER BY id LIMIT 1",
    );
    expect(audit[0].data).toEqual({ before: null, after: { so2: 1000, nox: 2000, pm: 500, vocs: 400 } });
  });
  it('opens the console page with a summary: level by level, the areas and pollutants short, and those unknown', async () => {
    const { text } = await duty.get('/adequacy').expect(200);
    const summary = text.slice(
      text.indexOf('id="adequacy-summary"'),
      text.indexOf('</section>', text.indexOf('id="adequacy-summary"')),
    );
    const row = (level: string) =>
      summary.slice(
        summary.indexOf(`data-level="${level}"`),
        summary.indexOf('</tr>', summary.indexOf(`data-level="${level}"`)),
      );
    // By hand from the scenario above: the city's NOₓ at YELLOW (180/2000) and SO₂ at ORANGE (170/1000); 孝义's SO₂
    // at RED (150/600); 离石 meets every ratio; the eleven counties without an inventory cannot be judged.
    expect(row('YELLOW')).toContain('吕梁市 NOₓ 9.0% &lt; 10%');
    expect(row('ORANGE')).toContain('吕梁市 SO₂ 17.0% &lt; 20%');
    expect(row('RED')).toContain('孝义市 SO₂ 25.0% &lt; 30%');
    expect(row('RED')).not.toContain('吕梁市');
    expect(summary).not.toContain('离石区');
    expect(row('RED')).toMatch(/无排放清单、无法核算:[^<]*石楼县/);
    // The summary comes before the detail of each area.
    expect(text.indexOf('id="adequacy-summary"')).toBeLessThan(text.indexOf('class="card adequacy"'));
  });
});
