import { assessAdequacy } from '../../enterprises/adequacy.rules';
import { creditCodeProblem } from '../../enterprises/credit-code.rules';
import { validateEnterpriseInput } from '../../enterprises/enterprise.rules';
import { CITY_AREA_CODE } from '../../enterprises/emission-inventory.entity';
import { checkPlan, levelReduction } from '../../enterprises/plan.rules';
import { gradeMinimumWarnings, monotonyWarnings } from '../../enterprises/plan-monotony.rules';
import { readSeedJson } from '../../common/paths';
import type { RulesetDefinition } from '../../rulesets/ruleset.types';
import type { Emissions } from '../../enterprises/enterprise.types';
import type { WarningLevel } from '../../rulesets/ruleset.types';
import { meteringPointProblems } from '../../telemetry/metering-point.rules';
import { generateDemoList } from './demo-enterprises.generator';

const LEVELS = ['YELLOW', 'ORANGE', 'RED'] as const;
const RATIOS = { YELLOW: 0.1, ORANGE: 0.2, RED: 0.3 };
const COUNTIES = [
  '141102',
  '141121',
  '141122',
  '141123',
  '141124',
  '141125',
  '141126',
  '141127',
  '141128',
  '141129',
  '141130',
  '141181',
  '141182',
];

describe('demo reduction list', () => {
  const demo = generateDemoList();

  it('has about 200 valid enterprises with unique codes and names, including the ones the action plan names', () => {
    expect(demo.enterprises.length).toBeGreaterThanOrEqual(190);
    expect(demo.enterprises.length).toBeLessThanOrEqual(210);
    const refs = {
      counties: new Set(COUNTIES),
      industries: new Set(demo.enterprises.map((e) => e.input.industry)),
    };
    for (const e of demo.enterprises) {
      expect(creditCodeProblem(e.input.creditCode)).toBeNull();
      expect(validateEnterpriseInput(e.input, refs)).toEqual([]);
      expect(
        checkPlan({ grade: e.input.grade, baseline: e.input.baseline, measures: e.measures, levels: LEVELS })
          .errors,
      ).toEqual([]);
    }
    expect(new Set(demo.enterprises.map((e) => e.input.creditCode)).size).toBe(demo.enterprises.length);
    expect(new Set(demo.enterprises.map((e) => e.input.name)).size).toBe(demo.enterprises.length);
    const byName = new Map(demo.enterprises.map((e) => [e.input.name, e.input]));
    expect(byName.get('山西中阳钢铁有限公司')?.controlTags).toEqual(['DIFFERENTIATED_CONTROL']);
    expect(byName.get('山西福裕焦化有限公司')?.controlTags).toEqual(['DIFFERENTIATED_CONTROL']);
    expect(byName.has('吕梁建龙实业有限公司')).toBe(true);
    expect(new Set(demo.enterprises.map((e) => e.input.countyCode)).size).toBe(13);
  });

  it('is deterministic', () => {
    expect(generateDemoList().enterprises.map((e) => e.input.creditCode)).toEqual(
      demo.enterprises.map((e) => e.input.creditCode),
    );
  });

  it('meets every ratio city-wide and falls short only in 石楼县 at RED', () => {
    const sum = (codes: string[] | null) => {
      const out: Partial<Record<WarningLevel, Emissions>> = {};
      for (const level of LEVELS) {
        const total = { so2: 0, nox: 0, pm: 0, vocs: 0 };
        for (const e of demo.enterprises.filter((x) => !codes || codes.includes(x.input.countyCode))) {
          const r = levelReduction(e.measures, level);
          total.so2 += r.so2;
          total.nox += r.nox;
          total.pm += r.pm;
          total.vocs += r.vocs;
        }
        out[level] = total;
      }
      return out;
    };
    const city = assessAdequacy({
      levels: LEVELS,
      ratios: RATIOS,
      inventory: demo.inventory.get(CITY_AREA_CODE)!,
      reductions: sum(null),
    });
    expect(city.map((l) => l.ok)).toEqual([true, true, true]);
    const short = COUNTIES.filter((code) => {
      const levels = assessAdequacy({
        levels: LEVELS,
        ratios: RATIOS,
        inventory: demo.inventory.get(code)!,
        reductions: sum([code]),
      });
      return levels.some((l) => l.ok === false);
    });
    expect(short).toEqual(['141126']);
    const shilou = assessAdequacy({
      levels: LEVELS,
      ratios: RATIOS,
      inventory: demo.inventory.get('141126')!,
      reductions: sum(['141126']),
    });
    expect(shilou.map((l) => l.ok)).toEqual([true, true, false]);
  });

  it('never relaxes a plan on an upgrade and meets every grade minimum of the seeded rulesets', () => {
    const rulesets =
      readSeedJson<Array<{ id: string; levels: WarningLevel[]; definition: RulesetDefinition }>>(
        'rulesets.json',
      );
    const current = rulesets.find((r) => r.id === 'MEE-2024')!;
    expect(current.definition.gradeMinimums?.D).toEqual({ allLevels: ['STOP', 'STOP_ROAD_TRANSPORT'] });
    const found = demo.enterprises.flatMap((e) => [
      ...monotonyWarnings(e.measures, current.levels),
      ...gradeMinimumWarnings({
        grade: e.input.grade,
        protected: e.input.protected,
        measures: e.measures,
        levels: current.levels,
        lines: e.input.lines,
        minimums: current.definition.gradeMinimums,
      }),
    ]);
    expect(found).toEqual([]);
    // The rule does find what the list used to hold: B grade without the truck ban at ORANGE.
    const b = demo.enterprises.find((e) => e.input.grade === 'B' && e.input.industry === 'CEMENT')!;
    const withoutOrangeBan = b.measures.filter(
      (m) => !(m.level === 'ORANGE' && m.action === 'TRUCK_BAN_CN4'),
    );
    expect(monotonyWarnings(withoutOrangeBan, current.levels).map((w) => w.message)).toEqual([
      '橙色预警 全厂:缺少黄色预警已有的措施“禁用国四及以下重型货车运输”',
    ]);
    // Every China-IV truck ban a plan has at one level it keeps at each level above.
    const losing = demo.enterprises.filter((e) => {
      const banned = LEVELS.map((l) =>
        e.measures.some((m) => m.level === l && ['TRUCK_BAN_CN4', 'STOP_ROAD_TRANSPORT'].includes(m.action)),
      );
      return banned.some((b, i) => b && banned.slice(i).includes(false));
    });
    expect(losing.map((e) => e.input.name)).toEqual([]);
  });

  it.each([
    ['山西中阳钢铁有限公司', [['烧结机', { pm: 5, so2: 5, nox: 35 }]]],
    [
      '山西福裕焦化有限公司',
      [
        ['5.5米焦炉', { pm: 5, so2: 15, nox: 50, vocs: 60 }],
        ['装煤地面站', { pm: 10, so2: 20 }],
        ['推焦地面站', { pm: 10, so2: 20 }],
        ['机侧炉头烟除尘站', { pm: 10, so2: 20 }],
        ['干熄焦地面站', { pm: 10, so2: 20 }],
      ],
    ],
  ] as const)('%s keeps its deep-treatment caps at every level', (name, caps) => {
    const e = demo.enterprises.find((x) => x.input.name === name)!;
    for (const level of LEVELS) {
      const held = e.measures
        .filter((m) => m.level === level && m.action === 'CONCENTRATION_CAP')
        .map((m) => [m.line, m.params]);
      expect(held).toEqual(caps);
    }
    expect(e.measures.every((m) => !m.line || e.input.lines.some((l) => l.name === m.line))).toBe(true);
  });

  it('gives every line a power meter and the stacks of the heavy industries their CEMS, valid and deterministic', () => {
    const STACKED = ['COKING', 'LONG_PROCESS_STEEL', 'CEMENT', 'ALUMINA', 'COAL_NITROGEN_FERTILISER'];
    for (const e of demo.enterprises) {
      expect(
        meteringPointProblems(
          e.points,
          e.input.lines.map((l) => l.code),
        ),
      ).toEqual([]);
      const lines = e.points.filter((p) => p.kind === 'LINE_POWER');
      expect(lines.map((p) => [p.code, p.name])).toEqual(e.input.lines.map((l) => [l.code, l.name]));
      for (const p of lines) {
        expect(p.normalPowerKw).toBeGreaterThanOrEqual(50);
        expect(p.normalPowerKw).toBeLessThanOrEqual(100_000);
      }
      const outlets = e.points.filter((p) => p.kind === 'OUTLET_CEMS');
      expect(outlets.length > 0).toBe(
        STACKED.includes(e.input.industry) ||
          !['OTHER', 'BRICK_KILN', 'CASTING', 'REFRACTORY'].includes(e.input.industry),
      );
      expect(outlets.map((p) => p.code)).toEqual(outlets.map((_, i) => `DA00${i + 1}`));
    }
    // A big coke plant draws megawatts, a brick kiln a few hundred kilowatts.
    const kw = (industry: string) =>
      demo.enterprises.filter((e) => e.input.industry === industry).map((e) => e.points[0].normalPowerKw!);
    expect(Math.min(...kw('COKING'))).toBeGreaterThan(1000);
    expect(Math.max(...kw('BRICK_KILN'))).toBeLessThan(1000);
    // The named coke plant's CEMS limits are its deep-treatment caps.
    const fuyu = demo.enterprises.find((x) => x.input.name === '山西福裕焦化有限公司')!;
    expect(fuyu.points.find((p) => p.code === 'DA001')).toMatchObject({
      name: '焦炉烟囱',
      limits: { pm: 5, so2: 15, nox: 50, vocs: 60 },
    });
    expect(fuyu.points.filter((p) => p.kind === 'OUTLET_CEMS')).toHaveLength(5);
    expect(generateDemoList().enterprises.map((e) => e.points)).toEqual(
      demo.enterprises.map((e) => e.points),
    );
  });
});
