import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { generateDemoList } from '../../src/database/seeds/demo-enterprises.generator';
import { POLLUTANTS, type Pollutant } from '../../src/rulesets/ruleset.types';
import { postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
interface Row {
  pollutant: Pollutant;
  baseline: number;
  reduction: number;
  ratio: number | null;
  required: number | null;
  ok: boolean | null;
}
interface County {
  countyCode: string;
  countyName: string;
  reduction: Row[];
}

// The dry run: RED over 离石区, 石楼县 and 孝义市 (seeds/counties.json), in the demo registry, whose
// inventory is sized so that every county meets 30% at RED except 石楼县, sized to reach 27%.
const COUNTIES = ['141102', '141126', '141181'];
const SHILOU = '141126';

describe('alert preview per county: the demo registry at RED', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let alertId: string;
  const demo = generateDemoList(); // the list the demo seed writes: its inventory is the fixture's baseline

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    await t.app.get(DatabaseBootstrapService).prepare({ demo: true, demoPassword: 'demo' });
    [duty, commander] = await Promise.all([t.signIn(['DUTY_OFFICER']), t.signIn(['COMMANDER'])]);
    const { body } = await duty
      .post('/api/alerts')
      .send({
        level: 'RED',
        countyCodes: COUNTIES,
        effectiveAt: '2026-11-29T00:00:00+08:00',
        reason: '会商研判:重污染过程',
      })
      .expect(201);
    alertId = body.id;
  });
  afterAll(() => t.close());

  it('passes in total while 石楼县 alone falls short on every pollutant', async () => {
    const { body: p } = await duty.get(`/api/alerts/${alertId}/preview`).expect(200);
    expect(p).toMatchObject({ level: 'RED', countyCodes: COUNTIES, inventoryMissing: [] });
    expect(p.reduction.map((r: Row) => [r.pollutant, r.required, r.ok])).toEqual(
      POLLUTANTS.map((x) => [x, 0.3, true]),
    );
    const byCounty = p.byCounty as County[];
    expect(byCounty.map((c) => [c.countyCode, c.countyName])).toEqual([
      ['141102', '离石区'],
      ['141126', '石楼县'],
      ['141181', '孝义市'],
    ]);
    for (const c of byCounty) {
      // Same shape as the top-level rows, against the county's own inventory.
      expect(c.reduction.map((r) => r.pollutant)).toEqual([...POLLUTANTS]);
      for (const r of c.reduction) {
        expect(r).toEqual({
          pollutant: r.pollutant,
          baseline: demo.inventory.get(c.countyCode)![r.pollutant],
          reduction: expect.any(Number),
          ratio: expect.any(Number),
          required: 0.3,
          ok: c.countyCode !== SHILOU,
        });
      }
    }
    const shilou = byCounty.find((c) => c.countyCode === SHILOU)!;
    for (const r of shilou.reduction) expect(r.ratio).toBeCloseTo(0.27, 3);
    // The total is the three counties as one area: their baselines and reductions added up.
    for (const [i, r] of (p.reduction as Row[]).entries()) {
      const pollutant = POLLUTANTS[i];
      expect(r.baseline).toBe(COUNTIES.reduce((s, c) => s + demo.inventory.get(c)![pollutant], 0));
      expect(r.reduction).toBeCloseTo(
        byCounty.reduce((s, c) => s + c.reduction[i].reduction, 0),
        6,
      );
    }
  });

  it('the console dry run of the draft flags 石楼县 by name, pollutant by pollutant', async () => {
    const res = await postForm(duty, '/alerts/preview', {
      level: 'RED',
      countyCodes: COUNTIES,
      effectiveAt: '2026-11-29T00:00',
    });
    expect(res.status).toBe(200);
    const flags = shortfallsOf(res.text);
    expect(flags).toEqual([
      '石楼县 SO₂ 27.0% < 30%',
      '石楼县 NOₓ 27.0% < 30%',
      '石楼县 颗粒物 27.0% < 30%',
      '石楼县 VOCs 27.0% < 30%',
    ]);
    // The county table marks the same cells, and only 石楼县's.
    expect(res.text.match(/<tr data-county="141126">.*?<\/tr>/)![0].match(/不足/g)).toHaveLength(4);
    for (const code of ['141102', '141181'])
      expect(res.text.match(new RegExp(`<tr data-county="${code}">.*?</tr>`))![0]).not.toContain('不足');
  });

  it('the approval card (/approvals and the warning page) shows the same flags to the commander', async () => {
    const approvals = await commander.get('/approvals').expect(200);
    expect(shortfallsOf(approvals.text)).toHaveLength(4);
    expect(shortfallsOf(approvals.text)[0]).toBe('石楼县 SO₂ 27.0% < 30%');
    const detail = await commander.get(`/alerts/${alertId}`).expect(200);
    expect(shortfallsOf(detail.text)).toEqual(shortfallsOf(approvals.text));
  });

  it('flags nothing where every county meets its ratio (离石区 and 孝义市 alone)', async () => {
    const res = await postForm(duty, '/alerts/preview', {
      level: 'RED',
      countyCodes: ['141102', '141181'],
      effectiveAt: '2026-11-29T00:00',
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="preview-counties"');
    expect(res.text).not.toContain('id="preview-shortfalls"');
  });
});

/** The flagged lines of the preview's shortfall box, unescaped. */
function shortfallsOf(html: string): string[] {
  const box = /<div class="error-box" id="preview-shortfalls"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  if (!box) return [];
  return [...box[1].matchAll(/<li[^>]*>([^<]*)<\/li>/g)].map((m) => m[1].replace(/&lt;/g, '<'));
}
