import { readSeedJson } from '../common/paths';
import { splitEpisodes } from './episode.rules';
import { compareLevels, type ForecastDay } from './level.rules';
import { type Floor, highestFloor, recommendCounty } from './recommendation.rules';
import type { RulesetDefinition, WarningLevel } from './ruleset.types';

// The seeded rulesets themselves: the rule that runs is the rule that is tested.
const RULESETS = Object.fromEntries(
  readSeedJson<Array<{ id: string; definition: RulesetDefinition }>>('rulesets.json').map((r) => [
    r.id,
    r.definition,
  ]),
);

/** Consecutive days from 2026-12-01; a number is a PM2.5 day, [aqi, pollutant] names the primary pollutant. */
const days = (...values: Array<number | [number, string]>): ForecastDay[] =>
  values.map((v, i) => {
    const [aqi, primaryPollutant] = typeof v === 'number' ? [v, 'PM2.5'] : v;
    return { date: `2026-12-${String(i + 1).padStart(2, '0')}`, aqi, primaryPollutant };
  });
const rec = (ruleset: string, values: Array<number | [number, string]>, floor: Floor | null = null) =>
  recommendCounty(RULESETS[ruleset], ruleset, days(...values), floor);
const level = (ruleset: string, ...values: Array<number | [number, string]>): WarningLevel | null =>
  rec(ruleset, values).level;
const episodeLevels = (ruleset: string, ...values: Array<number | [number, string]>) =>
  rec(ruleset, values).episodes.map((e) => [e.from.slice(5), e.to.slice(5), e.response, e.level]);

describe('MEE-2024 (环大气〔2024〕6号): colour levels', () => {
  it.each<[number[], WarningLevel | null]>([
    [[150, 150, 150], null], // 150 is not >150: not even a polluted day
    [[200, 120, 100], null], // 200 is not >200, one day >150 is not enough
    [[201, 100, 100], 'YELLOW'], // any day >200
    [[151, 151, 100], 'YELLOW'], // >150 on 2 consecutive days
    [[151, 151, 151], 'ORANGE'], // >150 on 3 consecutive days
    [[201, 201, 100], 'ORANGE'], // >200 on 2 consecutive days
    [[201, 201, 201], 'ORANGE'], // 3 days >200 but none >300
    [[301, 201, 201], 'RED'], // 3 consecutive >200 and one >300
    [[300, 201, 201], 'ORANGE'], // 300 is not >300
    [[500, 100], 'YELLOW'], // no 500 rule in 2024: one day >200
    [[500, 500, 500], 'RED'],
  ])('%p → %p', (aqi, expected) => {
    expect(level('MEE-2024', ...aqi)).toBe(expected);
  });

  it('explains the decision with the episode and the days that triggered it', () => {
    expect(rec('MEE-2024', [120, 210, 220, 90]).reason).toBe(
      '12-02至12-03(首要污染物PM2.5):日AQI>200 连续2天:12-02、12-03 → 橙色(MEE-2024)',
    );
    expect(rec('MEE-2024', [120, 140]).reason).toBe('未达到黄色预警启动条件(预报最高日AQI 140,MEE-2024)');
  });
});

describe('episodes: a separate episode cannot raise another (issue 14)', () => {
  it('MEE-2024 [310,80,60,50,210,220,230]: YELLOW for the first episode, ORANGE for the later one → ORANGE', () => {
    // The 310 lies three clean days (72 h ≥ the 36 h merge gap) before the >200 run: it cannot make that run RED.
    expect(episodeLevels('MEE-2024', 310, 80, 60, 50, 210, 220, 230)).toEqual([
      ['12-01', '12-01', 'WARNING', 'YELLOW'],
      ['12-05', '12-07', 'WARNING', 'ORANGE'],
    ]);
    expect(level('MEE-2024', 310, 80, 60, 50, 210, 220, 230)).toBe('ORANGE');
  });

  it('MEE-2017 [310,60,50,40,210,210,210]: BLUE then YELLOW → YELLOW, not ORANGE', () => {
    expect(episodeLevels('MEE-2017', 310, 60, 50, 40, 210, 210, 210)).toEqual([
      ['12-01', '12-01', 'WARNING', 'BLUE'],
      ['12-05', '12-07', 'WARNING', 'YELLOW'],
    ]);
    expect(level('MEE-2017', 310, 60, 50, 40, 210, 210, 210)).toBe('YELLOW');
  });

  it('SHANXI-2020 [220,230,200,230,220]: a one-day gap (24 h < 36 h) merges the runs, 4 days >200 → ORANGE', () => {
    expect(episodeLevels('SHANXI-2020', 220, 230, 200, 230, 220)).toEqual([
      ['12-01', '12-05', 'WARNING', 'ORANGE'],
    ]);
    expect(rec('SHANXI-2020', [220, 230, 200, 230, 220]).reason).toContain(
      '日AQI>200 4天(间隔短于36小时,按连续计):12-01、12-02、12-04、12-05 → 橙色',
    );
  });

  it('merged runs count as one for consecutive terms: MEE-2024 [201,100,201] → ORANGE, [151,100,151] → YELLOW', () => {
    expect(level('MEE-2024', 201, 100, 201)).toBe('ORANGE');
    expect(level('MEE-2024', 151, 100, 151)).toBe('YELLOW');
    expect(level('SHANXI-2020', 301, 100, 301, 201, 201)).toBe('RED'); // >300 twice across a 24 h gap
    expect(level('SHANXI-2020', 301, 201, 100, 301, 201)).toBe('ORANGE'); // the >300 days are 48 h apart
  });

  it('a gap of exactly the merge gap separates; one hour less merges', () => {
    const twoDayGap = (mergeGapHours: number) =>
      recommendCounty(
        { ...RULESETS['SHANXI-2020'], episodes: { ...RULESETS['SHANXI-2020'].episodes, mergeGapHours } },
        'T',
        days(201, 100, 100, 201),
      );
    expect(twoDayGap(48).episodes.map((e) => e.level)).toEqual([null, null]); // 48 h is not shorter than 48 h
    expect(twoDayGap(48).level).toBeNull();
    expect(twoDayGap(49).episodes.map((e) => e.level)).toEqual(['YELLOW']);
  });

  it('a single day ≥ 500 is RED under the standards with the 500 clause, YELLOW under MEE-2024', () => {
    expect(level('MEE-2017', 100, 500, 100)).toBe('RED');
    expect(level('SHANXI-2020', 100, 500, 100)).toBe('RED');
    expect(level('SHANXI-2020', 100, 499, 100)).toBeNull();
    expect(level('MEE-2024', 100, 500, 100)).toBe('YELLOW');
  });

  it('MEE-2017 boundaries: exactly 200 and 300 do not count', () => {
    expect(level('MEE-2017', 200, 200)).toBeNull();
    expect(level('MEE-2017', 201)).toBe('BLUE');
    expect(level('MEE-2017', 300, 201, 201)).toBe('YELLOW');
    expect(level('MEE-2017', 301, 201, 201)).toBe('ORANGE');
    expect(level('MEE-2017', 301, 301, 201, 201)).toBe('RED');
  });
});

describe('pollutants: ozone and dust days get their own response (MEE-2024)', () => {
  it('two O3 days at AQI 160: the ozone response, no colour level', () => {
    const r = rec('MEE-2024', [
      [160, 'O3'],
      [160, 'O3'],
    ]);
    expect(r.level).toBeNull();
    expect(r.response).toBe('OZONE');
    expect(r.episodes).toMatchObject([{ response: 'OZONE', level: 'YELLOW', responds: true }]);
    expect(r.reason).toBe(
      '12-01至12-02(首要污染物O₃):日AQI>150 连续2天:12-01、12-02 → 臭氧污染应对,不启动颜色预警(MEE-2024)',
    );
  });

  it('one O3 day at 160 is below every start condition: no response', () => {
    expect(rec('MEE-2024', [[160, 'O3'], 100]).response).toBeNull();
  });

  it('an O3 day inside a PM episode neither counts nor extends it, and the gap it leaves merges', () => {
    // PM 210, O3 210, PM 210: the PM days are one merged episode (24 h gap) with 2 days >200 → ORANGE; the O3 day
    // alone is a one-day ozone episode at YELLOW strength: the ozone response too.
    const r = rec('MEE-2024', [210, [210, 'O3'], 210]);
    expect(r.level).toBe('ORANGE');
    expect(r.response).toBe('WARNING');
    expect(r.episodes.map((e) => [e.response, e.from.slice(5), e.to.slice(5), e.days, e.level])).toEqual([
      ['WARNING', '12-01', '12-03', 2, 'ORANGE'],
      ['OZONE', '12-02', '12-02', 1, 'YELLOW'],
    ]);
    // Without the O3 day counted the PM run is not three days >200: not RED even with a 310 on the O3 day.
    expect(level('MEE-2024', 210, [310, 'O3'], 210)).toBe('ORANGE');
  });

  it('dust days never start a colour warning: health advice only', () => {
    const r = rec('MEE-2024', [
      [320, 'DUST'],
      [330, 'DUST'],
      [310, 'DUST'],
    ]);
    expect(r.level).toBeNull();
    expect(r.response).toBe('ADVICE');
    expect(r.reason).toContain('沙尘污染不启动预警,发布健康防护提示');
    // A dust day between PM days is a gap for the PM episode.
    expect(level('MEE-2024', 160, [400, 'DUST'], 160)).toBe('YELLOW');
  });

  it('the older standards count O3 toward the colour levels (graded on AQI alone), dust never', () => {
    expect(level('SHANXI-2020', [210, 'O3'], [210, 'O3'])).toBe('YELLOW');
    expect(level('SHANXI-2020', [210, 'DUST'], [210, 'DUST'])).toBeNull();
  });
});

describe('detailed days and the outlook (预警提示)', () => {
  const ten = (...tail: number[]) => [100, 100, 100, 100, 100, 100, 100, ...tail];

  it('days beyond the detailed seven give an outlook, not a level', () => {
    const r = rec('MEE-2024', ten(210, 220, 100));
    expect(r.level).toBeNull();
    expect(r.episodes).toEqual([]);
    expect(r.outlook.map((e) => [e.from.slice(5), e.to.slice(5), e.level])).toEqual([
      ['12-08', '12-09', 'ORANGE'],
    ]);
  });

  it('an episode running on past the detailed days to a higher level is in the outlook too', () => {
    const r = rec('MEE-2024', [100, 100, 100, 100, 100, 100, 160, 170, 180]);
    expect(r.level).toBeNull(); // 12-07 alone: one day >150
    expect(r.outlook.map((e) => [e.from.slice(5), e.to.slice(5), e.level])).toEqual([
      ['12-07', '12-09', 'ORANGE'],
    ]);
    // Same level as the detailed days already give: nothing new to announce.
    expect(rec('MEE-2024', [100, 100, 100, 100, 100, 210, 210, 210]).outlook).toEqual([]);
  });

  it('nothing after the detailed days: no outlook', () => {
    expect(rec('MEE-2024', [210, 210]).outlook).toEqual([]);
  });
});

describe('floor from a provincial directive', () => {
  const floor = { level: 'ORANGE' as const, label: '省级调度令晋气防办调〔2026〕4号' };

  it('raises a recommendation to the floor, never lowers it', () => {
    const raised = rec('MEE-2024', [201, 100], floor);
    expect(raised.level).toBe('ORANGE');
    expect(raised.response).toBe('WARNING');
    expect(raised.reason).toBe(
      '12-01(首要污染物PM2.5):日AQI>200:12-01 → 黄色(MEE-2024);省级调度令晋气防办调〔2026〕4号要求不低于橙色 → 橙色',
    );
    expect(rec('MEE-2024', [100], floor).level).toBe('ORANGE');
    expect(rec('MEE-2024', [301, 201, 201], floor).level).toBe('RED');
  });

  it('a county without a forecast says so, and still takes the floor', () => {
    expect(recommendCounty(RULESETS['MEE-2024'], 'MEE-2024', [], floor)).toMatchObject({
      level: 'ORANGE',
      reason: '无该区县预报;省级调度令晋气防办调〔2026〕4号要求不低于橙色 → 橙色',
    });
    expect(recommendCounty(RULESETS['MEE-2024'], 'MEE-2024', []).reason).toBe('无该区县预报');
  });

  it('takes the highest floor naming the county', () => {
    const floors = [
      { level: 'YELLOW' as const, label: '区域预警A', countyCodes: ['141102', '141181'] },
      { level: 'RED' as const, label: '调度令B', countyCodes: ['141181'] },
    ];
    expect(highestFloor(floors, '141181')).toEqual({ level: 'RED', label: '调度令B' });
    expect(highestFloor(floors, '141102')).toEqual({ level: 'YELLOW', label: '区域预警A' });
    expect(highestFloor(floors, '141126')).toBeNull();
  });

  it('orders levels', () => {
    expect(compareLevels('RED', 'ORANGE')).toBeGreaterThan(0);
    expect(compareLevels(null, 'BLUE')).toBeLessThan(0);
  });
});

describe('splitEpisodes', () => {
  it('lists episodes below every start condition too, in date order', () => {
    expect(
      splitEpisodes(RULESETS['MEE-2024'], 'MEE-2024', days(160, 100, 100, 160)).map((e) => [
        e.from.slice(5),
        e.level,
        e.responds,
      ]),
    ).toEqual([
      ['12-01', null, false],
      ['12-04', null, false],
    ]);
  });
});
