import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { RulesetsService } from '../../src/rulesets/rulesets.service';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

describe('ruleset versions (ADMIN), audited with every changed value', () => {
  let t: TestApp;
  let admin: Agent;
  const version = {
    id: 'LVLIANG-2026',
    name: '吕梁市2026-2027年秋冬季重污染天气应急预案',
    source: '吕梁市重污染天气应急预案(2026年修订)',
    basedOn: 'MEE-2024',
    effectiveFrom: '2026-12-01',
    reductionRatios: { ORANGE: 0.25 },
    deadlines: { reportWithinHours: 4 },
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN']);
  });
  afterAll(() => t.close());

  it('lets only administrators add a version', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    await duty.post('/api/rulesets').send(version).expect(403);
    await t.http().post('/api/rulesets').send(version).expect(401);
  });

  it('derives a new version from its base, in effect from its date, and logs what changed', async () => {
    const res = await admin.post('/api/rulesets').send(version).expect(201);
    const base = (await admin.get('/api/rulesets/MEE-2024').expect(200)).body;
    expect(res.body).toMatchObject({ id: 'LVLIANG-2026', levels: base.levels, effectiveFrom: '2026-12-01' });
    expect(res.body.definition.levelRules).toEqual(base.definition.levelRules);
    expect(res.body.definition.reductionRatios).toEqual({ ...base.definition.reductionRatios, ORANGE: 0.25 });
    expect(res.body.definition.deadlines.reportWithinHours).toBe(4);
    expect(base.definition.reductionRatios.ORANGE).toBe(0.2); // the base is not edited

    const rulesets = t.app.get(RulesetsService);
    expect((await rulesets.inEffectOn('2026-11-30')).id).toBe('MEE-2024');
    expect((await rulesets.inEffectOn('2026-12-02')).id).toBe('LVLIANG-2026');

    const [entry] = await t.dataSource.getRepository(AuditEntry).findBy({ action: 'ruleset.created' });
    expect(entry).toMatchObject({
      subjectId: 'LVLIANG-2026',
      data: {
        basedOn: 'MEE-2024',
        changes: { 'reductionRatios.ORANGE': [0.2, 0.25], 'deadlines.reportWithinHours': [2, 4] },
      },
    });
  });

  it('refuses a taken id with 409 and bad values with 422 naming each field, writing nothing', async () => {
    const count = () => t.dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM ruleset');
    const before = await count();
    const taken = await admin.post('/api/rulesets').send(version).expect(409);
    expect(taken.body.error.code).toBe('RULESET_ID_TAKEN');
    const bad = await admin
      .post('/api/rulesets')
      .send({ ...version, id: 'x', basedOn: 'NOPE', effectiveTo: '2026-01-01' })
      .expect(422);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'basedOn',
      'effectiveTo',
      'id',
    ]);
    const ratios = await admin
      .post('/api/rulesets')
      .send({ ...version, id: 'LVLIANG-2027', reductionRatios: { BLUE: 0.1, RED: 2 } })
      .expect(422);
    expect(ratios.body.error.fields.map((f: { field: string }) => f.field)).toEqual([
      'reductionRatios.BLUE',
      'reductionRatios.RED',
    ]);
    expect(await count()).toEqual(before);
  });

  it('sets every knob of a version: per-pollutant ratios, approval hours, episodes, responses, detailed days', async () => {
    const res = await admin
      .post('/api/rulesets')
      .send({
        ...version,
        id: 'LVLIANG-2026-B',
        reductionRatios: { YELLOW: { pm: 0.25 }, RED: 0.35 },
        leadTimeHours: 48,
        approval: { draftToApprovalHours: 3, approvalToReleaseHours: 1 },
        episodes: { mergeGapHours: 24, pollutedDay: { comparison: 'gte', aqi: 160 } },
        responses: { warningPollutants: ['PM2.5', 'PM10'], ozonePollutants: ['O3', 'NO2'] },
        detailedDays: 5,
      })
      .expect(201);
    expect(res.body.definition).toMatchObject({
      reductionRatios: { YELLOW: { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 }, ORANGE: 0.2, RED: 0.35 },
      leadTimeHours: 48,
      approval: { draftToApprovalHours: 3, approvalToReleaseHours: 1 },
      episodes: { mergeGapHours: 24, pollutedDay: { comparison: 'gte', aqi: 160 } },
      responses: { warningPollutants: ['PM2.5', 'PM10'], ozonePollutants: ['O3', 'NO2'] },
      detailedDays: 5,
    });
    expect((await admin.get('/api/rulesets/LVLIANG-2026-B').expect(200)).body.definition).toEqual(
      res.body.definition,
    );
    const [entry] = await t.dataSource
      .getRepository(AuditEntry)
      .findBy({ action: 'ruleset.created', subjectId: 'LVLIANG-2026-B' });
    expect(entry.data.changes).toEqual({
      'reductionRatios.YELLOW': [0.1, { so2: 0.1, nox: 0.1, pm: 0.25, vocs: 0.1 }],
      'reductionRatios.RED': [0.3, 0.35],
      leadTimeHours: [24, 48],
      detailedDays: [7, 5],
      'deadlines.reportWithinHours': [2, 4],
      'approval.draftToApprovalHours': [2, 3],
      'approval.approvalToReleaseHours': [2, 1],
      'episodes.mergeGapHours': [36, 24],
      'episodes.pollutedDay': [
        { comparison: 'gt', aqi: 150 },
        { comparison: 'gte', aqi: 160 },
      ],
      'responses.warningPollutants': [
        ['PM2.5', 'PM10', 'NO2', 'SO2', 'CO'],
        ['PM2.5', 'PM10'],
      ],
      'responses.ozonePollutants': [['O3'], ['O3', 'NO2']],
    });
  });

  it('names every bad knob at once in Chinese, writing nothing', async () => {
    const res = await admin
      .post('/api/rulesets')
      .send({
        ...version,
        id: 'LVLIANG-2026-C',
        reductionRatios: { YELLOW: { pm: 0.25, co: 0.1 }, ORANGE: { nox: 0 } },
        approval: { draftToApprovalHours: 0 },
        episodes: { mergeGapHours: 241, pollutedDay: { comparison: 'lt' } },
        responses: { ozonePollutants: ['O3', 'PM2.5'] },
        detailedDays: 11,
      })
      .expect(422);
    expect(res.body.error.fields).toEqual([
      { field: 'reductionRatios.YELLOW.co', message: '未知污染物 co(可选:so2、nox、pm、vocs)' },
      { field: 'reductionRatios.ORANGE.nox', message: '减排比例应大于0且不超过1(如 0.2 表示 20%)' },
      { field: 'detailedDays', message: '应为 1-10 之间的整数天' },
      { field: 'approval.draftToApprovalHours', message: '应为 1-72 之间的整数小时' },
      { field: 'episodes.mergeGapHours', message: '应为 0-240 之间的整数小时' },
      { field: 'episodes.pollutedDay.comparison', message: '应为 gt(AQI 大于)或 gte(AQI 大于等于)' },
      { field: 'responses.ozonePollutants', message: 'PM2.5 不能同时计入颜色预警和臭氧污染应对' },
    ]);
    await admin.get('/api/rulesets/LVLIANG-2026-C').expect(404);
  });
});
