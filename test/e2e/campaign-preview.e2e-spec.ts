import type { EnterpriseInput } from '../../src/enterprises/enterprise.types';
import { enterpriseInput } from '../factories/enterprise.factory';
import { createTestApp, type TestApp } from '../support/test-app';

const ZHONGYANG = '141129';
const XIAOYI = '141181'; // one of the 平川四县
const SHILOU = '141126';

interface Listed {
  name: string;
  treatment: string;
  effectiveGrade: string;
  measures: string[];
  reasons: string[];
}

/**
 * Issue 18, campaign rules through the API: the autumn-winter staggered production by grade × industry × tag × place
 * and the summer ozone scope, for the enterprises of the chosen counties, with each one's reasons; nothing written.
 */
describe('campaign preview: what the seasonal controls give each enterprise', () => {
  let t: TestApp;
  type Agent = Awaited<ReturnType<TestApp['signIn']>>;
  let duty: Agent;

  beforeAll(async () => {
    t = await createTestApp({ env: { SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-12-01T10:00:00+08:00');
    const admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
    const add = (over: Partial<EnterpriseInput>) =>
      admin.post('/api/enterprises').send(enterpriseInput(over)).expect(201);
    await add({ name: '中阳D级焦化', countyCode: ZHONGYANG, grade: 'D' });
    await add({ name: '中阳C级水泥', countyCode: ZHONGYANG, grade: 'C', industry: 'CEMENT' });
    await add({ name: '中阳C级铁合金', countyCode: ZHONGYANG, grade: 'C', industry: 'FERROALLOY' });
    await add({ name: '孝义C级铁合金', countyCode: XIAOYI, grade: 'C', industry: 'FERROALLOY' });
    await add({ name: '中阳B级铁合金', countyCode: ZHONGYANG, grade: 'B', industry: 'FERROALLOY' });
    await add({
      name: '中阳B级建成区铁合金',
      countyCode: ZHONGYANG,
      grade: 'B',
      industry: 'FERROALLOY',
      controlTags: ['BUILT_UP_AREA'],
    });
    await add({
      name: '中阳A级湿熄焦焦化',
      countyCode: ZHONGYANG,
      grade: 'A',
      controlTags: ['NO_DRY_QUENCHING'],
    });
    await add({
      name: '中阳保障类热电',
      countyCode: ZHONGYANG,
      grade: 'D',
      industry: 'OTHER',
      protected: true,
      protectedReason: '城市集中供热',
      protectedMaxLoad: 80,
    });
    await add({ name: '中阳工业涂装', countyCode: ZHONGYANG, grade: 'B', industry: 'INDUSTRIAL_COATING' });
    await add({
      name: '中阳高VOCs铸造',
      countyCode: ZHONGYANG,
      grade: 'B',
      industry: 'CASTING',
      baseline: { so2: 10, nox: 10, pm: 10, vocs: 150 },
    });
    await add({ name: '石楼C级铁合金', countyCode: SHILOU, grade: 'C', industry: 'FERROALLOY' });
  });
  afterAll(() => t.close());

  const preview = async (query: string, agent = duty) =>
    (await agent.get(`/api/campaigns/preview?${query}`).expect(200)).body as {
      inSeason: boolean;
      total: number;
      escalated: number;
      byTreatment: Array<{ treatment: string; n: number }>;
      byCounty: Array<{ countyCode: string; counts: Record<string, number> }>;
      enterprises: Listed[];
      season: { from: string; to: string };
      window: { from: string; to: string } | null;
    };

  it('stops D, staggers C by its industry, exempts B, A and A+, and holds the 平川四县 one grade lower', async () => {
    const body = await preview(`kind=AUTUMN_WINTER&counties=${ZHONGYANG},${XIAOYI}`);
    expect(body).toMatchObject({
      inSeason: true,
      season: { from: '11-01', to: '03-31' },
      window: null,
      total: 10,
    });
    const by = Object.fromEntries(
      body.enterprises.map((e) => [e.name, [e.treatment, e.effectiveGrade, e.measures]]),
    );
    expect(by).toEqual({
      中阳D级焦化: ['STOP', 'D', ['停产']],
      中阳C级水泥: ['STAGGER', 'C', ['水泥熟料生产线错峰停产']],
      中阳C级铁合金: ['STAGGER', 'C', ['错峰期间限产30%']],
      // Equal to the one above but in 孝义市: one grade lower, so it stops.
      孝义C级铁合金: ['STOP', 'D', ['停产']],
      // Equal to the exempt B but in a built-up area: treated as B-, so it staggers.
      中阳B级建成区铁合金: ['STAGGER', 'B_MINUS', ['错峰期间限产30%']],
      // A is exempt of the stagger, but the wet-quenching tag adds its measure.
      中阳A级湿熄焦焦化: ['EXEMPT', 'A', ['湿熄焦炉组停产30%炭化室']],
      中阳保障类热电: ['APPROVED_LOAD', 'D', ['按核定最大负荷80%组织生产']],
    });
    const xiaoyi = body.enterprises.find((e) => e.name === '孝义C级铁合金')!;
    expect(xiaoyi.reasons).toEqual([
      '绩效等级C级',
      '位于平川四县(太原及周边“1+30”联防联控区),按低一级(D级)管控',
      '停产:停产',
    ]);
    expect(Object.fromEntries(body.byTreatment.map((b) => [b.treatment, b.n]))).toEqual({
      STOP: 2,
      STAGGER: 3,
      APPROVED_LOAD: 1,
      EXEMPT: 4,
    });
    expect(body.byCounty.find((c) => c.countyCode === XIAOYI)!.counts).toEqual({
      STOP: 1,
      STAGGER: 0,
      APPROVED_LOAD: 0,
      EXEMPT: 0,
    });
    expect(body.escalated).toBe(3);
    // Nothing is written by a preview.
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM reduction_order',
    );
    expect(n).toBe(0);
  });

  it('puts the VOC-emitting enterprises in the ozone response’s scope, with its window', async () => {
    const body = await preview(`kind=SUMMER_OZONE&counties=${ZHONGYANG}&date=2027-07-15`);
    expect(body).toMatchObject({ inSeason: true, window: { from: '10:00', to: '16:00' } });
    expect(body.enterprises.map((e) => [e.name, e.reasons[0]])).toEqual(
      expect.arrayContaining([
        ['中阳工业涂装', '涉VOCs排放行业'],
        ['中阳高VOCs铸造', 'VOCs排放量150千克/日'],
        // Coking emits VOCs too.
        ['中阳D级焦化', '涉VOCs排放行业'],
      ]),
    );
    expect(body.enterprises.some((e) => e.name === '中阳C级水泥')).toBe(false);
    expect((await preview(`kind=SUMMER_OZONE&date=2026-12-01`)).inSeason).toBe(false);
  });

  it('shows a county officer only their counties, and names a bad kind or county', async () => {
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou-campaign', [SHILOU]);
    const mine = await preview('kind=AUTUMN_WINTER', officer);
    expect(mine.enterprises.map((e) => e.name)).toEqual(['石楼C级铁合金']);
    expect((await preview(`kind=AUTUMN_WINTER&counties=${XIAOYI}`, officer)).total).toBe(0);
    const kind = await duty.get('/api/campaigns/preview?kind=WINTER').expect(422);
    expect(kind.body.error.fields[0].field).toBe('kind');
    const county = await duty.get('/api/campaigns/preview?kind=AUTUMN_WINTER&counties=999999').expect(422);
    expect(county.body.error.fields).toEqual([{ field: 'counties', message: '未知区县代码 999999' }]);
  });

  it('lists the ozone-response days a consultation gives, with their counties, in season', async () => {
    t.clock.set('2027-06-29T09:30:00+08:00');
    // Months later: a fresh session (the earlier ones have expired).
    const officerOnDuty = await t.signIn(['DUTY_OFFICER']);
    const day = (countyCode: string, date: string, aqi: number, primaryPollutant: string) => ({
      countyCode,
      date,
      aqi,
      primaryPollutant,
    });
    const { body: consultation } = await officerOnDuty
      .post('/api/consultations')
      .send({
        heldAt: '2027-06-29T09:30:00+08:00',
        participants: ['市生态环境局', '市气象局'],
        opinion: '高温少雨,臭氧浓度上升',
        forecasts: [
          day(XIAOYI, '2027-06-29', 160, 'O3'),
          day(XIAOYI, '2027-06-30', 165, 'O3'),
          day(XIAOYI, '2027-07-01', 90, 'O3'),
          day(ZHONGYANG, '2027-06-29', 155, 'O3'),
          day(ZHONGYANG, '2027-06-30', 158, 'O3'),
          day(SHILOU, '2027-06-29', 80, 'PM2.5'),
        ],
      })
      .expect(201);
    const { body } = await officerOnDuty.get('/api/campaigns/ozone-days').expect(200);
    expect(body).toMatchObject({
      consultationId: consultation.id,
      season: { from: '05-01', to: '09-30' },
      window: { from: '10:00', to: '16:00' },
    });
    expect(body.days).toEqual([
      {
        date: '2027-06-29',
        inSeason: true,
        counties: [
          { code: ZHONGYANG, name: '中阳县' },
          { code: XIAOYI, name: '孝义市' },
        ],
      },
      {
        date: '2027-06-30',
        inSeason: true,
        counties: [
          { code: ZHONGYANG, name: '中阳县' },
          { code: XIAOYI, name: '孝义市' },
        ],
      },
    ]);
    const named = await officerOnDuty
      .get(`/api/campaigns/ozone-days?consultation=${consultation.id}`)
      .expect(200);
    expect(named.body.days).toHaveLength(2);
    // 石楼县 has no ozone day: its officer sees none of the others'.
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou-ozone', [SHILOU]);
    expect((await officer.get('/api/campaigns/ozone-days').expect(200)).body.days).toEqual([]);
    await officerOnDuty.get('/api/campaigns/ozone-days?consultation=not-a-uuid').expect(404);
  });
});
