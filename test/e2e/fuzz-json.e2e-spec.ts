import fc from 'fast-check';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/** Any JSON value, including the awkward ones: deep nesting, huge strings, odd unicode, injection-looking text. */
const nasty = fc.oneof(
  fc.constantFrom(
    "'; DROP TABLE enterprise; --",
    '<script>alert(1)</script>',
    '=HYPERLINK("x")',
    '\u0000',
    '\uD800',
    '𠀀'.repeat(50),
    'x'.repeat(100_000),
    '-1',
    'NaN',
    '1e309',
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/**
 * Property: whatever body a signed-in user sends to the JSON endpoints, the answer is a structured 4xx or a
 * success, never a 5xx, and a refused request writes nothing.
 */
describe('fuzzing the JSON endpoints', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  let enterpriseId: string;
  let userId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER', 'COMMANDER']);
    enterpriseId = (await admin.post('/api/enterprises').send(enterpriseInput()).expect(201)).body.id;
    userId = (
      await admin
        .post('/api/users')
        .send({ username: 'fuzz.target', password: 'long-enough-password', roles: ['AUDITOR'] })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  const counts = async () =>
    (
      await t.dataSource.query(
        `SELECT (SELECT count(*) FROM enterprise)::int AS e, (SELECT count(*) FROM consultation)::int AS c,
                (SELECT count(*) FROM alert)::int AS a, (SELECT count(*) FROM plan_version)::int AS p`,
      )
    )[0];

  const targets: Array<[string, (body: unknown) => ReturnType<Agent['post']>]> = [
    [
      'POST /api/auth/login',
      (b) =>
        t
          .http()
          .post('/api/auth/login')
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'POST /api/enterprises',
      (b) =>
        admin
          .post('/api/enterprises')
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'PUT /api/enterprises/:id/plan',
      (b) =>
        admin
          .put(`/api/enterprises/${enterpriseId}/plan`)
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'POST /api/consultations',
      (b) =>
        duty
          .post('/api/consultations')
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'POST /api/alerts',
      (b) =>
        duty
          .post('/api/alerts')
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'PATCH /api/enterprises/:id',
      (b) =>
        admin
          .patch(`/api/enterprises/${enterpriseId}`)
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'PATCH /api/users/:id',
      (b) =>
        admin
          .patch(`/api/users/${userId}`)
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
    [
      'PUT /api/inventory/141102',
      (b) =>
        admin
          .put('/api/inventory/141102')
          .set('content-type', 'application/json')
          .send(JSON.stringify(b) ?? 'null'),
    ],
  ];

  it.each(targets)('%s never answers 5xx and never half-writes', async (_name, send) => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (body) => {
        const before = await counts();
        const res = await send(body);
        const after = await counts();
        const refused = res.status >= 400;
        const answer = res.body as { error?: { code?: unknown; message?: unknown } } | null;
        // A refusal is structured and leaves every table as it was.
        const structured =
          !refused || (typeof answer?.error?.code === 'string' && typeof answer?.error?.message === 'string');
        const untouched = !refused || JSON.stringify(after) === JSON.stringify(before);
        expect({ status: res.status < 500, structured, untouched }).toEqual({
          status: true,
          structured: true,
          untouched: true,
        });
      }),
      { numRuns: 40, seed: 20261128 },
    );
  });

  it('never answers 5xx to odd query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'q',
            'page',
            'pageSize',
            'grade',
            'countyCode',
            'protected',
            'archived',
            'status',
            'limit',
            'after',
            'from',
          ),
          fc.string(),
        ),
        async (query) => {
          for (const path of [
            '/api/enterprises',
            '/api/alerts',
            '/api/reduction-list/adequacy',
            '/api/consultations',
            '/api/outbox',
          ]) {
            const res = await admin.get(path).query(query);
            expect(res.status).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 30, seed: 7 },
    );
  });

  /** A valid body with one field (at any depth) replaced by a nasty value (or by `values`). */
  const mutated = (valid: Record<string, unknown>, values: fc.Arbitrary<unknown> = nasty) =>
    fc.tuple(fc.nat(), values).map(([pick, value]) => {
      const copy = structuredClone(valid);
      const paths: Array<[Record<string, unknown> | unknown[], string | number]> = [];
      const walk = (node: unknown) => {
        if (node && typeof node === 'object') {
          for (const key of Object.keys(node)) {
            paths.push([node as Record<string, unknown>, key]);
            walk((node as Record<string, unknown>)[key]);
          }
        }
      };
      walk(copy);
      const [parent, key] = paths[pick % paths.length];
      (parent as Record<string | number, unknown>)[key] = value;
      return copy;
    });

  const SPOILABLE = [
    [
      'POST /api/enterprises',
      () => enterpriseInput() as unknown as Record<string, unknown>,
      (b: unknown) => admin.post('/api/enterprises').send(b as object),
    ],
    [
      // Every field at once, so the spoiled one (null among the nasty values) can be any of them.
      'PATCH /api/enterprises/:id',
      () => ({ ...(enterpriseInput() as unknown as Record<string, unknown>), archived: false }),
      (b: unknown) => admin.patch(`/api/enterprises/${enterpriseId}`).send(b as object),
    ],
    [
      'PATCH /api/users/:id',
      () => ({ displayName: '模糊测试', roles: ['AUDITOR'], active: true }),
      (b: unknown) => admin.patch(`/api/users/${userId}`).send(b as object),
    ],
    [
      'PUT plan',
      () => ({ measures: [measure(), measure({ level: 'RED' })] }),
      (b: unknown) => admin.put(`/api/enterprises/${enterpriseId}/plan`).send(b as object),
    ],
    [
      'POST /api/consultations',
      () => ({
        heldAt: new Date().toISOString(),
        participants: ['局'],
        opinion: '意见',
        forecasts: [
          {
            countyCode: '141102',
            date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
            aqi: 210,
            primaryPollutant: 'PM2.5',
          },
        ],
      }),
      (b: unknown) => duty.post('/api/consultations').send(b as object),
    ],
  ] as const;

  it.each(SPOILABLE)(
    '%s: a valid body with one field spoiled gets a 4xx or success, never a 5xx',
    async (_name, valid, send) => {
      await fc.assert(
        fc.asyncProperty(mutated(valid()), async (body) => {
          const res = await send(body);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 60, seed: 42 },
      );
    },
  );

  // Null is what a client sends to "clear" a field: refused by name, or clearing, never a 5xx.
  it.each(SPOILABLE)(
    '%s: a valid body with one field (at any depth) null gets a 4xx or success, never a 5xx',
    async (_name, valid, send) => {
      await fc.assert(
        fc.asyncProperty(mutated(valid(), fc.constant(null)), async (body) => {
          const res = await send(body);
          expect(res.status).toBeLessThan(500);
        }),
        { numRuns: 40, seed: 12 },
      );
    },
  );
});
