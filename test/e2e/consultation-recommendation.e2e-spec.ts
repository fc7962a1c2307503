import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** Consecutive days from 2026-12-01, one AQI each. */
const days = (countyCode: string, primaryPollutant: string, ...aqi: number[]) =>
  aqi.map((v, i) => ({
    countyCode,
    date: `2026-12-${String(1 + i).padStart(2, '0')}`,
    aqi: v,
    primaryPollutant,
  }));

/**
 * Issue 16, "The daily work made short → Consultation": the recommendation the form shows while the grid is
 * typed, computed by the rule that runs on submit, and nothing saved.
 */
describe('POST /api/consultations/recommendation: the recommendation without recording', () => {
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-30T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER']);
    commander = await t.signIn(['COMMANDER']);
  });
  afterAll(() => t.close());

  /** Rows of the tables a recorded consultation writes (and the audit log every action writes). */
  const counts = async () =>
    (
      await t.dataSource.query<Array<{ c: number; f: number; a: number }>>(
        `SELECT (SELECT count(*)::int FROM consultation) AS c,
                (SELECT count(*)::int FROM consultation_forecast) AS f,
                (SELECT count(*)::int FROM audit_entry) AS a`,
      )
    )[0];

  it('answers docs/recommendation.md’s example under MEE-2024: episodes YELLOW then ORANGE → ORANGE, nothing saved', async () => {
    const before = await counts();
    const res = await duty
      .post('/api/consultations/recommendation')
      .send({ forecasts: days('141181', 'PM2.5', 310, 80, 60, 50, 210, 220, 230) })
      .expect(200);
    expect(res.body.rulesetId).toBe('MEE-2024');
    expect(res.body.recommendations).toHaveLength(1);
    const [rec] = res.body.recommendations;
    expect(rec).toMatchObject({ countyCode: '141181', level: 'ORANGE', response: 'WARNING', outlook: [] });
    expect(
      rec.episodes.map((e: { from: string; to: string; level: string }) => [e.from, e.to, e.level]),
    ).toEqual([
      ['2026-12-01', '2026-12-01', 'YELLOW'],
      ['2026-12-05', '2026-12-07', 'ORANGE'],
    ]);
    expect(rec.reason).toMatch(/^12-05至12-07.*→ 橙色\(MEE-2024\)/);
    expect(await counts()).toEqual(before);

    // The very rule that runs on submit: recording the same forecast records the same recommendation.
    const recorded = await duty
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-30T09:30:00+08:00',
        participants: ['市生态环境局'],
        opinion: '静稳天气',
        forecasts: days('141181', 'PM2.5', 310, 80, 60, 50, 210, 220, 230),
      })
      .expect(201);
    expect(recorded.body.recommendations).toEqual(res.body.recommendations);
  });

  it('gives the ozone response and health advice by primary pollutant, every county sent, in code order', async () => {
    const res = await commander
      .post('/api/consultations/recommendation')
      .send({
        forecasts: [
          ...days('141181', 'DUST', 320, 330, 100),
          ...days('141102', 'O3', 160, 160, 100),
          ...days('141122', 'PM2.5', 120, 130),
        ],
      })
      .expect(200);
    expect(
      res.body.recommendations.map((r: { countyCode: string; level: string; response: string }) => [
        r.countyCode,
        r.level,
        r.response,
      ]),
    ).toEqual([
      ['141102', null, 'OZONE'],
      ['141122', null, null],
      ['141181', null, 'ADVICE'],
    ]);
    expect(res.body.recommendations[1].reason).toBe('未达到黄色预警启动条件(预报最高日AQI 130,MEE-2024)');
  });

  it('uses the ruleset named, and a directive given raises its counties to its level', async () => {
    const res = await duty
      .post('/api/consultations/recommendation')
      .send({
        rulesetId: 'SHANXI-2020',
        forecasts: [...days('141181', 'PM2.5', 220, 230, 200, 230, 220), ...days('141102', 'PM2.5', 90)],
        directive: {
          kind: 'DISPATCH_ORDER',
          number: '〔2026〕4号',
          level: 'RED',
          countyCodes: ['141102'],
          from: '2026-12-01T00:00:00+08:00',
        },
      })
      .expect(200);
    expect(res.body.rulesetId).toBe('SHANXI-2020');
    const byCounty = Object.fromEntries(
      res.body.recommendations.map((r: { countyCode: string }) => [r.countyCode, r]),
    );
    expect(byCounty['141181']).toMatchObject({
      level: 'ORANGE',
      episodes: [{ from: '2026-12-01', to: '2026-12-05', days: 4, level: 'ORANGE' }],
    });
    expect(byCounty['141102']).toMatchObject({
      level: 'RED',
      response: 'WARNING',
      reason: expect.stringContaining('省级调度令〔2026〕4号要求不低于红色 → 红色'),
    });
  });

  it('refuses bad input as recording does, naming each field in Chinese, and saves nothing', async () => {
    const before = await counts();
    const bad = await duty
      .post('/api/consultations/recommendation')
      .send({
        forecasts: [
          { countyCode: '141181', date: '2026-12-01', aqi: 'high', primaryPollutant: 'PM2.5' },
          { countyCode: '141181', date: '2026-12-02', aqi: 180, primaryPollutant: 'SMOG' },
        ],
      })
      .expect(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.fields).toEqual([{ field: 'forecasts[0].aqi', message: '第1条预报的AQI应为整数' }]);

    const rules = await duty
      .post('/api/consultations/recommendation')
      .send({
        forecasts: [
          { countyCode: '141181', date: '2026-11-29', aqi: 180, primaryPollutant: 'PM2.5' },
          { countyCode: '999999', date: '2026-12-01', aqi: 600, primaryPollutant: 'SMOG' },
        ],
      })
      .expect(422);
    expect(rules.body.error.fields).toEqual([
      { field: 'forecasts[0].date', message: '预报日期 2026-11-29 早于今天(2026-11-30)' },
      { field: 'forecasts[1].countyCode', message: '未知区县代码 999999' },
      { field: 'forecasts[1].aqi', message: 'AQI 应为0-500之间的整数' },
      {
        field: 'forecasts[1].primaryPollutant',
        message: '首要污染物应为 PM2.5、PM10、O3、NO2、SO2、CO、DUST 之一',
      },
    ]);

    const empty = await duty.post('/api/consultations/recommendation').send({ forecasts: [] }).expect(422);
    expect(empty.body.error.fields).toEqual([{ field: 'forecasts', message: '至少需要一个区县的预报' }]);

    const unknown = await duty
      .post('/api/consultations/recommendation')
      .send({ forecasts: days('141181', 'PM2.5', 200), heldAt: null, rulesetId: 'NOPE' })
      .expect(422);
    expect(unknown.body.error.fields).toEqual(
      expect.arrayContaining([{ field: 'heldAt', message: expect.stringMatching(/^不能为 null/) }]),
    );
    const later = await duty
      .post('/api/consultations/recommendation')
      .send({
        forecasts: days('141181', 'PM2.5', 200),
        heldAt: '2026-12-01T10:00:00+08:00',
        rulesetId: 'NOPE',
      })
      .expect(422);
    expect(later.body.error.fields).toEqual([
      { field: 'heldAt', message: '会商时间不能晚于当前时间' },
      { field: 'rulesetId', message: '未知规则集 NOPE' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('answers duty officers and commanders only', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const body = { forecasts: days('141181', 'PM2.5', 200) };
    await auditor.post('/api/consultations/recommendation').send(body).expect(403);
    await t.http().post('/api/consultations/recommendation').send(body).expect(401);
  });
});
