import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * The top contributors' cut and order, and what counts at hour 0 (the statements rewritten for 100,000 enterprises):
 * 12 enterprises in 离石 against a city inventory of 1000/1000/1000/1000. One takes 100 at RED plus 5 from a measure
 * starting at hour 0 (counted) and 50 from one starting at hour 2 (not); the other 11 take 20 each, a tie broken by
 * credit code, of which the first 9 are listed (10 in all).
 */
describe('adequacy: top contributors and measures in force at hour 0', () => {
  let t: TestApp;
  let duty: Agent;
  let bigId: string;
  const tied: Array<{ id: string; creditCode: string }> = [];

  beforeAll(async () => {
    t = await createTestApp();
    const admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
    await admin.put('/api/inventory/141100').send({ so2: 1000, nox: 1000, pm: 1000, vocs: 1000 }).expect(200);
    const r = (v: number) => ({ so2: v, nox: v, pm: v, vocs: v });
    const create = async (name: string) =>
      (
        await admin
          .post('/api/enterprises')
          .send(enterpriseInput({ name, countyCode: '141102', baseline: r(500) }))
          .expect(201)
      ).body as { id: string; creditCode: string };
    const big = await create('大户焦化有限公司');
    bigId = big.id;
    await admin
      .put(`/api/enterprises/${bigId}/plan`)
      .send({
        measures: [
          measure({ level: 'RED', reduction: r(100) }),
          measure({
            level: 'RED',
            action: 'OTHER',
            params: {},
            description: '第0小时起',
            fromHour: 0,
            reduction: r(5),
          }),
          measure({
            level: 'RED',
            action: 'TRUCK_BAN_CN4',
            params: {},
            description: '2小时后',
            fromHour: 2,
            reduction: r(50),
          }),
        ],
      })
      .expect(200);
    for (let i = 0; i < 11; i++) {
      const e = await create(`并列${String(i).padStart(2, '0')}有限公司`);
      await admin
        .put(`/api/enterprises/${e.id}/plan`)
        .send({ measures: [measure({ level: 'RED', reduction: r(20) })] })
        .expect(200);
      tied.push(e);
    }
  });
  afterAll(() => t.close());

  it('lists ten: the largest first, then the tie in credit-code order', async () => {
    const { body } = await duty.get('/api/reduction-list/adequacy').expect(200);
    const red = body.topContributors.RED as Array<{ enterpriseId: string; reduction: { so2: number } }>;
    const byCode = [...tied].sort((a, b) => (a.creditCode < b.creditCode ? -1 : 1)).slice(0, 9);
    expect(red.map((c) => c.enterpriseId)).toEqual([bigId, ...byCode.map((e) => e.id)]);
    expect(red[0]).toMatchObject({
      reduction: { so2: 105, nox: 105, pm: 105, vocs: 105 },
      share: { so2: 0.105 },
    });
    expect(red[1].reduction.so2).toBe(20);
  });

  it('counts a measure from hour 0 and leaves out one from hour 2 in the totals', async () => {
    const { body } = await duty.get('/api/reduction-list/adequacy').expect(200);
    const red = body.city.levels.find((l: { level: string }) => l.level === 'RED');
    // 105 + 11 × 20
    expect(red.pollutants.so2).toMatchObject({ baseline: 1000, reduction: 325, ratio: 0.325 });
  });
});
