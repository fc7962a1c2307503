import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

describe('enterprises: registry, plans, RBAC', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN']);
    duty = await t.signIn(['DUTY_OFFICER']);
  });
  afterAll(() => t.close());

  const count = async (table: string) =>
    Number((await t.dataSource.query(`SELECT count(*) AS n FROM ${table}`))[0].n);
  const lastAudit = (action: string) =>
    t.dataSource.getRepository(AuditEntry).findOne({ where: { action }, order: { id: 'DESC' } });

  it('creates, reads, updates and archives an enterprise, auditing each change', async () => {
    const input = enterpriseInput({
      name: '山西福裕焦化有限公司',
      countyCode: '141129',
      controlTags: ['DIFFERENTIATED_CONTROL'],
    });
    const created = await admin.post('/api/enterprises').send(input).expect(201);
    expect(created.body).toMatchObject({ ...input, id: expect.any(String), archived: false });
    const id = created.body.id as string;
    expect((await lastAudit('enterprise.created'))?.data).toMatchObject({
      after: { creditCode: input.creditCode, name: '山西福裕焦化有限公司' },
    });

    expect((await duty.get(`/api/enterprises/${id}`).expect(200)).body.name).toBe('山西福裕焦化有限公司');

    const updated = await admin
      .patch(`/api/enterprises/${id}`)
      .send({ grade: 'C', baseline: { so2: 120, nox: 200, pm: 50, vocs: 40 } })
      .expect(200);
    expect(updated.body).toMatchObject({ grade: 'C', baseline: { so2: 120 }, name: '山西福裕焦化有限公司' });
    expect((await lastAudit('enterprise.updated'))?.data).toEqual({
      creditCode: input.creditCode,
      changes: { grade: ['B', 'C'], baseline: [input.baseline, { ...input.baseline, so2: 120 }] },
    });

    await admin.delete(`/api/enterprises/${id}`).expect(200);
    const listed = await duty.get('/api/enterprises').query({ q: '福裕' }).expect(200);
    expect(listed.body.total).toBe(0);
    const archived = await duty.get('/api/enterprises').query({ q: '福裕', archived: 'true' }).expect(200);
    expect(archived.body.items.map((e: { id: string }) => e.id)).toEqual([id]);
    await admin.patch(`/api/enterprises/${id}`).send({ archived: false }).expect(200);
    expect((await duty.get('/api/enterprises').query({ q: '福裕' }).expect(200)).body.total).toBe(1);
  });

  it('searches by name, credit code prefix, county, industry, grade and protected flag, with paging', async () => {
    const a = enterpriseInput({
      name: '孝义市搜索测试水泥有限公司',
      countyCode: '141181',
      industry: 'CEMENT',
      grade: 'A',
    });
    const b = enterpriseInput({
      name: '孝义市搜索测试焦化有限公司',
      countyCode: '141181',
      grade: 'D',
      protected: true,
      protectedReason: '供暖',
      protectedMaxLoad: 70,
    });
    for (const e of [a, b]) await admin.post('/api/enterprises').send(e).expect(201);
    const names = async (query: Record<string, string | number>) =>
      (await duty.get('/api/enterprises').query(query).expect(200)).body.items.map(
        (e: { name: string }) => e.name,
      );
    expect(await names({ q: '搜索测试' })).toEqual([a.name, b.name].sort());
    expect(await names({ q: b.creditCode.toLowerCase() })).toEqual([b.name]);
    expect(await names({ q: '搜索测试', industry: 'cement' })).toEqual([a.name]);
    expect(await names({ q: '搜索测试', grade: 'D' })).toEqual([b.name]);
    expect(await names({ q: '搜索测试', protected: 'true' })).toEqual([b.name]);
    expect(await names({ q: '搜索测试', countyCode: '141102' })).toEqual([]);
    const page = await duty
      .get('/api/enterprises')
      .query({ q: '搜索测试', pageSize: 1, page: 2 })
      .expect(200);
    expect(page.body).toMatchObject({
      total: 2,
      page: 2,
      pageSize: 1,
      items: [{ name: expect.any(String) }],
    });
    expect(await names({ q: '100%_' })).toEqual([]);
    const bad = await duty.get('/api/enterprises').query({ pageSize: 100000 }).expect(422);
    expect(bad.body.error.fields[0].field).toBe('pageSize');
  });

  it.each([
    [{ creditCode: '91141102MA0T00001X' }, 'creditCode'],
    [{ countyCode: '999999' }, 'countyCode'],
    [{ industry: 'MINING' }, 'industry'],
    [{ grade: 'E' }, 'grade'],
    [{ contacts: [{ name: '王五', email: 'not-an-email' }] }, 'contacts[0].email'],
    [{ baseline: { so2: 'lots', nox: 1, pm: 1, vocs: 1 } }, 'baseline.so2'],
  ])('refuses %p with a 422 naming %s and writes nothing', async (over, field) => {
    const before = await count('enterprise');
    const res = await admin
      .post('/api/enterprises')
      .send({ ...enterpriseInput(), ...over })
      .expect(422);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await count('enterprise')).toBe(before);
  });

  it('refuses a second enterprise with the same credit code with 409', async () => {
    const input = enterpriseInput();
    await admin.post('/api/enterprises').send(input).expect(201);
    const res = await admin
      .post('/api/enterprises')
      .send({ ...input, name: '另一家' })
      .expect(409);
    expect(res.body.error.code).toBe('CREDIT_CODE_TAKEN');
    expect(res.body.error.fields).toEqual([{ field: 'creditCode', message: '已存在' }]);
  });

  it('lets only ADMIN write: duty officers get 403, anonymous callers 401', async () => {
    await duty.post('/api/enterprises').send(enterpriseInput()).expect(403);
    const { body } = await admin.post('/api/enterprises').send(enterpriseInput()).expect(201);
    await duty.patch(`/api/enterprises/${body.id}`).send({ grade: 'C' }).expect(403);
    await duty.delete(`/api/enterprises/${body.id}`).expect(403);
    await duty.put(`/api/enterprises/${body.id}/plan`).send({ measures: [] }).expect(403);
    await t.http().get('/api/enterprises').expect(401);
    await t.http().get(`/api/enterprises/${body.id}`).expect(401);
    await admin.get('/api/enterprises/00000000-0000-0000-0000-000000000000').expect(404);
    await admin.get('/api/enterprises/not-a-uuid').expect(404);
  });

  describe('plans', () => {
    let id: string;
    beforeAll(async () => {
      id = (
        await admin
          .post('/api/enterprises')
          .send(enterpriseInput({ grade: 'D' }))
          .expect(201)
      ).body.id;
    });

    it('versions the plan on every edit and keeps the previous one in the audit log', async () => {
      expect((await duty.get(`/api/enterprises/${id}/plan`).expect(200)).body).toMatchObject({
        version: null,
        measures: [],
      });
      // What the ruleset asks of a D-grade enterprise (gradeMinimums): stop production and road transport at every level.
      const first = await admin
        .put(`/api/enterprises/${id}/plan`)
        .send({
          season: '2025-2026',
          measures: (['YELLOW', 'ORANGE', 'RED'] as const).flatMap((level) => [
            measure({
              level,
              action: 'STOP',
              params: {},
              description: '停产',
              reduction: { so2: 100, nox: 200, pm: 50, vocs: 40 },
            }),
            measure({
              level,
              line: null,
              action: 'STOP_ROAD_TRANSPORT',
              params: {},
              description: '停止公路运输',
              reduction: { so2: 0, nox: 0, pm: 0, vocs: 0 },
              verification: 'GATE_CAMERA',
            }),
          ]),
        })
        .expect(200);
      expect(first.body).toMatchObject({ season: '2025-2026', version: 1, warnings: [] });
      const second = await admin
        .put(`/api/enterprises/${id}/plan`)
        .send({
          measures: [
            measure({ level: 'YELLOW' }),
            measure({
              level: 'RED',
              line: null,
              action: 'STOP_SHARE',
              params: { share: 50, unit: '炭化室' },
              description: '120小时后停产50%',
              fromHour: 120,
              reduction: { so2: 50, nox: 100, pm: 25, vocs: 20 },
            }),
          ],
        })
        .expect(200);
      expect(second.body.version).toBe(2);
      expect(second.body.measures).toHaveLength(2);
      expect(second.body.measures[1]).toMatchObject({
        level: 'RED',
        fromHour: 120,
        toHour: null,
        params: { share: 50, unit: '炭化室' },
      });
      // The RED measure applies only after 120 h, so RED relaxes YELLOW for its first 120 hours and cuts less at
      // the start; and the plan is short of the D grade's minimum at every level: accepted, reported.
      expect(
        second.body.warnings.map(
          (w: { code: string; level: string; line: string | null; message: string }) => [
            w.code,
            w.level,
            w.line,
            w.message,
          ],
        ),
      ).toEqual([
        [
          'PLAN_RELAXES',
          'RED',
          'JL1',
          '红色预警 JL1:黄色预警的措施“限产20%”在响应第0-120小时没有同等或更严的措施',
        ],
        [
          'GRADE_MINIMUM',
          'YELLOW',
          '5.5米焦炉',
          '黄色预警 5.5米焦炉:D级企业按规则集最低要求须停产,本级仅有“限产20%”',
        ],
        ['GRADE_MINIMUM', 'YELLOW', null, '黄色预警 全厂:D级企业按规则集最低要求须停止公路运输,本级没有'],
        ['GRADE_MINIMUM', 'ORANGE', '5.5米焦炉', '橙色预警 5.5米焦炉:D级企业按规则集最低要求须停产,本级没有'],
        ['GRADE_MINIMUM', 'ORANGE', null, '橙色预警 全厂:D级企业按规则集最低要求须停止公路运输,本级没有'],
        [
          'GRADE_MINIMUM',
          'RED',
          '5.5米焦炉',
          '红色预警 5.5米焦炉:D级企业按规则集最低要求须停产,本级仅有“120小时后停产50%”',
        ],
        ['GRADE_MINIMUM', 'RED', null, '红色预警 全厂:D级企业按规则集最低要求须停止公路运输,本级没有'],
        ['LEVEL_REDUCTION_LOWER', 'RED', null, '红色预警措施的 so2、nox、pm、vocs 减排量低于黄色预警'],
      ]);
      // The plan as it reads now carries the same warnings; the audit entry keeps those it was saved with.
      expect((await duty.get(`/api/enterprises/${id}/plan`).expect(200)).body.warnings).toEqual(
        second.body.warnings,
      );
      const audit = await lastAudit('plan.replaced');
      expect(audit?.data).toMatchObject({
        version: 2,
        warnings: second.body.warnings,
        before: {
          version: 1,
          measures: (['YELLOW', 'ORANGE', 'RED'] as const).flatMap((level) => [
            { level, action: 'STOP' },
            { level, action: 'STOP_ROAD_TRANSPORT' },
          ]),
        },
        after: { measures: [{ level: 'YELLOW' }, { level: 'RED' }] },
      });
      const versions = await t.dataSource.query(
        'SELECT version, is_current FROM plan_version WHERE enterprise_id = $1 ORDER BY version',
        [id],
      );
      expect(versions).toEqual([
        { version: 1, is_current: false },
        { version: 2, is_current: true },
      ]);
    });

    it.each([
      [measure({ level: 'BLUE' }), 'measures[0].level'],
      [measure({ reduction: { so2: 101, nox: 0, pm: 0, vocs: 0 } }), 'measures[0].reduction.so2'],
      [measure({ params: { percent: 150 } }), 'measures[0].params.percent'],
      [measure({ reduction: { so2: -1, nox: 0, pm: 0, vocs: 0 } }), 'measures[0].reduction.so2'],
      [measure({ action: 'PRAY' as never }), 'measures[0].action'],
    ])('refuses a bad measure with the field named, keeping the current version', async (bad, field) => {
      const res = await admin
        .put(`/api/enterprises/${id}/plan`)
        .send({ measures: [bad] })
        .expect(422);
      expect(res.body.error.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect((await duty.get(`/api/enterprises/${id}/plan`).expect(200)).body.version).toBe(2);
    });
  });
});
