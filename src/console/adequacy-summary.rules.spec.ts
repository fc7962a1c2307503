import type { LevelAdequacy, PollutantAdequacy } from '../enterprises/adequacy.rules';
import { adequacySummary } from './adequacy-summary.rules';

const met: PollutantAdequacy = { baseline: 100, reduction: 40, ratio: 0.4, required: 0.3, ok: true };
const short = (ratio: number, required: number): PollutantAdequacy => ({
  baseline: 100,
  reduction: ratio * 100,
  ratio,
  required,
  ok: false,
});
const unknown: PollutantAdequacy = { baseline: 0, reduction: 5, ratio: null, required: 0.3, ok: null };

function level(
  l: LevelAdequacy['level'],
  p: Partial<LevelAdequacy['pollutants']>,
  ok: boolean | null,
): LevelAdequacy {
  return { level: l, required: 0.3, pollutants: { so2: met, nox: met, pm: met, vocs: met, ...p }, ok };
}

describe('adequacySummary', () => {
  it('lists, level by level, the areas short of the ratio with each pollutant short, the city first', () => {
    const summary = adequacySummary([
      {
        areaCode: '141100',
        name: '全市',
        levels: [level('YELLOW', {}, true), level('RED', { so2: short(0.27, 0.3) }, false)],
      },
      {
        areaCode: '141126',
        name: '石楼县',
        levels: [
          level('YELLOW', {}, true),
          level('RED', { so2: short(0.12, 0.3), pm: short(0.2, 0.3) }, false),
        ],
      },
      { areaCode: '141102', name: '离石区', levels: [level('YELLOW', {}, true), level('RED', {}, true)] },
    ]);
    expect(summary.levels.map((l) => l.level)).toEqual(['YELLOW', 'RED']);
    expect(summary.levels[0]).toEqual({ level: 'YELLOW', short: [], unknown: [] });
    expect(summary.levels[1].short.map((s) => [s.name, s.shortfalls.map((f) => f.text)])).toEqual([
      ['全市', ['全市 SO₂ 27.0% < 30%']],
      ['石楼县', ['石楼县 SO₂ 12.0% < 30%', '石楼县 颗粒物 20.0% < 30%']],
    ]);
    expect(summary.shortCount).toBe(2);
    expect(summary.allMet).toBe(false);
  });

  it('names the areas that cannot be judged for want of an inventory, apart from those short', () => {
    const summary = adequacySummary([
      { areaCode: '141100', name: '全市', levels: [level('ORANGE', {}, true)] },
      { areaCode: '141130', name: '交口县', levels: [level('ORANGE', { so2: unknown }, null)] },
    ]);
    expect(summary.levels[0]).toEqual({ level: 'ORANGE', short: [], unknown: ['交口县'] });
    expect(summary.allMet).toBe(false);
    expect(summary.shortCount).toBe(0);
  });

  it('says all met when every area meets every ratio, and ignores levels without a requirement', () => {
    const free: LevelAdequacy = {
      ...level('YELLOW', { so2: { ...unknown, required: null } }, null),
      required: null,
    };
    const summary = adequacySummary([
      { areaCode: '141100', name: '全市', levels: [free, level('RED', {}, true)] },
    ]);
    expect(summary.allMet).toBe(true);
    expect(summary.levels.every((l) => !l.short.length && !l.unknown.length)).toBe(true);
  });
});
