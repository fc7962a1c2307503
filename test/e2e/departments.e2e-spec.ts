import { DepartmentDuties1795900000601 } from '../../src/database/migrations/1795900000601-department-duties.migration';
import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { createTestApp, TestApp } from '../support/test-app';

const SEEDED = ['ZHUJIAN', 'JIAOTONG', 'JIAOJING', 'CHENGGUAN', 'GONGXIN', 'SHANGWU', 'QIXIANG', 'SHENGTAI'];

describe('city departments (reference data) and their duties per level (ruleset data)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('seeds the departments the plan names, without addresses outside demo mode, and lists them to the signed-in', async () => {
    await t.http().get('/api/departments').expect(401);
    const agent = await t.signIn(['AUDITOR']);
    const { body } = await agent.get('/api/departments').expect(200);
    expect(body.map((d: { code: string }) => d.code)).toEqual(SEEDED);
    expect(body[0]).toEqual({
      code: 'ZHUJIAN',
      name: '市住建局',
      email: null,
      phone: null,
      sort: 1,
      active: true,
    });
    expect(body.map((d: { name: string }) => d.name)).toContain('市公安交警支队');
  });

  it('lets only the admin save the list: validated, audited, left-out departments kept but inactive', async () => {
    const duty = await t.signIn(['DUTY_OFFICER']);
    const admin = await t.signIn(['ADMIN']);
    const list = [
      { code: 'ZHUJIAN', name: '市住建局', email: 'ZhuJian@Test.example', phone: '0358-8221234', sort: 2 },
      { code: 'QIXIANG', name: '市气象局', email: 'qixiang@test.example', phone: '', sort: 1 },
      { code: 'SHICHANG', name: '市市场监管局', email: null, sort: 3 },
    ];
    expect((await duty.put('/api/departments').send({ departments: list }).expect(403)).body.error.code).toBe(
      'FORBIDDEN',
    );
    const bad = await admin
      .put('/api/departments')
      .send({
        departments: [...list, { code: 'zhujian', name: '', email: 'not an email', phone: 'abc', sort: 1.5 }],
      })
      .expect(422);
    expect(bad.body.error.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'departments[3].code',
      'departments[3].email',
      'departments[3].name',
      'departments[3].phone',
      'departments[3].sort',
    ]);
    const dup = await admin
      .put('/api/departments')
      .send({ departments: [list[0], list[0]] })
      .expect(422);
    expect(dup.body.error.fields).toEqual([
      { field: 'departments[1].code', message: '部门代码 ZHUJIAN 重复' },
    ]);

    const { body } = await admin.put('/api/departments').send({ departments: list }).expect(200);
    expect(body.slice(0, 3)).toEqual([
      {
        code: 'QIXIANG',
        name: '市气象局',
        email: 'qixiang@test.example',
        phone: null,
        sort: 1,
        active: true,
      },
      {
        code: 'ZHUJIAN',
        name: '市住建局',
        email: 'zhujian@test.example',
        phone: '0358-8221234',
        sort: 2,
        active: true,
      },
      { code: 'SHICHANG', name: '市市场监管局', email: null, phone: null, sort: 3, active: true },
    ]);
    expect(
      body
        .filter((d: { active: boolean }) => !d.active)
        .map((d: { code: string }) => d.code)
        .sort(),
    ).toEqual(['CHENGGUAN', 'GONGXIN', 'JIAOJING', 'JIAOTONG', 'SHANGWU', 'SHENGTAI']);
    const [entry] = await t.dataSource.query(
      "SELECT data FROM audit_entry WHERE action = 'departments.updated' ORDER BY id DESC LIMIT 1",
    );
    expect(entry.data.before.find((d: { code: string }) => d.code === 'ZHUJIAN').email).toBeNull();
    expect(entry.data.after.find((d: { code: string }) => d.code === 'ZHUJIAN').email).toBe(
      'zhujian@test.example',
    );
    // A re-run of the seeds keeps the admin's list; demo mode fills only the addresses still missing.
    await t.app.get(DatabaseBootstrapService).prepare({ demo: true, demoPassword: 'demo' });
    const after = await t.dataSource.query<Array<{ code: string; email: string | null }>>(
      "SELECT code, email FROM department WHERE code IN ('ZHUJIAN', 'JIAOJING', 'SHICHANG') ORDER BY code",
    );
    expect(after).toEqual([
      { code: 'JIAOJING', email: 'jiaojing@lvliang.example' },
      { code: 'SHICHANG', email: null },
      { code: 'ZHUJIAN', email: 'zhujian@test.example' },
    ]);
  });

  it('keeps the duties per level with the ruleset, seeded from the plan, and fills recorded rulesets by migration', async () => {
    const agent = await t.signIn(['AUDITOR']);
    const { body } = await agent.get('/api/rulesets/MEE-2024').expect(200);
    const duties = body.definition.departmentDuties;
    expect(Object.keys(duties).sort()).toEqual(['ORANGE', 'RED', 'YELLOW']);
    const of = (level: string, code: string) =>
      duties[level]
        .filter((d: { department: string }) => d.department === code)
        .map((d: { duty: string }) => d.duty);
    expect(of('YELLOW', 'ZHUJIAN').join()).toContain('土石方');
    expect(of('ORANGE', 'CHENGGUAN').join()).toContain('户外涂装');
    expect(of('ORANGE', 'JIAOJING').join()).toContain('货车');
    expect(of('YELLOW', 'QIXIANG').join()).toContain('人工影响天气');
    expect(of('YELLOW', 'GONGXIN')).toEqual([]);
    expect(of('ORANGE', 'GONGXIN')).toHaveLength(1);

    await t.dataSource.query("UPDATE ruleset SET definition = definition - 'departmentDuties'");
    const runner = t.dataSource.createQueryRunner();
    try {
      await new DepartmentDuties1795900000601().up(runner);
    } finally {
      await runner.release();
    }
    const rows = await t.dataSource.query<Array<{ id: string; levels: string[] }>>(
      "SELECT id, ARRAY(SELECT jsonb_object_keys(definition->'departmentDuties')) AS levels FROM ruleset ORDER BY id",
    );
    expect(rows.map((r) => [r.id, [...r.levels].sort()])).toEqual([
      ['MEE-2017', ['BLUE', 'ORANGE', 'RED', 'YELLOW']],
      ['MEE-2024', ['ORANGE', 'RED', 'YELLOW']],
      ['SHANXI-2020', ['ORANGE', 'RED', 'YELLOW']],
    ]);
  });
});
