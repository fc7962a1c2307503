import { readSeedJson } from '../common/paths';
import { applyFloor, compareLevels, type ForecastDay, recommendLevel, termDays } from './level.rules';
import type { LevelRule, WarningLevel } from './ruleset.types';

const RULESETS = Object.fromEntries(
  readSeedJson<Array<{ id: string; definition: { levelRules: LevelRule[] } }>>('rulesets.json').map((r) => [
    r.id,
    r.definition.levelRules,
  ]),
);

const days = (...aqi: number[]): ForecastDay[] =>
  aqi.map((v, i) => ({ date: `2026-12-${String(i + 1).padStart(2, '0')}`, aqi: v }));
const level = (ruleset: string, ...aqi: number[]): WarningLevel | null =>
  recommendLevel(RULESETS[ruleset], ruleset, days(...aqi)).level;

describe('recommendLevel: MEE-2024 (环大气〔2024〕6号)', () => {
  it.each<[number[], WarningLevel | null]>([
    [[150, 150, 150], null], // 150 is not >150
    [[200, 120, 100], null], // 200 is not >200, one day >150 is not enough
    [[201, 100, 100], 'YELLOW'], // any day >200
    [[151, 151, 100], 'YELLOW'], // >150 on 2 consecutive days
    [[151, 100, 151], null], // >150 twice but not consecutive
    [[151, 151, 151], 'ORANGE'], // >150 on 3 consecutive days
    [[201, 201, 100], 'ORANGE'], // >200 on 2 consecutive days
    [[201, 100, 201], 'YELLOW'], // >200 twice, not consecutive
    [[201, 201, 201], 'ORANGE'], // 3 days >200 but none >300
    [[301, 201, 201], 'RED'], // 3 consecutive >200 and one >300
    [[300, 201, 201], 'ORANGE'], // 300 is not >300
    [[301, 201, 100, 201], 'ORANGE'], // the >200 days are not 3 in a row
    [[500, 100], 'YELLOW'], // no 500 rule in 2024: one day >200
  ])('%p → %p', (aqi, expected) => {
    expect(level('MEE-2024', ...aqi)).toBe(expected);
  });

  it('explains the decision with the days that triggered it', () => {
    expect(recommendLevel(RULESETS['MEE-2024'], 'MEE-2024', days(120, 210, 220, 90)).reason).toBe(
      '日AQI>200 连续2天:12-02、12-03 → 橙色(MEE-2024)',
    );
    expect(recommendLevel(RULESETS['MEE-2024'], 'MEE-2024', days(120, 140)).reason).toBe(
      '未达到黄色预警启动条件(预报最高日AQI 140,MEE-2024)',
    );
  });
});

describe('recommendLevel: SHANXI-2020', () => {
  it.each<[number[], WarningLevel | null]>([
    [[201, 100], null], // one day is not enough
    [[201, 201], 'YELLOW'],
    [[201, 150, 201], null], // not consecutive
    [[201, 201, 201], 'ORANGE'],
    [[201, 201, 201, 201], 'ORANGE'], // 4 days but no >300 pair
    [[301, 301, 201, 201], 'RED'],
    [[301, 201, 301, 201], 'ORANGE'], // the >300 days are not consecutive
    [[499, 100], null],
    [[500, 100], 'RED'], // AQI reaching 500 on any day
  ])('%p → %p', (aqi, expected) => {
    expect(level('SHANXI-2020', ...aqi)).toBe(expected);
  });
});

describe('recommendLevel: MEE-2017 (four levels)', () => {
  it.each<[number[], WarningLevel | null]>([
    [[200, 100], null],
    [[201, 100], 'BLUE'],
    [[201, 201], 'YELLOW'],
    [[201, 201, 201], 'YELLOW'], // 3 days but none >300
    [[301, 201, 201], 'ORANGE'],
    [[301, 301, 201, 201], 'RED'],
    [[301, 301, 201], 'ORANGE'], // only 3 days >200
    [[500], 'RED'],
  ])('%p → %p', (aqi, expected) => {
    expect(level('MEE-2017', ...aqi)).toBe(expected);
  });
});

describe('helpers', () => {
  it('finds the longest qualifying run', () => {
    expect(
      termDays(
        { comparison: 'gt', aqi: 200, days: 2, consecutive: true },
        days(201, 100, 201, 202, 203),
      )?.map((d) => d.aqi),
    ).toEqual([201, 202, 203]);
  });

  it('orders levels', () => {
    expect(compareLevels('RED', 'ORANGE')).toBeGreaterThan(0);
    expect(compareLevels(null, 'BLUE')).toBeLessThan(0);
  });

  it('raises a recommendation to a directive floor, never lowers it', () => {
    const floor = { level: 'ORANGE' as const, label: '省调度令〔2026〕4号' };
    expect(applyFloor({ level: 'YELLOW', reason: 'r' }, floor)).toEqual({
      level: 'ORANGE',
      reason: 'r;省调度令〔2026〕4号要求不低于橙色 → 橙色',
    });
    expect(applyFloor({ level: null, reason: 'r' }, floor).level).toBe('ORANGE');
    expect(applyFloor({ level: 'RED', reason: 'r' }, floor)).toEqual({ level: 'RED', reason: 'r' });
  });
});
