import { assessAdequacy } from '../../enterprises/adequacy.rules';
import { creditCodeProblem } from '../../enterprises/credit-code.rules';
import { validateEnterpriseInput } from '../../enterprises/enterprise.rules';
import { CITY_AREA_CODE } from '../../enterprises/emission-inventory.entity';
import { checkPlan, levelReduction } from '../../enterprises/plan.rules';
import type { Emissions } from '../../enterprises/enterprise.types';
import type { WarningLevel } from '../../rulesets/ruleset.types';
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
});
