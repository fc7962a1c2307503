import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const forecast = (countyCode: string, start: number, ...aqi: number[]) =>
  aqi.map((v, i) => ({
    countyCode,
    date: `2026-${start + i > 30 ? '12' : '11'}-${String(start + i > 30 ? start + i - 30 : start + i).padStart(2, '0')}`,
    aqi: v,
    primaryPollutant: 'PM2.5',
  }));

describe('consultations and level recommendation', () => {
  let t: TestApp;
  let duty: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-28T10:00:00+08:00');
    duty = await t.signIn(['DUTY_OFFICER']);
  });
  afterAll(() => t.close());

  const body = (over: Record<string, unknown> = {}) => ({
    heldAt: '2026-11-28T09:30:00+08:00',
    participants: ['市生态环境局', '市气象局'],
    opinion: '受静稳天气影响,平川四县将出现重污染过程',
    forecasts: [...forecast('141181', 29, 210, 220, 150), ...forecast('141102', 29, 120, 130)],
    ...over,
  });

  it('recommends a level per county with a readable reason, under the ruleset in effect', async () => {
    const res = await duty.post('/api/consultations').send(body()).expect(201);
    expect(res.body.rulesetId).toBe('MEE-2024');
    const orange = '11-29至11-30(首要污染物PM2.5):日AQI>200 连续2天:11-29、11-30 → 橙色(MEE-2024)';
    expect(res.body.recommendations).toEqual([
      {
        countyCode: '141102',
        level: null,
        response: null,
        reason: '未达到黄色预警启动条件(预报最高日AQI 130,MEE-2024)',
        episodes: [],
        outlook: [],
      },
      {
        countyCode: '141181',
        level: 'ORANGE',
        response: 'WARNING',
        reason: orange,
        episodes: [
          {
            response: 'WARNING',
            from: '2026-11-29',
            to: '2026-11-30',
            days: 2,
            peakAqi: 220,
            level: 'ORANGE',
            responds: true,
            reason: orange,
          },
        ],
        outlook: [],
      },
    ]);
    const detail = await duty.get(`/api/consultations/${res.body.id}`).expect(200);
    expect(detail.body.forecasts).toHaveLength(5);
    expect(detail.body.forecasts[0]).toEqual({
      countyCode: '141102',
      date: '2026-11-29',
      aqi: 120,
      primaryPollutant: 'PM2.5',
    });
    const audit = await t.dataSource
      .getRepository(AuditEntry)
      .findOneByOrFail({ action: 'consultation.recorded', subjectId: res.body.id });
    expect(audit.data).toMatchObject({ rulesetId: 'MEE-2024', forecasts: 5 });
  });

  it('applies a provincial dispatch order as a floor, also for counties without a forecast', async () => {
    const res = await duty
      .post('/api/consultations')
      .send(
        body({
          directive: {
            kind: 'DISPATCH_ORDER',
            number: '〔2026〕4号',
            level: 'ORANGE',
            countyCodes: ['141102', '141122'],
            from: '2026-11-29T00:00:00+08:00',
            to: '2026-12-03T00:00:00+08:00',
          },
        }),
      )
      .expect(201);
    const byCounty = Object.fromEntries(
      res.body.recommendations.map((r: { countyCode: string }) => [r.countyCode, r]),
    );
    expect(byCounty['141102']).toMatchObject({
      countyCode: '141102',
      level: 'ORANGE',
      response: 'WARNING',
      reason: expect.stringContaining('省级调度令〔2026〕4号要求不低于橙色 → 橙色'),
    });
    expect(byCounty['141122']).toMatchObject({
      level: 'ORANGE',
      reason: expect.stringContaining('无该区县预报'),
    });
    expect(byCounty['141181'].level).toBe('ORANGE');
  });

  it('judges episodes by primary pollutant: O3 gets the ozone response, dust health advice, neither a colour level', async () => {
    const withPollutant = (countyCode: string, pollutant: string, ...aqi: number[]) =>
      forecast(countyCode, 29, ...aqi).map((f) => ({ ...f, primaryPollutant: pollutant }));
    const res = await duty
      .post('/api/consultations')
      .send(
        body({
          forecasts: [
            ...withPollutant('141102', 'O3', 160, 160, 100),
            ...withPollutant('141181', 'DUST', 320, 330, 100),
          ],
        }),
      )
      .expect(201);
    const byCounty = Object.fromEntries(
      res.body.recommendations.map((r: { countyCode: string }) => [r.countyCode, r]),
    );
    expect(byCounty['141102']).toMatchObject({
      level: null,
      response: 'OZONE',
      reason:
        '11-29至11-30(首要污染物O₃):日AQI>150 连续2天:11-29、11-30 → 臭氧污染应对,不启动颜色预警(MEE-2024)',
    });
    expect(byCounty['141181']).toMatchObject({ level: null, response: 'ADVICE' });
  });

  it('splits a forecast into episodes: an earlier >300 day cannot make a later run RED; the trend is an outlook', async () => {
    // 11-29 310, three clean days, then 12-03..12-05 above 200; days 8-10 (12-06..12-08) are the trend, where
    // 12-08 is a new episode two clean days (48 h, not under the 36 h merge gap) after the detailed one.
    const res = await duty
      .post('/api/consultations')
      .send(body({ forecasts: forecast('141181', 29, 310, 80, 60, 50, 210, 220, 230, 100, 100, 210) }))
      .expect(201);
    const [rec] = res.body.recommendations;
    expect(rec.level).toBe('ORANGE');
    expect(rec.episodes.map((e: { from: string; level: string }) => [e.from, e.level])).toEqual([
      ['2026-11-29', 'YELLOW'],
      ['2026-12-03', 'ORANGE'],
    ]);
    expect(
      rec.outlook.map((e: { from: string; to: string; level: string }) => [e.from, e.to, e.level]),
    ).toEqual([['2026-12-08', '2026-12-08', 'YELLOW']]);
    const page = await duty.get(`/consultations/${res.body.id}`).expect(200);
    expect(page.text).toContain('预警提示(趋势预报)');
    // The list names each county with its recommended level.
    const list = await duty.get('/consultations').expect(200);
    expect(list.text).toMatch(
      /<span class="county-badge">孝义市 <span class="level level-ORANGE">橙色<\/span>\s*<\/span>/,
    );
    expect(page.text).toContain(
      '<td>孝义市</td><td><div>12-08(首要污染物PM2.5):日AQI&gt;200:12-08 → 黄色(MEE-2024)</div>',
    );
  });

  it('merges episodes whose gap is shorter than the merge gap (SHANXI-2020 [220,230,200,230,220] → ORANGE)', async () => {
    const res = await duty
      .post('/api/consultations')
      .send(body({ rulesetId: 'SHANXI-2020', forecasts: forecast('141181', 29, 220, 230, 200, 230, 220) }))
      .expect(201);
    expect(res.body.recommendations[0]).toMatchObject({
      level: 'ORANGE',
      episodes: [{ from: '2026-11-29', to: '2026-12-03', days: 4, level: 'ORANGE' }],
    });
  });

  it('raises the counties of a recorded directive binding during the forecast to its level', async () => {
    await duty
      .post('/api/directives')
      .send({
        number: '晋气防办调〔2026〕9号',
        issuer: '山西省大气污染防治工作领导小组办公室',
        kind: 'REGIONAL_WARNING',
        level: 'RED',
        countyCodes: ['141181'],
        startAt: '2026-11-30T00:00:00+08:00',
        endAt: '2026-12-02T00:00:00+08:00',
        receivedAt: '2026-11-28T08:00:00+08:00',
      })
      .expect(201);
    const res = await duty.post('/api/consultations').send(body()).expect(201);
    const byCounty = Object.fromEntries(
      res.body.recommendations.map((r: { countyCode: string }) => [r.countyCode, r]),
    );
    expect(byCounty['141181']).toMatchObject({
      level: 'RED',
      reason: expect.stringContaining('区域预警晋气防办调〔2026〕9号要求不低于红色 → 红色'),
    });
    expect(byCounty['141102'].level).toBeNull();
    // Lifted (as of its start, before the forecast's days), it no longer binds them.
    const [directive] = (await duty.get('/api/directives').expect(200)).body;
    await duty
      .post(`/api/directives/${directive.id}/lift`)
      .send({ liftedAt: '2026-11-28T10:00:00+08:00' })
      .expect(200);
    const after = await duty.post('/api/consultations').send(body()).expect(201);
    expect(
      after.body.recommendations.find((r: { countyCode: string }) => r.countyCode === '141181').level,
    ).toBe('ORANGE');
  });

  it('uses the ruleset asked for', async () => {
    const res = await duty
      .post('/api/consultations')
      .send(body({ rulesetId: 'MEE-2017' }))
      .expect(201);
    expect(
      res.body.recommendations.find((r: { countyCode: string }) => r.countyCode === '141181'),
    ).toMatchObject({ level: 'YELLOW' });
  });

  it.each([
    [{ forecasts: forecast('999999', 29, 100) }, 'forecasts[0].countyCode'],
    [{ forecasts: forecast('141102', 29, 501) }, 'forecasts[0].aqi'],
    [{ forecasts: [...forecast('141102', 29, 100), ...forecast('141102', 29, 100)] }, 'forecasts[1].date'],
    [{ forecasts: [...forecast('141102', 29, 100), ...forecast('141102', 31, 100)] }, 'forecasts[1].date'],
    [{ forecasts: forecast('141102', 28, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11) }, 'forecasts[10]'],
    [{ forecasts: forecast('141102', 27, 100) }, 'forecasts[0].date'],
    [
      { forecasts: [{ countyCode: '141102', date: '2026-11-29', aqi: 'high', primaryPollutant: 'PM2.5' }] },
      'forecasts[0].aqi',
    ],
    [{ rulesetId: 'NOPE' }, 'rulesetId'],
    [{ heldAt: '2026-11-29T10:00:00+08:00' }, 'heldAt'],
    [{ heldAt: 'yesterday' }, 'heldAt'],
    [
      {
        directive: {
          kind: 'DISPATCH_ORDER',
          number: '1',
          level: 'BLUE',
          countyCodes: ['141102'],
          from: '2026-11-29T00:00:00+08:00',
        },
      },
      'directive.level',
    ],
  ])('refuses %p with a 422 naming %s, writing nothing', async (over, field) => {
    const before = (await t.dataSource.query('SELECT count(*)::int AS n FROM consultation'))[0].n;
    const res = await duty.post('/api/consultations').send(body(over)).expect(422);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM consultation'))[0].n).toBe(before);
  });

  it('lets only duty officers record consultations', async () => {
    const commander = await t.signIn(['COMMANDER']);
    await commander.post('/api/consultations').send(body()).expect(403);
    await t.http().post('/api/consultations').send(body()).expect(401);
    expect((await commander.get('/api/consultations').expect(200)).body.length).toBeGreaterThan(0);
  });
});
