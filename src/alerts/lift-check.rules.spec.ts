import { readSeedJson } from '../common/paths';
import type { ForecastDay } from '../rulesets/level.rules';
import type { RulesetDefinition } from '../rulesets/ruleset.types';
import { liftForecastCheck } from './lift-check.rules';

const MEE_2024 = readSeedJson<Array<{ id: string; definition: RulesetDefinition }>>('rulesets.json').find(
  (r) => r.id === 'MEE-2024',
)!.definition;

const at = (s: string) => new Date(s);
/** Consecutive days from `start`; a number is a PM2.5 day, [aqi, pollutant] names the primary pollutant. */
const days = (start: string, ...values: Array<number | [number, string]>): ForecastDay[] =>
  values.map((v, i) => {
    const [aqi, primaryPollutant] = typeof v === 'number' ? [v, 'PM2.5'] : v;
    const date = new Date(new Date(`${start}T00:00:00Z`).getTime() + i * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return { date, aqi, primaryPollutant };
  });
const lishi = { code: '141102', name: '离石区' };
const xiaoyi = { code: '141181', name: '孝义市' };
const check = (
  liftAt: string,
  forecast: Map<string, ForecastDay[]> | null,
  counties = [lishi],
  requiredHours = 36,
) =>
  liftForecastCheck({
    counties,
    liftAt: at(liftAt),
    requiredHours,
    settings: MEE_2024,
    rulesetId: 'MEE-2024',
    forecast,
  });

describe('liftForecastCheck: the recommendation over the days overlapping [t, t + liftBelowHours)', () => {
  it('[100,100,100,100,210] from 00:00 is supported: the next 36 hours are clean; the later episode is mentioned', () => {
    const r = check(
      '2026-12-01T00:00:00+08:00',
      new Map([['141102', days('2026-12-01', 100, 100, 100, 100, 210)]]),
    );
    expect(r.ok).toBe(true);
    expect(r.counties[0]).toMatchObject({
      cleanHours: 96,
      windowLevel: null,
      laterEpisode: { from: '2026-12-05', level: 'YELLOW' },
      ok: true,
    });
    expect(r.counties[0].message).toBe(
      '离石区:自解除时间起96小时内预报不达启动条件,要求36小时;另:12月05日起预报有新的黄色污染过程,不影响本次解除,届时须重新研判',
    );
  });

  it('a lift at 20:00 with 28 hours of forecast is not supported (预报不足36小时)', () => {
    const r = check('2026-12-01T20:00:00+08:00', new Map([['141102', days('2026-12-01', 100, 100)]]));
    expect(r.ok).toBe(false);
    expect(r.counties[0]).toMatchObject({ cleanHours: 28, windowLevel: null, ok: false });
    expect(r.counties[0].message).toBe(
      '离石区:自解除时间起28小时内预报不达启动条件,要求36小时(预报不足36小时,只到12月02日)',
    );
  });

  it('passes at exactly the required hours (持续36小时以上 counts 36) and fails an hour short', () => {
    const forecast = new Map([['141102', days('2026-12-02', 100, 100)]]);
    expect(check('2026-12-02T12:00:00+08:00', forecast)).toMatchObject({
      ok: true,
      counties: [{ cleanHours: 36, ok: true }],
      message: '最新会商预报显示各区县解除后36小时以上不达预警启动条件',
    });
    expect(check('2026-12-02T13:00:00+08:00', forecast)).toMatchObject({
      ok: false,
      counties: [{ cleanHours: 35, ok: false }],
    });
  });

  it('judges the window by episodes: one day at 160 starts nothing, two do (YELLOW), per county with names', () => {
    const r = check(
      '2026-12-02T10:00:00+08:00',
      new Map([
        ['141102', days('2026-12-01', 250, 160, 110, 140)],
        ['141181', days('2026-12-02', 130, 210, 100)],
      ]),
      [lishi, xiaoyi],
    );
    expect(r.ok).toBe(false);
    expect(r.counties).toEqual([
      // The 250 before the lift date does not count; 160 on the lift day alone starts nothing.
      expect.objectContaining({
        code: '141102',
        cleanHours: 62,
        forecastDays: 3,
        firstUnclean: null,
        ok: true,
      }),
      // 12-02 10:00 + 36 h reaches into 12-03, whose 210 is a YELLOW episode (any day >200 under MEE-2024).
      expect.objectContaining({
        code: '141181',
        cleanHours: 14,
        forecastDays: 3,
        windowLevel: 'YELLOW',
        firstUnclean: { date: '2026-12-03', aqi: 210 },
        ok: false,
      }),
    ]);
    expect(r.message).toContain(
      '孝义市:自解除时间起14小时内预报不达启动条件,要求36小时(12月03日起预报黄色污染过程',
    );
  });

  it('an episode that reaches its level only after the window is mentioned, not counted', () => {
    // 12-02 10:00 + 36 h ends in 12-03: [130, 160] give no level; 160, 170 on 12-03/12-04 are YELLOW.
    const r = check('2026-12-02T10:00:00+08:00', new Map([['141181', days('2026-12-02', 130, 160, 170)]]), [
      xiaoyi,
    ]);
    expect(r.ok).toBe(true);
    expect(r.counties[0]).toMatchObject({
      cleanHours: 14,
      laterEpisode: { from: '2026-12-03', level: 'YELLOW' },
    });
  });

  it('ozone and dust days do not stop a colour lift', () => {
    const r = check(
      '2026-12-01T00:00:00+08:00',
      new Map([['141102', days('2026-12-01', [260, 'O3'], [270, 'DUST'], 100)]]),
    );
    expect(r.ok).toBe(true);
  });

  it("uses the ruleset's required hours", () => {
    const forecast = new Map([['141102', days('2026-12-02', 100, 100, 100)]]);
    expect(check('2026-12-02T00:00:00+08:00', forecast, [lishi], 48).ok).toBe(true);
    expect(check('2026-12-02T00:00:00+08:00', forecast, [lishi], 73)).toMatchObject({
      ok: false,
      counties: [{ cleanHours: 72, requiredHours: 73 }],
    });
  });

  it('counts days on Beijing dates: a lift at 00:00 Beijing (16:00 UTC the day before) starts on that date', () => {
    const forecast = new Map([['141102', days('2026-12-02', 100, 100, 210)]]);
    // 2026-12-01T16:00Z is 12-02 00:00 in Beijing: the window is 12-02 00:00 to 12-03 12:00, both clean.
    expect(check('2026-12-01T16:00:00Z', forecast)).toMatchObject({
      ok: true,
      counties: [{ cleanHours: 48 }],
    });
    // One hour earlier it is still 12-01 in Beijing, which the forecast does not cover.
    expect(check('2026-12-01T15:00:00Z', forecast).counties[0]).toMatchObject({ forecastDays: 0, ok: false });
  });

  it('counts only an unbroken run of days from the lift date', () => {
    const gap = new Map([['141102', [...days('2026-12-02', 100), ...days('2026-12-04', 100, 100)]]]);
    expect(check('2026-12-02T00:00:00+08:00', gap).counties[0]).toMatchObject({
      forecastDays: 1,
      cleanHours: 24,
      ok: false,
    });
    const late = new Map([['141102', days('2026-12-03', 100, 100, 100)]]);
    expect(check('2026-12-02T00:00:00+08:00', late).counties[0]).toMatchObject({
      forecastDays: 0,
      cleanHours: 0,
      message: '离石区:自解除时间起0小时内预报不达启动条件,要求36小时(无12月02日起的预报)',
    });
  });

  it('fails when the lift day itself gives a level or the county has no forecast, and without a consultation', () => {
    expect(
      check('2026-12-01T00:00:00+08:00', new Map([['141102', days('2026-12-01', 210, 100, 100)]])),
    ).toMatchObject({
      ok: false,
      counties: [{ cleanHours: 0, windowLevel: 'YELLOW', firstUnclean: { date: '2026-12-01', aqi: 210 } }],
    });
    expect(
      check('2026-12-01T00:00:00+08:00', new Map([['141181', days('2026-12-01', 100, 100)]])),
    ).toMatchObject({
      ok: false,
      counties: [{ code: '141102', forecastDays: 0, cleanHours: 0 }],
    });
    expect(check('2026-12-01T00:00:00+08:00', null)).toMatchObject({
      ok: false,
      counties: [{ cleanHours: 0, ok: false }],
      message: '没有会商预报可供核对:无法确认解除后36小时以上低于启动条件',
    });
  });
});
