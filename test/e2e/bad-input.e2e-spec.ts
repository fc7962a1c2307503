import iconv from 'iconv-lite';
import { randomBytes } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import request from 'supertest';
import type { EnterpriseInput, MeasureInput } from '../../src/enterprises/enterprise.types';
import { COLUMNS, headerOf, RawRow, toRows } from '../../src/enterprises/reduction-list.layout';
import { toBuffer } from '../../src/enterprises/spreadsheet.io';
import { NULL_MESSAGE } from '../../src/common/http/validation.pipe';
import { APP_CONFIG, type AppConfig } from '../../src/config/app-config';
import { csrfTokenFor } from '../../src/console/csrf';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { formToken } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * A hand-written corpus of bad input against the JSON endpoints and the reduction-list import. Every refusal
 * is a structured 4xx (`{error:{code,message}}`) that leaves every table as it was; payloads that are valid
 * data however odd (markup, SQL, formulas, emoji, bidi controls) are stored and come back verbatim.
 */

const MB = 1024 * 1024;
const huge = 'x'.repeat(MB);
const deepArrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObjects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
/** JSON text with `value` (raw JSON) spliced in at `key` of an object. */
const withRaw = (body: object, key: string, value: string) =>
  JSON.stringify({ ...body, [key]: '@@RAW@@' }).replace('"@@RAW@@"', value);

// Odd but legitimate text: stored and returned exactly.
const LEGIT_TEXT: Array<[string, string]> = [
  ['SQL', "'; DROP TABLE enterprise;--"],
  ['SQL 2', "x' OR '1'='1"],
  ['HTML', '<script>alert(1)</script><img src=x onerror=alert(2)>'],
  ['formula', '=HYPERLINK("http://evil.example","点此")'],
  ['formula 2', "+cmd|' /C calc'!A0"],
  ['formula 3', '@SUM(1+1)*cmd|"/C calc"!A0'],
  ['RTL override', '公司\u202Egnp.exe\u202C'],
  ['zero-width', '焦化\u200B\u200C\u200D\u2060\uFEFF有限公司'],
  ['emoji', '🏭焦化👩‍👩‍👧‍👦🇨🇳'],
  ['4-byte CJK', '𠀀𪚥𰻞𰻞面有限公司'],
  ['combining', 'Cafe\u0301 e\u0308\u0323'],
  ['percent and underscore', '100%_焦化\\有限公司'],
];
// Text PostgreSQL cannot store (NUL) or UTF-8 cannot encode (lone surrogates): refused, never mangled.
const UNSTORABLE: Array<[string, string]> = [
  ['NUL', '焦化\u0000有限公司'],
  ['lone high surrogate', '焦化\uD800有限公司'],
  ['lone low surrogate', '\uDC00焦化'],
  ['reversed pair', '\uDE00\uD83D'],
];

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('bad input corpus', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  let commander: Agent;
  let enterpriseId: string;
  // Uploads carry X-Requested-With (a plain HTML form cannot), so the import itself sees the bad input.
  const importRequest = () => admin.post('/api/enterprises/import').set('X-Requested-With', 'XMLHttpRequest');

  beforeAll(async () => {
    t = await createTestApp({ env: { IMPORT_MAX_MB: '1', IMPORT_MAX_ROWS: '1000' } });
    admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
    commander = await t.signIn(['COMMANDER']);
    enterpriseId = (await admin.post('/api/enterprises').send(enterpriseInput()).expect(201)).body.id;
    await admin
      .put(`/api/enterprises/${enterpriseId}/plan`)
      .send({ measures: [measure()] })
      .expect(200);
  });
  afterAll(() => t.close());

  const TABLES = [
    'enterprise',
    'plan_version',
    'plan_measure',
    'enterprise_import',
    'emission_inventory',
    'consultation',
    'consultation_forecast',
    'alert',
    'alert_revision',
    'alert_change',
    'reduction_order',
    'outbox_message',
    'app_user',
    'user_session',
    'login_failure',
    'audit_entry',
  ] as const;
  type Table = (typeof TABLES)[number];

  /** Row count of every table, and a digest of the rows of those an update could change in place. */
  async function snapshot(): Promise<Record<string, string | number>> {
    const [row] = await t.dataSource.query(
      `SELECT ${TABLES.map((name) => `(SELECT count(*) FROM ${name})::int AS ${name}`).join(', ')},
              (SELECT md5(coalesce(string_agg(e::text, '|' ORDER BY e.id), '')) FROM enterprise e) AS enterprise_rows,
              (SELECT md5(coalesce(string_agg(i::text, '|' ORDER BY i.area_code), '')) FROM emission_inventory i) AS inventory_rows`,
    );
    return row;
  }

  interface Verdict {
    status: number | '4xx';
    error: unknown;
    changed: Record<string, [unknown, unknown]>;
  }
  /** What a refusal looks like: a 4xx, a coded error body, no table changed. */
  const REFUSED: Verdict = { status: '4xx', error: 'coded', changed: {} };
  let last: request.Response;

  /**
   * Sends a request and sums up its answer and its effect: the status (any 4xx as '4xx'), 'coded' for an
   * `{error:{code,message}}` body, and every table count or digest that changed (except `allowed`, e.g. the
   * audit of a failed login, which is the point of a login). The response is kept in `last`.
   */
  async function refusal(send: () => request.Test, allowed: Table[] = []): Promise<Verdict> {
    const before = await snapshot();
    last = await send();
    const after = await snapshot();
    const error = (last.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    return {
      status: last.status >= 400 && last.status < 500 ? '4xx' : last.status,
      error: typeof error?.code === 'string' && typeof error?.message === 'string' ? 'coded' : last.body,
      changed: Object.fromEntries(
        Object.keys(after)
          .filter((k) => !(allowed as string[]).includes(k) && after[k] !== before[k])
          .map((k) => [k, [before[k], after[k]]]),
      ),
    };
  }

  /** refusal() must be REFUSED (with this exact status when given); returns the response. */
  async function expectRefused(
    send: () => request.Test,
    opts: { status?: number; allowed?: Table[] } = {},
  ): Promise<request.Response> {
    const verdict = await refusal(send, opts.allowed);
    expect({ ...verdict, status: opts.status ? last.status : verdict.status }).toEqual({
      ...REFUSED,
      status: opts.status ?? '4xx',
    });
    return last;
  }

  const json = (agent: Agent, method: 'post' | 'put' | 'patch', url: string) => (body: string) =>
    agent[method](url).set('content-type', 'application/json').send(body);

  const validConsultation = () => ({
    heldAt: new Date().toISOString(),
    participants: ['市生态环境局'],
    opinion: '会商意见',
    forecasts: [
      {
        countyCode: '141102',
        date: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
        aqi: 180,
        primaryPollutant: 'PM2.5',
      },
    ],
  });
  const validAlert = () => ({
    level: 'YELLOW',
    countyCodes: ['141102'],
    effectiveAt: new Date(Date.now() + 6 * 3600_000).toISOString(),
    reason: '试验',
  });
  const validPlan = () => ({ measures: [measure()] });
  const validInventory = () => ({ so2: 1000, nox: 2000, pm: 500, vocs: 400 });
  const validLogin = () => ({ username: 'nobody', password: 'wrong-password' });

  /** Each JSON endpoint with a valid body and how to send raw JSON text to it. */
  const ENDPOINTS: Array<[string, () => object, (body: string) => request.Test]> = [
    ['POST /api/consultations', validConsultation, (b) => json(duty, 'post', '/api/consultations')(b)],
    [
      'POST /api/consultations/recommendation',
      () => ({ forecasts: validConsultation().forecasts }),
      (b) => json(duty, 'post', '/api/consultations/recommendation')(b),
    ],
    ['POST /api/alerts', validAlert, (b) => json(duty, 'post', '/api/alerts')(b)],
    [
      'PUT /api/enterprises/:id/plan',
      validPlan,
      (b) => json(admin, 'put', `/api/enterprises/${enterpriseId}/plan`)(b),
    ],
    ['POST /api/enterprises', () => enterpriseInput(), (b) => json(admin, 'post', '/api/enterprises')(b)],
    [
      'PATCH /api/enterprises/:id',
      () => ({ name: '改名' }),
      (b) => json(admin, 'patch', `/api/enterprises/${enterpriseId}`)(b),
    ],
    ['POST /api/auth/login', validLogin, (b) => json(t.http(), 'post', '/api/auth/login')(b)],
    ['PUT /api/inventory/:areaCode', validInventory, (b) => json(admin, 'put', '/api/inventory/141102')(b)],
  ];

  /** Bodies that are wrong for every endpoint: not an object, too deep, too big, unparseable. */
  const WHOLE_BODIES: Array<[string, (valid: object) => string]> = [
    ['a string', () => '"hello"'],
    ['a number', () => '42'],
    ['null', () => 'null'],
    ['true', () => 'true'],
    ['an empty array', () => '[]'],
    ['an array of the valid body', (v) => JSON.stringify([v, v])],
    ['an empty object', () => '{}'],
    ['10,000 nested arrays', () => deepArrays(10_000)],
    ['10,000 nested objects', () => deepObjects(10_000)],
    [
      '10,000 nested arrays in every field',
      (v) => JSON.stringify(v).replace(/:("[^"]*"|-?\d[\d.e+-]*)/g, `:${deepArrays(10_000)}`),
    ],
    ['10,000 nested objects in a new field', (v) => withRaw(v, 'extra', deepObjects(10_000))],
    ['a 1 MB unknown field', (v) => JSON.stringify({ ...v, junk: huge })],
    ['a 1 MB key', (v) => JSON.stringify({ ...v, [huge]: 1 })],
    ['a 2.5 MB body (over the 2 MB JSON limit)', (v) => JSON.stringify({ ...v, junk: 'x'.repeat(2.5 * MB) })],
    ['truncated JSON', (v) => JSON.stringify(v).slice(0, -3)],
    ['JSON with a trailing comma', (v) => JSON.stringify(v).replace(/}$/, ',}')],
    ['JSON with comments', (v) => `/* c */${JSON.stringify(v)}`],
    [
      'a duplicate key whose last value has the wrong type',
      (v) => JSON.stringify(v).replace(/}$/, `,"${Object.keys(v)[0]}":{"$ne":null}}`),
    ],
    [
      'every value a number',
      (v) => JSON.stringify(v).replace(/:("[^"]*"|\[[^\]]*\]|true|false|null)/g, ':1e309'),
    ],
    ['every string value an object', (v) => JSON.stringify(v).replace(/:"[^"]*"/g, ':{"$ne":null}')],
    ['every string value 100 KB', (v) => JSON.stringify(v).replace(/:"[^"]*"/g, `:"${'y'.repeat(100_000)}"`)],
  ];

  describe.each(ENDPOINTS)('%s', (name, valid, send) => {
    const sample = valid();
    // Only the cases that change this endpoint's body (the inventory has no strings; an empty PATCH is valid).
    const applicable = WHOLE_BODIES.filter(
      ([label, make]) =>
        make(sample) !== JSON.stringify(sample) && !(name.startsWith('PATCH') && label === 'an empty object'),
    );
    it.each(applicable)('refuses %s', async (_case, make) => {
      expect(await refusal(() => send(make(valid())))).toEqual(REFUSED);
    });

    // In every string value, or (a body without strings) as a key.
    const hasStrings = JSON.stringify(sample).includes(':"');
    it.each(UNSTORABLE)('refuses %s in every string field', async (_case, text) => {
      const body = hasStrings
        ? JSON.stringify(valid(), (_k, v: unknown) => (typeof v === 'string' ? `${v}${text}` : v))
        : JSON.stringify({ ...valid(), [text]: 1 });
      expect(await refusal(() => send(body))).toEqual(REFUSED);
    });

    it('strips __proto__ and constructor keys: never a 5xx, never a polluted prototype', async () => {
      const body = JSON.stringify(valid()).replace(
        /}$/,
        ',"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
      );
      const before = await snapshot();
      const res = await send(body);
      const after = await snapshot();
      for (const table of ['login_failure', 'audit_entry']) {
        delete before[table];
        delete after[table];
      }
      const refusal = res.status >= 400;
      const answer = res.body as { error?: { code?: unknown; message?: unknown } };
      expect({
        // The login body is otherwise valid: a wrong password.
        status: name.includes('login') ? res.status === 401 : res.status < 500,
        polluted: ({} as { polluted?: unknown }).polluted ?? JSON.stringify(res.body).includes('polluted'),
        structured:
          !refusal || (typeof answer.error?.code === 'string' && typeof answer.error?.message === 'string'),
        untouched: !refusal || JSON.stringify(after) === JSON.stringify(before),
      }).toEqual({ status: true, polluted: false, structured: true, untouched: true });
    });
  });

  it('answers a wrong content type or charset with a coded 4xx', async () => {
    const body = JSON.stringify(enterpriseInput());
    const post = () => admin.post('/api/enterprises');
    const verdicts = [
      await refusal(() => post().set('content-type', 'text/plain').send(body)),
      await refusal(() => post().set('content-type', 'application/json; charset=koi8-r').send(body)),
      await refusal(() =>
        post().set('content-type', 'application/json').set('content-encoding', 'gzip').send(body),
      ),
      await refusal(() =>
        post()
          .set('content-type', 'application/json')
          .send(Buffer.from([0xff, 0xfe, 0x7b])),
      ),
    ];
    expect(verdicts).toEqual(verdicts.map(() => REFUSED));
  });

  describe('wrong types in single fields', () => {
    const CASES: Array<[string, () => request.Test]> = [
      [
        'enterprise name a number',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), name: 123 }),
      ],
      [
        'enterprise contacts a string',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), contacts: 'a@b.c' }),
      ],
      [
        'enterprise baseline an array',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), baseline: [1, 2, 3, 4] }),
      ],
      [
        'enterprise protected a string',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), protected: 'false' }),
      ],
      [
        'enterprise lines of nulls',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), lines: [null, null] }),
      ],
      [
        'enterprise longitude a huge number',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), longitude: 1e308 }),
      ],
      [
        'enterprise baseline negative',
        () =>
          admin
            .post('/api/enterprises')
            .send({ ...enterpriseInput(), baseline: { so2: -1, nox: 0, pm: 0, vocs: 0 } }),
      ],
      [
        'enterprise name 1 MB',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), name: huge }),
      ],
      [
        'enterprise name blank',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), name: ' \t\u3000' }),
      ],
      [
        'enterprise credit code SQL',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), creditCode: "1' OR '1'='1" }),
      ],
      [
        'enterprise county code SQL',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), countyCode: "'; --" }),
      ],
      [
        'PATCH archived a string',
        () => admin.patch(`/api/enterprises/${enterpriseId}`).send({ archived: 'yes' }),
      ],
      ['PATCH name null', () => admin.patch(`/api/enterprises/${enterpriseId}`).send({ name: null })],
      [
        'PATCH contacts 10,000 deep',
        () =>
          json(
            admin,
            'patch',
            `/api/enterprises/${enterpriseId}`,
          )(withRaw({}, 'contacts', deepArrays(10_000))),
      ],
      [
        'PATCH an unknown id',
        () => admin.patch('/api/enterprises/00000000-0000-0000-0000-000000000000').send({ name: 'x' }),
      ],
      [
        'PATCH an id that is SQL',
        () =>
          admin
            .patch(`/api/enterprises/${encodeURIComponent("1'; DROP TABLE enterprise;--")}`)
            .send({ name: 'x' }),
      ],
      [
        'plan measures an object',
        () => admin.put(`/api/enterprises/${enterpriseId}/plan`).send({ measures: { 0: measure() } }),
      ],
      [
        'plan params an array',
        () =>
          admin
            .put(`/api/enterprises/${enterpriseId}/plan`)
            .send({ measures: [{ ...measure(), params: [20] }] }),
      ],
      [
        'plan params 10,000 deep',
        () =>
          json(
            admin,
            'put',
            `/api/enterprises/${enterpriseId}/plan`,
          )(
            JSON.stringify({ measures: [{ ...measure(), params: '@@RAW@@' }] }).replace(
              '"@@RAW@@"',
              deepObjects(10_000),
            ),
          ),
      ],
      [
        'plan percent a 1 MB string',
        () =>
          admin
            .put(`/api/enterprises/${enterpriseId}/plan`)
            .send({ measures: [{ ...measure(), params: { percent: huge } }] }),
      ],
      [
        'plan fromHour a float',
        () =>
          admin
            .put(`/api/enterprises/${enterpriseId}/plan`)
            .send({ measures: [{ ...measure(), fromHour: 1.5 }] }),
      ],
      [
        'plan 201 measures',
        () =>
          admin
            .put(`/api/enterprises/${enterpriseId}/plan`)
            .send({ measures: Array.from({ length: 201 }, () => measure()) }),
      ],
      [
        'plan fromHour past the integer range',
        () =>
          admin
            .put(`/api/enterprises/${enterpriseId}/plan`)
            .send({ measures: [{ ...measure(), fromHour: 1e20 }] }),
      ],
      [
        'enterprise baseline past the column range',
        () =>
          admin
            .post('/api/enterprises')
            .send({ ...enterpriseInput(), baseline: { so2: 1e15, nox: 1, pm: 1, vocs: 1 } }),
      ],
      ['plan for an id that is not a uuid', () => admin.put('/api/enterprises/%00/plan').send(validPlan())],
      ['alert level an object', () => duty.post('/api/alerts').send({ ...validAlert(), level: { $gt: '' } })],
      [
        'alert countyCodes a string',
        () => duty.post('/api/alerts').send({ ...validAlert(), countyCodes: '141102' }),
      ],
      [
        'alert effectiveAt a number',
        () => duty.post('/api/alerts').send({ ...validAlert(), effectiveAt: 1764300000000 }),
      ],
      [
        'alert effectiveAt not a date',
        () => duty.post('/api/alerts').send({ ...validAlert(), effectiveAt: '2026-02-30T25:61:00Z' }),
      ],
      [
        'alert effectiveAt year 275760',
        () => duty.post('/api/alerts').send({ ...validAlert(), effectiveAt: '+275760-09-13T00:00:00Z' }),
      ],
      ['alert reason 1 MB', () => duty.post('/api/alerts').send({ ...validAlert(), reason: huge })],
      [
        'alert consultationId SQL',
        () => duty.post('/api/alerts').send({ ...validAlert(), consultationId: "'; DROP TABLE alert;--" }),
      ],
      [
        'alert 10,000 county codes',
        () =>
          duty
            .post('/api/alerts')
            .send({ ...validAlert(), countyCodes: Array.from({ length: 10_000 }, () => '141102') }),
      ],
      [
        'alert unknown county',
        () => duty.post('/api/alerts').send({ ...validAlert(), countyCodes: ["141102' OR 1=1"] }),
      ],
      [
        'consultation aqi a string',
        () =>
          duty.post('/api/consultations').send({
            ...validConsultation(),
            forecasts: [{ ...validConsultation().forecasts[0], aqi: '200' }],
          }),
      ],
      [
        'consultation aqi 1e309',
        () =>
          json(
            duty,
            'post',
            '/api/consultations',
          )(JSON.stringify(validConsultation()).replace('"aqi":180', '"aqi":1e309')),
      ],
      [
        'consultation aqi -1',
        () =>
          duty
            .post('/api/consultations')
            .send({ ...validConsultation(), forecasts: [{ ...validConsultation().forecasts[0], aqi: -1 }] }),
      ],
      [
        'consultation participants empty',
        () => duty.post('/api/consultations').send({ ...validConsultation(), participants: [] }),
      ],
      [
        'consultation opinion 1 MB',
        () => duty.post('/api/consultations').send({ ...validConsultation(), opinion: huge }),
      ],
      [
        'consultation directive a string',
        () => duty.post('/api/consultations').send({ ...validConsultation(), directive: 'RED' }),
      ],
      [
        'consultation forecast date SQL',
        () =>
          duty.post('/api/consultations').send({
            ...validConsultation(),
            forecasts: [{ ...validConsultation().forecasts[0], date: "'--" }],
          }),
      ],
      [
        'inventory so2 a string',
        () => admin.put('/api/inventory/141102').send({ ...validInventory(), so2: '1000' }),
      ],
      [
        'inventory so2 negative',
        () => admin.put('/api/inventory/141102').send({ ...validInventory(), so2: -5 }),
      ],
      [
        'inventory so2 1e300',
        () => admin.put('/api/inventory/141102').send({ ...validInventory(), so2: 1e300 }),
      ],
      [
        'inventory for an area that is SQL',
        () => admin.put(`/api/inventory/${encodeURIComponent("141102' OR '1'='1")}`).send(validInventory()),
      ],
      [
        'inventory for a 1,000-character area code',
        () => admin.put(`/api/inventory/${'1'.repeat(1000)}`).send(validInventory()),
      ],
      [
        'login username an array',
        () =>
          t
            .http()
            .post('/api/auth/login')
            .send({ username: ['admin'], password: 'x' }),
      ],
      [
        'login password an object',
        () =>
          t
            .http()
            .post('/api/auth/login')
            .send({ username: 'admin', password: { $ne: '' } }),
      ],
      [
        'login password 1 MB',
        () => t.http().post('/api/auth/login').send({ username: 'admin', password: huge }),
      ],
      ['login username empty', () => t.http().post('/api/auth/login').send({ username: '', password: 'x' })],
    ];
    it.each(CASES)('refuses %s', async (_case, send) => {
      expect(await refusal(send)).toEqual(REFUSED);
    });
  });

  describe('null where a value is expected', () => {
    let userId: string;
    beforeAll(async () => {
      const { body } = await admin
        .post('/api/users')
        .send({ username: 'null.target', password: 'long-enough-password', roles: ['AUDITOR'] })
        .expect(201);
      userId = body.id;
    });
    const validRuleset = (over: object) => ({
      id: 'NULL-TEST',
      name: '空值测试',
      source: '测试',
      basedOn: 'MEE-2024',
      effectiveFrom: '2027-01-01',
      ...over,
    });
    const patchEnterprise = (field: string) => () =>
      admin.patch(`/api/enterprises/${enterpriseId}`).send({ [field]: null });

    // Lists, flags, objects and required values: null means nothing there, so it is refused by name.
    const REFUSED_NULLS: Array<[string, () => request.Test, string]> = [
      ...[
        'creditCode',
        'name',
        'industry',
        'countyCode',
        'grade',
        'protected',
        'controlTags',
        'contacts',
        'lines',
        'baseline',
        'archived',
      ].map((f): [string, () => request.Test, string] => [`PATCH enterprise ${f}`, patchEnterprise(f), f]),
      ...['displayName', 'roles', 'active'].map((f): [string, () => request.Test, string] => [
        `PATCH user ${f}`,
        () => admin.patch(`/api/users/${userId}`).send({ [f]: null }),
        f,
      ]),
      [
        'POST enterprise lines',
        () => admin.post('/api/enterprises').send({ ...enterpriseInput(), lines: null }),
        'lines',
      ],
      [
        'PUT plan measure params',
        () =>
          admin
            .put(`/api/enterprises/${enterpriseId}/plan`)
            .send({ measures: [{ ...measure(), params: null }] }),
        'measures[0].params',
      ],
      [
        'POST alert countyCodes',
        () => duty.post('/api/alerts').send({ ...validAlert(), countyCodes: null, wholeCity: true }),
        'countyCodes',
      ],
      [
        'POST alert wholeCity',
        () => duty.post('/api/alerts').send({ ...validAlert(), wholeCity: null }),
        'wholeCity',
      ],
      [
        'POST consultation directive',
        () => duty.post('/api/consultations').send({ ...validConsultation(), directive: null }),
        'directive',
      ],
      ...['reductionRatios', 'liftBelowHours', 'leadTimeHours', 'deadlines'].map(
        (f): [string, () => request.Test, string] => [
          `POST ruleset ${f}`,
          () => admin.post('/api/rulesets').send(validRuleset({ [f]: null })),
          f,
        ],
      ),
      [
        'POST ruleset deadlines.receiptMinHours',
        () => admin.post('/api/rulesets').send(validRuleset({ deadlines: { receiptMinHours: null } })),
        'deadlines.receiptMinHours',
      ],
    ];
    it.each(REFUSED_NULLS)('refuses %s: null with a 422 naming the field', async (_case, send, field) => {
      const res = await expectRefused(send, { status: 422 });
      expect(res.body.error.fields).toEqual([{ field, message: NULL_MESSAGE }]);
    });

    it('POST ruleset: effectiveTo null is open-ended, as GET /api/rulesets shows it', async () => {
      const { body } = await admin
        .post('/api/rulesets')
        .send(validRuleset({ id: 'NULL-OPEN', effectiveTo: null }))
        .expect(201);
      expect(body).toMatchObject({ id: 'NULL-OPEN', effectiveTo: null });
    });

    it('PATCH enterprise: null clears the optional fields (address, coordinates, protection details)', async () => {
      const { body: created } = await admin
        .post('/api/enterprises')
        .send(
          enterpriseInput({
            protected: true,
            protectedReason: '民生保障',
            protectedMaxLoad: 60,
            address: '某路1号',
          }),
        )
        .expect(201);
      const cleared = {
        address: null,
        longitude: null,
        latitude: null,
        protectedReason: null,
        protectedMaxLoad: null,
      };
      // No longer protected, so its reason and load go too.
      await admin
        .patch(`/api/enterprises/${created.id}`)
        .send({ ...cleared, protected: false })
        .expect(200);
      expect((await admin.get(`/api/enterprises/${created.id}`).expect(200)).body).toMatchObject({
        ...cleared,
        protected: false,
      });
    });
  });

  describe('timestamps without a zone', () => {
    // Validation comes before the warning is looked up: an id that names none is enough.
    const noAlert = '00000000-0000-0000-0000-000000000000';
    const local = '2026-12-02T08:00:00';
    const withDirective = (over: object) => ({
      ...validConsultation(),
      directive: {
        kind: 'DISPATCH_ORDER',
        number: '晋气防办调度令〔2026〕4号',
        level: 'ORANGE',
        countyCodes: ['141102'],
        from: new Date(Date.now() + 86_400_000).toISOString(),
        ...over,
      },
    });
    const CASES: Array<[string, () => request.Test, string]> = [
      [
        'POST /api/alerts effectiveAt',
        () => duty.post('/api/alerts').send({ ...validAlert(), effectiveAt: local }),
        'effectiveAt',
      ],
      [
        'POST /api/alerts expectedEndAt',
        () => duty.post('/api/alerts').send({ ...validAlert(), expectedEndAt: local }),
        'expectedEndAt',
      ],
      [
        'POST /api/alerts effectiveAt, a date alone',
        () => duty.post('/api/alerts').send({ ...validAlert(), effectiveAt: '2026-12-02' }),
        'effectiveAt',
      ],
      [
        'POST /api/alerts/:id/adjust effectiveAt',
        () =>
          duty
            .post(`/api/alerts/${noAlert}/adjust`)
            .send({ level: 'RED', effectiveAt: local, reason: '加重' }),
        'effectiveAt',
      ],
      [
        'POST /api/alerts/:id/extend expectedEndAt',
        () => duty.post(`/api/alerts/${noAlert}/extend`).send({ expectedEndAt: local }),
        'expectedEndAt',
      ],
      [
        'POST /api/alerts/:id/lift effectiveAt',
        () => duty.post(`/api/alerts/${noAlert}/lift`).send({ effectiveAt: local, reason: '好转' }),
        'effectiveAt',
      ],
      [
        'POST /api/consultations heldAt',
        () => duty.post('/api/consultations').send({ ...validConsultation(), heldAt: local }),
        'heldAt',
      ],
      [
        'POST /api/consultations directive.from',
        () => duty.post('/api/consultations').send(withDirective({ from: local })),
        'directive.from',
      ],
      [
        'POST /api/consultations directive.to',
        () => duty.post('/api/consultations').send(withDirective({ to: '2026-12-05T00:00' })),
        'directive.to',
      ],
      ['GET /api/audit from', () => admin.get('/api/audit').query({ from: local }), 'from'],
      ['GET /api/audit to', () => admin.get('/api/audit').query({ to: local }), 'to'],
      ['GET /api/audit/export from', () => admin.get('/api/audit/export').query({ from: local }), 'from'],
    ];
    it.each(CASES)('refuses %s with a 422 saying it needs a zone', async (_case, send, field) => {
      const res = await expectRefused(send, { status: 422 });
      expect(res.body.error.fields).toEqual([{ field, message: expect.stringContaining('需带时区') }]);
    });

    it('takes the same time with +08:00 or as UTC, as one instant', async () => {
      // Now in Beijing, written with its offset, to the second.
      const beijing = `${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
      const { body } = await duty
        .post('/api/consultations')
        .send({ ...validConsultation(), heldAt: beijing })
        .expect(201);
      expect(new Date(body.heldAt).getTime()).toBe(Date.parse(beijing));
      expect(body.heldAt).toBe(new Date(Date.parse(beijing)).toISOString());
    });
  });

  describe('cookies that are not strings (cookie-parser reads j: values as JSON)', () => {
    // j:null, j:"x" stay strings (cookie-parser keeps falsy JSON as text): an unknown token, a stranger's secret.
    const SHAPES = ['j:{}', 'j:[]', 'j:{"token":"x"}', 'j:1', 'j:true', 'j:null', 'j:"x"'];
    const PARSED_TO_NON_STRING = ['j:{}', 'j:[]', 'j:{"token":"x"}', 'j:1', 'j:true'];
    const setsCsrfCookie = (res: request.Response) =>
      ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).some((c) =>
        c.startsWith('hz_csrf='),
      );

    it.each(SHAPES)('hz_session=%s is no session: health answers, the API asks to sign in', async (shape) => {
      const cookie = `hz_session=${shape}`;
      const health = await t.http().get('/api/health').set('cookie', cookie);
      const me = await t.http().get('/api/auth/me').set('cookie', cookie);
      const page = await t.http().get('/dashboard').set('cookie', cookie).redirects(0);
      expect([
        health.status,
        health.body,
        me.status,
        me.body.error?.code,
        page.status,
        page.headers.location,
      ]).toEqual([
        200,
        { status: 'ok', database: 'up' },
        401,
        'UNAUTHENTICATED',
        303,
        '/login?next=%2Fdashboard',
      ]);
    });

    it.each(SHAPES)(
      'hz_csrf=%s: the login page answers, with a new secret when the value is no string',
      async (shape) => {
        const res = await t.http().get('/login').set('cookie', `hz_csrf=${shape}`);
        expect([res.status, setsCsrfCookie(res)]).toEqual([200, PARSED_TO_NON_STRING.includes(shape)]);
      },
    );

    it.each(PARSED_TO_NON_STRING)(
      'hz_csrf=%s is no secret: a form token made for its text ("[object Object]", "1" …) is refused',
      async (shape) => {
        const { sessionSecret } = t.app.get<AppConfig>(APP_CONFIG);
        const text = String(JSON.parse(shape.slice(2)));
        const res = await t
          .http()
          .post('/login')
          .set('cookie', `hz_csrf=${shape}`)
          .type('form')
          .send({ _csrf: csrfTokenFor(sessionSecret, text), username: 'nobody', password: 'wrong-password' });
        expect(res.status).toBe(403);
        expect(res.text).toContain('CSRF');
      },
    );
  });

  describe('login fields past their length', () => {
    // Random, so PostgreSQL cannot compress it under the 2,704-byte btree limit of the failed-login index.
    const longName = randomBytes(2250).toString('base64');
    const LIMITS: Array<[string, Record<string, string>, string, string]> = [
      [
        'a 3,000-character username',
        { username: longName, password: 'x' },
        'username',
        '用户名不能超过 100 个字符',
      ],
      [
        'a 201-character password',
        { username: 'duty', password: 'p'.repeat(201) },
        'password',
        '密码不能超过 200 个字符',
      ],
    ];

    it.each(LIMITS)(
      'POST /api/auth/login refuses %s with a 422 naming the field',
      async (_case, body, field, message) => {
        const res = await expectRefused(() => t.http().post('/api/auth/login').send(body), { status: 422 });
        expect(res.body.error.fields).toEqual([{ field, message }]);
      },
    );

    it.each(LIMITS)(
      'POST /login re-renders the form for %s with the error at the field',
      async (_case, body, field, message) => {
        const agent = request.agent(t.app.getHttpServer());
        const token = await formToken(agent, '/login');
        const before = await snapshot();
        const res = await agent
          .post('/login')
          .type('form')
          .send({ _csrf: token, ...body });
        expect({
          status: res.status,
          form: res.text.includes('id="login-submit"'),
          error: new RegExp(`id="${field}-error">([^<]*)<`).exec(res.text)?.[1],
          untouched: JSON.stringify(await snapshot()) === JSON.stringify(before),
        }).toEqual({ status: 422, form: true, error: message, untouched: true });
      },
    );

    it('still takes the longest allowed username and password (wrong, so 401)', async () => {
      await t
        .http()
        .post('/api/auth/login')
        .send({ username: randomBytes(75).toString('base64'), password: 'p'.repeat(200) })
        .expect(401);
    });
  });

  it('refuses SQL-looking credentials as wrong credentials (401), recording only the failed login', async () => {
    for (const username of ["admin'--", "' OR '1'='1", 'x"; DROP TABLE app_user;--', '<script>', '=1+1']) {
      await expectRefused(
        () => t.http().post('/api/auth/login').send({ username, password: "' OR '1'='1" }),
        {
          status: 401,
          allowed: ['login_failure', 'audit_entry'],
        },
      );
    }
    expect((await t.dataSource.query('SELECT count(*)::int AS n FROM app_user'))[0].n).toBeGreaterThan(0);
  });

  describe('odd but valid text is stored verbatim and breaks nothing', () => {
    it.each(LEGIT_TEXT)('%s: enterprise name, address, contact and plan description', async (_case, text) => {
      const input = enterpriseInput({
        name: `${text}有限公司`,
        address: text,
        contacts: [{ name: text, role: text, email: 'odd@test.example', phone: text.slice(0, 50) }],
      });
      const { body: created } = await admin.post('/api/enterprises').send(input).expect(201);
      const { body: got } = await admin.get(`/api/enterprises/${created.id}`).expect(200);
      expect(got).toMatchObject({
        name: input.name,
        address: text,
        contacts: [expect.objectContaining({ name: text, role: text })],
      });
      const plan = { measures: [measure({ description: text, line: 'JL1' })] };
      await admin.put(`/api/enterprises/${created.id}/plan`).send(plan).expect(200);
      const { body: gotPlan } = await admin.get(`/api/enterprises/${created.id}/plan`).expect(200);
      expect(gotPlan.measures[0].description).toBe(text);
      await admin
        .patch(`/api/enterprises/${created.id}`)
        .send({ name: `${text}改` })
        .expect(200);
      expect((await admin.get(`/api/enterprises/${created.id}`).expect(200)).body.name).toBe(`${text}改`);
      const { body: found } = await admin
        .get('/api/enterprises')
        .query({ q: `${text}改` })
        .expect(200);
      expect(found.items.map((e: { id: string }) => e.id)).toContain(created.id);
    });

    it.each(LEGIT_TEXT)('%s: consultation opinion and alert reason', async (_case, text) => {
      const { body: consultation } = await duty
        .post('/api/consultations')
        .send({ ...validConsultation(), opinion: text, participants: [text] })
        .expect(201);
      const { body: gotConsultation } = await duty.get(`/api/consultations/${consultation.id}`).expect(200);
      expect(gotConsultation).toMatchObject({ opinion: text, participants: [text] });
      const { body: alert } = await duty
        .post('/api/alerts')
        .send({ ...validAlert(), countyCodes: ['141121'], reason: text })
        .expect(201);
      const { body: gotAlert } = await duty.get(`/api/alerts/${alert.id}`).expect(200);
      expect(JSON.stringify(gotAlert)).toContain(JSON.stringify(text).slice(1, -1));
      // Rejected, so the county is free for the next case.
      await commander.post(`/api/alerts/${alert.id}/reject`).send({ reason: text }).expect(200);
    });

    it('the list, the search and the export work with it stored, formulas neutralised; re-importing the export changes nothing', async () => {
      const list = async () =>
        (await admin.get('/api/enterprises?pageSize=500').expect(200)).body.items
          .map((e: EnterpriseInput) => JSON.stringify([e.creditCode, e.name, e.address, e.contacts]))
          .sort();
      for (const [, text] of LEGIT_TEXT) await admin.get('/api/enterprises').query({ q: text }).expect(200);
      const before = await list();
      const csv = await admin.get('/api/enterprises/export?format=csv').buffer(true).expect(200);
      expect(csv.text).toContain("'; DROP TABLE enterprise;--改");
      expect(csv.text).toContain('<script>alert(1)</script>');
      // No cell starts with a formula character: the export prefixes them with an apostrophe.
      expect(csv.text).not.toMatch(/(^|,)"?[=+@]/m);
      const xlsx = await admin
        .get('/api/enterprises/export?format=xlsx')
        .buffer(true)
        .parse(binary)
        .expect(200);
      // Contacts holding the list format's separators (; and |) are escaped on export, so the re-import takes
      // every row back unchanged (it used to be refused whole).
      for (const [file, name] of [
        [xlsx.body as Buffer, 'export.xlsx'],
        [Buffer.from(csv.text), 'export.csv'],
      ] as const) {
        const res = await importRequest().attach('file', file, name).expect(200);
        // Every enterprise as stored: left alone.
        expect(res.body).toMatchObject({ imported: 0, updated: 0, unchanged: before.length });
        expect(await list()).toEqual(before);
      }
    });
  });

  describe('POST /api/enterprises/import', () => {
    const upload = (buffer: Buffer, name: string, field = 'file') =>
      importRequest().attach(field, buffer, name);
    const rows = (items: Array<{ input: EnterpriseInput; measures: MeasureInput[] }>): RawRow[] =>
      items.flatMap((i) => toRows(i.input, '2025-2026', i.measures));
    let validXlsx: Buffer;
    let validCsv: string;
    let hoursCsv: Buffer;

    beforeAll(async () => {
      const items = [{ input: enterpriseInput({ name: '导入测试焦化有限公司' }), measures: [measure()] }];
      validXlsx = await toBuffer('xlsx', rows(items));
      validCsv = (await toBuffer('csv', rows(items))).toString('utf8').replace(/^\uFEFF/, '');
      hoursCsv = await toBuffer(
        'csv',
        rows([{ input: enterpriseInput(), measures: [measure({ fromHour: 1e20, toHour: 2e20 })] }]),
      );
    });

    /** A ZIP written by hand, so its sizes and contents can lie. */
    function zip(
      entries: Array<{ name: string; data: Buffer; deflate?: boolean; declaredSize?: number }>,
    ): Buffer {
      const locals: Buffer[] = [];
      const centrals: Buffer[] = [];
      let offset = 0;
      for (const e of entries) {
        const body = e.deflate === false ? e.data : deflateRawSync(e.data);
        const name = Buffer.from(e.name, 'utf8');
        const local = Buffer.alloc(30);
        local.writeUInt32LE(0x04034b50, 0);
        local.writeUInt16LE(20, 4);
        local.writeUInt16LE(e.deflate === false ? 0 : 8, 8);
        local.writeUInt32LE(crc32(e.data), 14);
        local.writeUInt32LE(body.length, 18);
        local.writeUInt32LE(e.declaredSize ?? e.data.length, 22);
        local.writeUInt16LE(name.length, 26);
        const central = Buffer.alloc(46);
        central.writeUInt32LE(0x02014b50, 0);
        central.writeUInt16LE(20, 4);
        central.writeUInt16LE(20, 6);
        central.writeUInt16LE(e.deflate === false ? 0 : 8, 10);
        central.writeUInt32LE(crc32(e.data), 16);
        central.writeUInt32LE(e.declaredSize === undefined ? body.length : 0xfffffffe, 20);
        central.writeUInt32LE(e.declaredSize ?? e.data.length, 24);
        central.writeUInt16LE(name.length, 28);
        central.writeUInt32LE(offset, 42);
        locals.push(local, name, body);
        centrals.push(central, name);
        offset += 30 + name.length + body.length;
      }
      const dir = Buffer.concat(centrals);
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(entries.length, 8);
      end.writeUInt16LE(entries.length, 10);
      end.writeUInt32LE(dir.length, 12);
      end.writeUInt32LE(offset, 16);
      return Buffer.concat([...locals, dir, end]);
    }
    const workbookParts = (sheetXml: string, extra: Array<{ name: string; data: Buffer }> = []) =>
      zip([
        {
          name: '[Content_Types].xml',
          data: Buffer.from(
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
          ),
        },
        {
          name: 'xl/workbook.xml',
          data: Buffer.from(
            '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="减排清单" sheetId="1" r:id="rId1"/></sheets></workbook>',
          ),
        },
        {
          name: 'xl/_rels/workbook.xml.rels',
          data: Buffer.from(
            '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
          ),
        },
        { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheetXml) },
        ...extra,
      ]);
    const header = COLUMNS.map(headerOf);
    const sheetRow = (r: number, cells: string[]) =>
      `<row r="${r}">${cells.map((c) => `<c t="inlineStr"><is><t>${c}</t></is></c>`).join('')}</row>`;
    const sheetXml = (body: string, prolog = '') =>
      `<?xml version="1.0" encoding="UTF-8"?>${prolog}<worksheet><sheetData>${sheetRow(1, header)}${body}</sheetData></worksheet>`;

    const CASES: Array<[string, () => request.Test]> = [
      [
        'a truncated XLSX (first half)',
        () => upload(validXlsx.subarray(0, Math.floor(validXlsx.length / 2)), 'half.xlsx'),
      ],
      [
        'a truncated XLSX (last 100 bytes cut)',
        () => upload(validXlsx.subarray(0, validXlsx.length - 100), 'cut.xlsx'),
      ],
      [
        'an XLSX with one byte flipped in every entry',
        () => {
          const copy = Buffer.from(validXlsx);
          for (let i = 200; i < copy.length - 200; i += 97) copy[i] ^= 0xff;
          return upload(copy, 'flipped.xlsx');
        },
      ],
      [
        'a ZIP without any sheet',
        () => upload(zip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }]), 'nosheet.xlsx'),
      ],
      [
        'a ZIP whose workbook names a missing sheet',
        () =>
          upload(
            zip([
              {
                name: 'xl/workbook.xml',
                data: Buffer.from('<workbook><sheets><sheet r:id="rId9"/></sheets></workbook>'),
              },
              {
                name: 'xl/_rels/workbook.xml.rels',
                data: Buffer.from(
                  '<Relationships><Relationship Id="rId9" Target="worksheets/gone.xml"/></Relationships>',
                ),
              },
            ]),
            'missing.xlsx',
          ),
      ],
      [
        'a ZIP declaring a 4 GB sheet and a compressed size past its end',
        () =>
          upload(
            zip([
              { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(sheetXml('')), declaredSize: 0xfffffff0 },
            ]),
            'declared.xlsx',
          ),
      ],
      [
        'a ZIP with an unknown compression method',
        () => {
          const z = workbookParts(sheetXml(''));
          // Every method field (local and central) set to 99 (AES and friends are unsupported).
          for (let i = 0; i < z.length - 4; i++) {
            const sig = z.readUInt32LE(i);
            if (sig === 0x04034b50) z.writeUInt16LE(99, i + 8);
            if (sig === 0x02014b50) z.writeUInt16LE(99, i + 10);
          }
          return upload(z, 'method.xlsx');
        },
      ],
      [
        'a sheet that inflates to 64 MB of one row (zip bomb-ish)',
        () =>
          upload(
            workbookParts(
              sheetXml(`<row r="2"><c t="inlineStr"><is><t>${'A'.repeat(64 * MB)}</t></is></c></row>`),
            ),
            'bomb.xlsx',
          ),
      ],
      [
        'shared strings that inflate to 64 MB',
        () =>
          upload(
            workbookParts(sheetXml('<row r="2"><c t="s"><v>0</v></c></row>'), [
              {
                name: 'xl/sharedStrings.xml',
                data: Buffer.from(`<sst><si><t>${'B'.repeat(64 * MB)}</t></si></sst>`),
              },
            ]),
            'sst-bomb.xlsx',
          ),
      ],
      [
        'a sheet with a DOCTYPE and entity expansion (billion laughs)',
        () => {
          const dtd =
            '<!DOCTYPE worksheet [<!ENTITY lol "lol">' +
            Array.from(
              { length: 9 },
              (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
            ).join('') +
            ']>';
          return upload(workbookParts(sheetXml(sheetRow(2, ['&lol9;']), dtd)), 'laughs.xlsx');
        },
      ],
      [
        'a sheet with an external entity (XXE)',
        () =>
          upload(
            workbookParts(
              sheetXml(
                sheetRow(2, ['&xxe;']),
                '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
              ),
            ),
            'xxe.xlsx',
          ),
      ],
      [
        'shared strings with a DOCTYPE and entity expansion',
        () =>
          upload(
            workbookParts(sheetXml('<row r="2"><c t="s"><v>0</v></c></row>'), [
              {
                name: 'xl/sharedStrings.xml',
                data: Buffer.from(
                  '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>',
                ),
              },
            ]),
            'sst-laughs.xlsx',
          ),
      ],
      [
        'malformed sheet XML',
        () => upload(workbookParts('<worksheet><sheetData><row><c><v>1</c></row>'), 'malformed.xlsx'),
      ],
      [
        'a sheet row number in the billions',
        () => upload(workbookParts(sheetXml(sheetRow(4_000_000_000, ['x']))), 'rows.xlsx'),
      ],
      [
        'a cell reference far to the right (XFD and beyond)',
        () =>
          upload(
            workbookParts(sheetXml('<row r="2"><c r="ZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>')),
            'wide.xlsx',
          ),
      ],
      ['a CSV in GBK', () => upload(iconv.encode(validCsv, 'gbk'), 'gbk.csv')],
      [
        'a UTF-16LE CSV with a lone surrogate in a cell',
        () =>
          upload(
            Buffer.concat([
              Buffer.from([0xff, 0xfe]),
              Buffer.from(validCsv.replace('导入测试焦化有限公司', '导入\uD800测试'), 'utf16le'),
            ]),
            'utf16-lone.csv',
          ),
      ],
      ['a CSV with a response hour past the integer range', () => upload(hoursCsv, 'hours.csv')],
      ['a CSV that is only a BOM', () => upload(Buffer.from([0xef, 0xbb, 0xbf]), 'bom.csv')],
      ['a CSV that is only a BOM and a newline', () => upload(Buffer.from('\uFEFF\r\n'), 'bom-nl.csv')],
      [
        'a CSV with an unclosed quote',
        () => upload(Buffer.from(`${header.join(',')}\n"abc,def\n`), 'quote.csv'),
      ],
      [
        'a CSV with NUL bytes in a cell',
        () => upload(Buffer.from(validCsv.replace('导入测试焦化有限公司', '导入\u0000测试')), 'nul.csv'),
      ],
      [
        'a CSV with lone-surrogate-ish invalid UTF-8',
        () =>
          upload(
            Buffer.concat([
              Buffer.from(validCsv.split('\n')[0] + '\n'),
              Buffer.from([0xed, 0xa0, 0x80, 0x2c, 0xc3]),
            ]),
            'badutf8.csv',
          ),
      ],
      [
        'a 10,000-column CSV header',
        () =>
          upload(Buffer.from(`${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')}\n`), 'wide.csv'),
      ],
      [
        'a binary file named .csv',
        () => upload(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)), 'random.csv'),
      ],
      [
        'an old .xls (OLE2) file',
        () => upload(Buffer.from('d0cf11e0a1b11ae1000000000000000000000000', 'hex'), 'old.xls'),
      ],
      ['a file under the wrong field name', () => upload(Buffer.from(validCsv), 'list.csv', 'upload')],
      [
        'two files in the field',
        () =>
          admin
            .post('/api/enterprises/import')
            .set('X-Requested-With', 'XMLHttpRequest')
            .attach('file', Buffer.from(validCsv), 'a.csv')
            .attach('file', Buffer.from(validCsv), 'b.csv'),
      ],
      [
        'a multipart body without a boundary',
        () =>
          admin
            .post('/api/enterprises/import')
            .set('X-Requested-With', 'XMLHttpRequest')
            .set('content-type', 'multipart/form-data')
            .send(
              Buffer.from(
                `--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n${validCsv}\r\n--x--\r\n`,
              ),
            ),
      ],
      [
        'a truncated multipart body',
        () =>
          admin
            .post('/api/enterprises/import')
            .set('X-Requested-With', 'XMLHttpRequest')
            .set('content-type', 'multipart/form-data; boundary=XyZ')
            .send(
              Buffer.from(
                `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n${validCsv.slice(0, 200)}`,
              ),
            ),
      ],
      [
        'a multipart part without headers',
        () =>
          admin
            .post('/api/enterprises/import')
            .set('X-Requested-With', 'XMLHttpRequest')
            .set('content-type', 'multipart/form-data; boundary=XyZ')
            .send(Buffer.from(`--XyZ\r\n\r\n${validCsv}\r\n--XyZ--\r\n`)),
      ],
      [
        'a multipart body with a 1 MB header line',
        () =>
          admin
            .post('/api/enterprises/import')
            .set('X-Requested-With', 'XMLHttpRequest')
            .set('content-type', 'multipart/form-data; boundary=XyZ')
            .send(
              Buffer.from(
                `--XyZ\r\nContent-Disposition: form-data; name="file"; filename="${huge}"\r\n\r\n${validCsv}\r\n--XyZ--\r\n`,
              ),
            ),
      ],
      [
        'a multipart body with only text fields',
        () => importRequest().field('file', validCsv).field('other', 'x'),
      ],
      ['JSON instead of multipart', () => importRequest().send({ file: validCsv })],
    ];

    it.each(CASES)('refuses %s', async (_case, send) => {
      expect(await refusal(send)).toEqual(REFUSED);
    });

    it('refuses an XLSX over IMPORT_MAX_MB with 413', async () => {
      const res = await expectRefused(
        () => upload(Buffer.concat([validXlsx, Buffer.alloc(1.5 * MB)]), 'big.xlsx'),
        {
          status: 413,
        },
      );
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('imports a CSV with mixed line endings row by row', async () => {
      const items = [
        { input: enterpriseInput({ name: '换行甲有限公司' }), measures: [measure()] },
        { input: enterpriseInput({ name: '换行乙有限公司' }), measures: [measure()] },
        { input: enterpriseInput({ name: '换行丙有限公司' }), measures: [measure()] },
      ];
      const lines = (await toBuffer('csv', rows(items))).toString('utf8').split(/\r?\n/).filter(Boolean);
      const mixed = `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r${lines[3]}\n`;
      const res = await upload(Buffer.from(mixed), 'mixed.csv').expect(200);
      expect(res.body).toMatchObject({ imported: 3 });
      for (const { input } of items) {
        const { body } = await admin.get('/api/enterprises').query({ q: input.creditCode }).expect(200);
        expect(body.items).toEqual([expect.objectContaining({ name: input.name })]);
      }
    });

    it('imports a UTF-16LE CSV with a BOM exactly', async () => {
      const input = enterpriseInput({ name: 'UTF16导入𠀀有限公司' });
      const csv = (await toBuffer('csv', rows([{ input, measures: [measure()] }]))).toString('utf8');
      await upload(
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv.replace(/^\uFEFF/, ''), 'utf16le')]),
        'utf16.csv',
      ).expect(200);
      const { body } = await admin.get('/api/enterprises').query({ q: input.creditCode }).expect(200);
      expect(body.items).toEqual([expect.objectContaining({ name: input.name })]);
    });

    it('imports odd but valid text from a CSV verbatim', async () => {
      const items = LEGIT_TEXT.filter(([, text]) => !/^[=+\-@]/.test(text)).map(([, text]) => ({
        input: enterpriseInput({ name: `${text}导入`, address: text }),
        measures: [measure({ description: text })],
      }));
      await upload(await toBuffer('csv', rows(items)), 'odd.csv').expect(200);
      for (const item of items) {
        const { body } = await admin.get('/api/enterprises').query({ q: item.input.creditCode }).expect(200);
        expect(body.items).toEqual([
          expect.objectContaining({ name: item.input.name, address: item.input.address }),
        ]);
      }
    });
  });
});
