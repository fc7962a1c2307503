import { randomUUID } from 'node:crypto';
import { discoverRoutes } from '../support/routes';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** English that class-validator writes; none of it may reach a person. */
const ENGLISH =
  /\b(must|should|be|an|the|of|than|characters|elements|exist|property|value|number|string|object)\b/i;
const CJK = /[\u3400-\u9fff]/;

/**
 * Issue 16, "Validation messages": every refusal names the field by its Chinese label in Chinese. Checked on the
 * review's own examples and on every unsafe JSON route of the API with a body of wrong types and an unknown field.
 */
describe('validation messages are Chinese, with the field label', () => {
  let t: TestApp;
  let all: Agent;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-28T10:00:00+08:00');
    all = await t.signIn(['DUTY_OFFICER', 'COMMANDER', 'ADMIN']);
  });
  afterAll(() => t.close());

  it('says the review’s examples in Chinese', async () => {
    const res = await all
      .post('/api/consultations')
      .send({
        heldAt: '2026-11-28T09:00:00+08:00',
        participants: ['市气象局'],
        opinion: '',
        forecasts: [{ countyCode: '141181', date: '2026-11-29', aqi: 'high', primaryPollutant: 'PM2.5' }],
      })
      .expect(422);
    expect(res.body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'forecasts[0].aqi', message: '第1条预报的AQI应为整数' },
        { field: 'opinion', message: '会商意见长度不能少于1个字符' },
      ]),
    );
    const [enterprise] = (await all.get('/api/enterprises?pageSize=1').expect(200)).body.items as Array<{
      id: string;
    }>;
    const plan = await all
      .put(`/api/enterprises/${enterprise?.id ?? randomUUID()}/plan`)
      .send({ measures: [{ level: 'YELLOW', line: null, action: 'STOP', params: 'x', description: '停产' }] })
      .expect(422);
    expect(plan.body.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'measures[0].params', message: expect.stringMatching(CJK) }),
      ]),
    );
  });

  it('answers every unsafe JSON route with Chinese messages only', async () => {
    const routes = discoverRoutes(t.app).filter(
      (r) =>
        r.path.startsWith('/api/') &&
        ['POST', 'PUT', 'PATCH'].includes(r.method) &&
        !r.path.endsWith('/import'),
    );
    expect(routes.length).toBeGreaterThan(15);
    const seen: string[] = [];
    for (const r of routes) {
      const path = r.path.replace(/:\w+/g, randomUUID());
      const res = await all[r.method.toLowerCase() as 'post' | 'put' | 'patch'](path).send({
        bogusField: 1,
        level: 7,
        reason: 42,
        countyCodes: 'x',
        effectiveAt: true,
        forecasts: 'none',
        measures: 3,
        note: [],
      });
      for (const f of (res.body?.error?.fields ?? []) as Array<{ field: string; message: string }>) {
        seen.push(`${r.method} ${r.path} ${f.field}: ${f.message}`);
        expect(`${r.method} ${r.path} ${f.field}: ${f.message}`).toMatch(CJK);
        expect(`${f.message}`).not.toMatch(ENGLISH);
      }
    }
    // The sweep met real validation failures, not only 404s.
    expect(seen.length).toBeGreaterThan(20);
  });
});
