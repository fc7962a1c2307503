import Ajv, { type ValidateFunction } from 'ajv';
import { scenario, type Scenario } from '../support/scenario';
import { createTestApp, TestApp } from '../support/test-app';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
};
type Operation = { responses: Record<string, { content?: Record<string, { schema: Json }> }> };

/**
 * OpenAPI 3.0 schema → JSON Schema for ajv: `nullable` becomes a null alternative, refs point into the document,
 * and an object that lists its properties allows no others (an undocumented field fails the test too).
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: { [k: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'nullable' || k === 'example') continue;
    out[k] = k === '$ref' && typeof v === 'string' ? `doc${v}` : toJsonSchema(v);
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  // Also for `type: object` with `allOf: [$ref]`, as @nestjs/swagger writes a nullable DTO.
  return node.nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

describe('live responses match the OpenAPI document', () => {
  let t: TestApp;
  let s: Scenario;
  let doc: Doc;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('binary', true);

  /** Validates a live answer against the schema the document gives for that operation and status. */
  function check(path: string, method: string, res: { status: number; body: unknown }): void {
    const op = doc.paths[path]?.[method];
    if (!op) throw new Error(`${method} ${path} is not in the document`);
    const schema = op.responses[String(res.status)]?.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${path} documents no JSON schema for ${res.status}`);
    const validate: ValidateFunction = ajv.compile(toJsonSchema(schema) as object);
    const ok = validate(res.body);
    expect({ path, method, status: res.status, errors: ok ? [] : validate.errors }).toEqual({
      path,
      method,
      status: res.status,
      errors: [],
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-28T10:00:00+08:00');
    doc = (await t.http().get('/api/docs-json').expect(200)).body as Doc;
    ajv.addSchema({ components: { schemas: toJsonSchema(doc.components.schemas) } }, 'doc');
    s = await scenario(t)
      .enterprises([{ key: 'jia' }, { key: 'yi', input: { countyCode: '141182', address: null } }])
      .warning({ level: 'ORANGE', effectiveAt: '2026-11-28T20:00:00+08:00' })
      .approved();
  });
  afterAll(() => t.close());

  it('the alerts list and detail', async () => {
    check('/api/alerts', 'get', await s.agents.duty.get('/api/alerts'));
    const one = await s.agents.duty.get(`/api/alerts/${s.alertId}`).expect(200);
    expect(one.body.revisions).toHaveLength(1);
    check('/api/alerts/{id}', 'get', one);
  });

  it('the preview of a warning with a pending change', async () => {
    const lift = await s.agents.duty
      .post(`/api/alerts/${s.alertId}/extend`)
      .send({ expectedEndAt: '2026-12-05T20:00:00+08:00', reason: '预报污染持续' });
    check('/api/alerts/{id}/extend', 'post', lift);
    expect(lift.body.pendingChange).not.toBeNull();
    check('/api/alerts/{id}/preview', 'get', await s.agents.duty.get(`/api/alerts/${s.alertId}/preview`));
  });

  it('the enterprise list, detail and plan', async () => {
    check('/api/enterprises', 'get', await s.agents.duty.get('/api/enterprises'));
    const yi = await s.agents.duty.get(`/api/enterprises/${s.ids.yi}`).expect(200);
    expect(yi.body.address).toBeNull();
    check('/api/enterprises/{id}', 'get', yi);
    check('/api/enterprises/{id}/plan', 'get', await s.agents.duty.get(`/api/enterprises/${s.ids.jia}/plan`));
  });

  it('standing conditions: the list, its replacement, a check and the findings (issue 18)', async () => {
    const { admin, duty } = s.agents;
    await admin
      .put(`/api/enterprises/${s.ids.jia}/metering-points`)
      .send({ points: [{ kind: 'OUTLET_CEMS', code: 'DA001', limits: { so2: 30, pm: 10 } }] })
      .expect(200);
    const put = await admin.put(`/api/enterprises/${s.ids.jia}/standing-conditions`).send({
      conditions: [
        {
          name: '焦炉烟气深度治理限值',
          basis: '第5项',
          limits: { so2: 15 },
          validFrom: '2023-01-01',
          validTo: null,
        },
      ],
    });
    check('/api/enterprises/{id}/standing-conditions', 'put', put);
    check(
      '/api/enterprises/{id}/standing-conditions',
      'get',
      await duty.get(`/api/enterprises/${s.ids.jia}/standing-conditions`),
    );
    check('/api/standing-conditions/check', 'post', await duty.post('/api/standing-conditions/check'));
    // No readings at all: the outlet's hours are missing data.
    const findings = await duty.get('/api/standing-condition-findings').expect(200);
    expect(findings.body.items.map((f: { kind: string }) => f.kind)).toEqual(['MISSING_DATA']);
    check('/api/standing-condition-findings', 'get', findings);
  });

  it('errors: a 404 and a 422 in the shared error shape', async () => {
    const missing = await s.agents.duty.get('/api/alerts/00000000-0000-4000-8000-000000000000').expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    check('/api/alerts/{id}', 'get', missing);
    const bad = await s.agents.duty.get('/api/alerts?status=NOPE').expect(422);
    expect(bad.body.error.fields[0].field).toBe('status');
    check('/api/alerts', 'get', bad);
  });

  it('the validator catches an answer that breaks the schema', async () => {
    const one = await s.agents.duty.get(`/api/alerts/${s.alertId}`).expect(200);
    const schema = doc.paths['/api/alerts/{id}'].get.responses['200'].content!['application/json'].schema;
    const validate = ajv.compile(toJsonSchema(schema) as object);
    expect(validate({ ...one.body, level: 42 })).toBe(false);
    expect(validate({ ...one.body, undocumented: 1 })).toBe(false);
  });
});
