import { enterpriseInput, measure } from '../factories/enterprise.factory';
import { formToken, postForm } from '../support/console-forms';
import { createTestApp, TestApp } from '../support/test-app';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * Issue 16, "Plan editor": the plan's versions (who, when, relaxations), the diff of two versions over the API and
 * in the console, and the editor's fields per action with every error at once.
 */
describe('plan versions, their diff and the editor', () => {
  let t: TestApp;
  let admin: Agent;
  let duty: Agent;
  let id: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(['ADMIN'], 'plan-admin');
    duty = await t.signIn(['DUTY_OFFICER'], 'plan-duty');
    await t.dataSource.query(`UPDATE app_user SET display_name = '王方案' WHERE username = 'plan-admin'`);
    id = (
      await admin
        .post('/api/enterprises')
        .send(enterpriseInput({ name: '版本对比焦化有限公司' }))
        .expect(201)
    ).body.id;
    await admin
      .put(`/api/enterprises/${id}/plan`)
      .send({
        measures: [
          measure({ level: 'YELLOW', params: { percent: 20 }, description: '限产20%' }),
          measure({ level: 'ORANGE', params: { percent: 20 }, description: '限产20%' }),
          measure({
            level: 'ORANGE',
            action: 'EXTEND_COKING_HOURS',
            params: { hours: 36 },
            description: '延长结焦',
          }),
        ],
      })
      .expect(200);
    // Version 2: yellow's and orange's percents raised, orange's longer coking dropped, a red stop added; orange
    // now limits less than yellow on the same line (a relaxation the version carries).
    await admin
      .put(`/api/enterprises/${id}/plan`)
      .send({
        measures: [
          measure({ level: 'YELLOW', params: { percent: 30 }, description: '限产30%' }),
          measure({ level: 'ORANGE', params: { percent: 25 }, description: '限产25%' }),
          measure({ level: 'RED', action: 'STOP', params: {}, description: '停产', verification: 'CEMS' }),
        ],
      })
      .expect(200);
  });
  afterAll(() => t.close());

  it('answers the diff of two versions by level: added, removed, changed field by field, unchanged', async () => {
    const { body } = await duty.get(`/api/enterprises/${id}/plan/diff?from=1&to=2`).expect(200);
    expect(body.from).toMatchObject({ version: 1, createdBy: 'plan-admin', createdByName: '王方案' });
    expect(body.to).toMatchObject({ version: 2, measureCount: 3 });
    expect(body.counts).toEqual({ added: 1, removed: 1, changed: 2, unchanged: 0 });
    const byLevel = Object.fromEntries(body.levels.map((l: { level: string }) => [l.level, l]));
    expect(byLevel.YELLOW.changed[0].changes).toEqual([
      { field: 'params.percent', before: 20, after: 30 },
      { field: 'description', before: '限产20%', after: '限产30%' },
    ]);
    expect(byLevel.ORANGE.removed.map((m: { action: string }) => m.action)).toEqual(['EXTEND_COKING_HOURS']);
    expect(byLevel.ORANGE.changed[0].changes).toEqual([
      { field: 'params.percent', before: 20, after: 25 },
      { field: 'description', before: '限产20%', after: '限产25%' },
    ]);
    expect(byLevel.RED.added.map((m: { action: string }) => m.action)).toEqual(['STOP']);
  });

  it('refuses a version that is not a number, naming it in Chinese, and says a missing version is not there', async () => {
    const bad = await duty.get(`/api/enterprises/${id}/plan/diff?from=abc&to=2`).expect(422);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.fields).toEqual([
      expect.objectContaining({ field: 'from', message: expect.stringContaining('对比的原版本') }),
    ]);
    await duty.get(`/api/enterprises/${id}/plan/diff?to=2`).expect(422);
    const missing = await duty.get(`/api/enterprises/${id}/plan/diff?from=1&to=9`).expect(404);
    expect(missing.body.error.message).toBe('第9版方案不存在');
  });

  it('lists the versions newest first, with the author’s display name and the relaxations a version carries', async () => {
    const { body } = await duty.get(`/api/enterprises/${id}/plan/versions`).expect(200);
    expect(body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(body[0].relaxations.map((r: { code: string }) => r.code)).toEqual(['PLAN_RELAXES']);
    expect(body[1].relaxations).toEqual([]);
    const page = await duty.get(`/enterprises/${id}`).expect(200);
    const versionTwo = /<tr data-version="2">([\s\S]*?)<\/tr>/.exec(page.text)![1];
    expect(versionTwo).toContain('王方案');
    expect(versionTwo).toContain('放宽1处');
    expect(/<tr data-version="1">([\s\S]*?)<\/tr>/.exec(page.text)![1]).toContain('无');
  });

  it('shows the diff page with the changed field old → new', async () => {
    const page = await duty.get(`/enterprises/${id}/plan/diff?from=1&to=2`).expect(200);
    expect(page.text).toMatch(
      /限产比例:<span class="diff-old">20 %<\/span> → <span class="diff-new">30 %<\/span>/,
    );
    expect(page.text).toContain('新增 1 条 · 删除 1 条 · 修改 2 条 · 未变 0 条');
    // Without a choice: the current version against the one before.
    expect((await duty.get(`/enterprises/${id}/plan/diff`).expect(200)).text).toContain('第1版');
    await duty.get(`/enterprises/${id}/plan/diff?from=x`).expect(422);
  });

  it('shows every error of the editor at once, by measure and field in Chinese, keeping the values', async () => {
    const before = (await admin.get(`/api/enterprises/${id}/plan`).expect(200)).body.version;
    const token = await formToken(admin, `/enterprises/${id}/plan`);
    const res = await admin
      .post(`/enterprises/${id}/plan`)
      .type('form')
      .send(
        new URLSearchParams({
          _csrf: token,
          rowCount: '2',
          // The form's own error: the percent is left empty.
          'm.0.level': 'YELLOW',
          'm.0.action': 'LIMIT_PERCENT',
          'm.0.description': '限产',
          'm.0.so2': '5',
          'm.0.verification': 'CEMS',
          // The plan checks' error: more SO2 than the enterprise emits (baseline 100).
          'm.1.level': 'RED',
          'm.1.action': 'STOP',
          'm.1.description': '停产',
          'm.1.so2': '500',
          'm.1.verification': 'CEMS',
        }).toString(),
      )
      .expect(422);
    expect(res.text).toContain('第1条措施 限产比例：请填写');
    expect(res.text).toContain('第2条措施 SO₂减排量：SO₂ 减排量 500 超过企业基准排放 100 kg/d');
    expect(res.text).toContain('name="m.1.so2" value="500"');
    expect((await admin.get(`/api/enterprises/${id}/plan`).expect(200)).body.version).toBe(before);
  });

  it('saves the editor’s rows with the parameters of the action only, and says which version it saved', async () => {
    const ok = await postForm(
      admin,
      `/enterprises/${id}/plan`,
      {
        rowCount: '1',
        'm.0.level': 'ORANGE',
        'm.0.line': 'JL1',
        'm.0.action': 'CONCENTRATION_CAP',
        'm.0.p.pm': '10',
        'm.0.p.percent': '40',
        'm.0.description': '颗粒物限值',
        'm.0.pm': '2',
        'm.0.verification': 'CEMS',
      },
      `/enterprises/${id}/plan`,
    );
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/enterprises/${id}?saved=3`);
    const plan = await admin.get(`/api/enterprises/${id}/plan`).expect(200);
    expect(plan.body.measures).toEqual([
      expect.objectContaining({
        action: 'CONCENTRATION_CAP',
        params: { pm: 10 },
        reduction: { so2: 0, nox: 0, pm: 2, vocs: 0 },
      }),
    ]);
    expect((await admin.get(ok.headers.location).expect(200)).text).toContain('已保存为第3版');
    // A made-up version number is not announced.
    expect((await admin.get(`/enterprises/${id}?saved=7`).expect(200)).text).not.toContain('已保存为');
  });
});
