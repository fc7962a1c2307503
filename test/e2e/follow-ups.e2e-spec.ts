import { randomUUID } from 'node:crypto';
import { postForm } from '../support/console-forms';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { unzipTexts } from '../support/unzip';

/** Reads a binary answer whole (supertest would otherwise try to parse it as text). */
function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * Issue 17, "Follow-up records per order": a phone call, a visit or a note with its outcome, recorded by the duty
 * office or the command, listed per order and per warning, audited, in the timeline, the assessment and the bundle.
 */
describe('follow-up records of an order', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let firstId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    s = await scenario(t, { sink })
      .enterprises([
        {
          key: 'jia',
          input: {
            name: '孝义跟进甲焦化有限公司',
            contacts: [{ name: '王某', role: '环保负责人', email: 'jia@test.example', phone: '13912345678' }],
          },
        },
        { key: 'yi', input: { name: '汾阳跟进乙焦化有限公司', countyCode: '141182' } },
      ])
      .warning({ level: 'ORANGE', countyCodes: ['141181', '141182'], reason: '会商研判,污染已较重' })
      .approved()
      .delivered();
    t.clock.set('2026-11-28T11:30:00+08:00');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const url = (key: string) => `/api/orders/${s.orders[key]}/follow-ups`;

  it('records a phone call (now, unless told when) and lists it for the order', async () => {
    const res = await s.agents.duty
      .post(url('jia'))
      .send({ kind: 'PHONE_CALL', outcome: 'REACHED', contactName: '王某', note: '称已停一条焦炉,下午报告' })
      .expect(201);
    expect(res.body).toMatchObject({
      orderId: s.orders.jia,
      alertId: s.alertId,
      enterpriseId: s.ids.jia,
      enterpriseName: '孝义跟进甲焦化有限公司',
      countyCode: '141181',
      kind: 'PHONE_CALL',
      kindName: '电话',
      outcome: 'REACHED',
      outcomeName: '已接通',
      contactName: '王某',
      note: '称已停一条焦炉,下午报告',
      happenedAt: '2026-11-28T03:30:00.000Z',
    });
    firstId = res.body.id;
    const visit = await s.agents.commander
      .post(url('jia'))
      .send({ kind: 'VISIT', outcome: 'COMPLIANT', happenedAt: '2026-11-28T11:00:00+08:00' })
      .expect(201);
    expect(visit.body).toMatchObject({
      contactName: null,
      note: null,
      happenedAt: '2026-11-28T03:00:00.000Z',
    });

    const list = await s.agents.duty.get(url('jia')).expect(200);
    // Newest first by when it happened: the 11:30 call, then the 11:00 visit.
    expect(list.body.map((f: { id: string }) => f.id)).toEqual([firstId, visit.body.id]);
    expect(list.body[1].recordedBy).toBe(visit.body.recordedBy);
    const auditor = await t.signIn(['AUDITOR']);
    await auditor.get(url('jia')).expect(200);
  });

  it('lists a warning’s follow-ups newest first, a page at a time', async () => {
    await s.agents.duty
      .post(url('yi'))
      .send({ kind: 'NOTE', outcome: 'OTHER', note: '已转汾阳分局' })
      .expect(201);
    const all = await s.agents.duty.get(`/api/alerts/${s.alertId}/follow-ups`).expect(200);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((f: { kind: string }) => f.kind)).toEqual(['NOTE', 'PHONE_CALL', 'VISIT']);
    const second = await s.agents.duty
      .get(`/api/alerts/${s.alertId}/follow-ups?page=2&pageSize=1`)
      .expect(200);
    expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(second.body.items.map((f: { id: string }) => f.id)).toEqual([firstId]);
    await s.agents.duty.get(`/api/alerts/${randomUUID()}/follow-ups`).expect(404);
    const bad = await s.agents.duty.get(`/api/alerts/${s.alertId}/follow-ups?pageSize=500`).expect(422);
    expect(bad.body.error.fields[0]).toEqual({ field: 'pageSize', message: '每页条数不能大于200' });
  });

  it('refuses bad input naming the field in Chinese, and a time in the future or before the order', async () => {
    const fields = async (body: object) =>
      (await s.agents.duty.post(url('jia')).send(body).expect(422)).body.error.fields as Array<{
        field: string;
        message: string;
      }>;
    expect(await fields({ kind: 'PHONE_CALL' })).toEqual([
      {
        field: 'outcome',
        message:
          '结果应为以下之一:REACHED(已接通)、NOT_REACHED(未接通)、PROMISED(承诺落实)、REFUSED(拒不落实)、COMPLIANT(已落实)、NON_COMPLIANT(未落实)、OTHER(其他)',
      },
    ]);
    expect(await fields({ kind: 'EMAIL', outcome: 'REACHED' })).toEqual([
      { field: 'kind', message: '类型应为以下之一:PHONE_CALL(电话)、VISIT(现场检查)、NOTE(备注)' },
    ]);
    expect(await fields({ kind: 'NOTE', outcome: 'OTHER', note: '长'.repeat(2001) })).toEqual([
      { field: 'note', message: '说明长度不能超过2000个字符' },
    ]);
    expect(await fields({ kind: 'NOTE', outcome: 'OTHER', happenedAt: '2026-11-28T11:31:00+08:00' })).toEqual(
      [{ field: 'happenedAt', message: '跟进时间不能晚于当前时间' }],
    );
    // The order was written when the commander approved, at 10:00.
    expect(await fields({ kind: 'NOTE', outcome: 'OTHER', happenedAt: '2026-11-28T09:59:00+08:00' })).toEqual(
      [{ field: 'happenedAt', message: '跟进时间不能早于指令下达时间' }],
    );
    const [zone] = await fields({ kind: 'NOTE', outcome: 'OTHER', happenedAt: '2026-11-28T11:00' });
    expect(zone.field).toBe('happenedAt');
    expect(zone.message).toMatch(/需带时区/);
    const count = await t.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM order_follow_up',
    );
    expect(count[0].n).toBe(3);
  });

  it('is for the duty office and the command only, and 404 for an unknown order', async () => {
    for (const role of ['AUDITOR', 'ADMIN'] as const) {
      const res = await (await t.signIn([role])).post(url('jia')).send({ kind: 'NOTE', outcome: 'OTHER' });
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    await t.http().post(url('jia')).send({ kind: 'NOTE', outcome: 'OTHER' }).expect(401);
    const unknown = await s.agents.duty
      .post(`/api/orders/${randomUUID()}/follow-ups`)
      .send({ kind: 'NOTE', outcome: 'OTHER' })
      .expect(404);
    expect(unknown.body.error.message).toBe('指令不存在');
    await s.agents.duty.get('/api/orders/not-an-id/follow-ups').expect(404);
  });

  it('audits each follow-up with its kind and outcome, and shows it in the warning’s timeline', async () => {
    const entries = await t.dataSource.query<
      Array<{ actor_name: string; subject_type: string; subject_id: string; alert_id: string; data: object }>
    >(
      `SELECT actor_name, subject_type, subject_id, alert_id, data FROM audit_entry
        WHERE action = 'order.followed-up' ORDER BY id`,
    );
    expect(entries).toHaveLength(3);
    expect(entries[0]).toMatchObject({
      subject_type: 'order',
      subject_id: s.orders.jia,
      alert_id: s.alertId,
    });
    expect(entries[0].data).toEqual({
      followUpId: firstId,
      enterpriseName: '孝义跟进甲焦化有限公司',
      kind: 'PHONE_CALL',
      outcome: 'REACHED',
      contactName: '王某',
      note: '称已停一条焦炉,下午报告',
      happenedAt: '2026-11-28T03:30:00.000Z',
    });
    const timeline = await s.agents.duty.get(`/api/alerts/${s.alertId}/timeline?limit=1000`).expect(200);
    expect(timeline.body.items.map((e: { summary: string }) => e.summary)).toContain(
      '记录跟进情况:孝义跟进甲焦化有限公司 · 电话 · 已接通 · 王某',
    );
    const page = await s.agents.duty.get(`/alerts/${s.alertId}/timeline`).expect(200);
    expect(page.text).toContain('记录跟进情况:孝义跟进甲焦化有限公司 · 现场检查 · 已落实');
  });

  it('counts the follow-ups in the assessment, per county and in all', async () => {
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/assessment`).expect(200);
    expect(body.followUps).toEqual({
      total: 3,
      byKind: { PHONE_CALL: 1, VISIT: 1, NOTE: 1 },
      byCounty: [
        { code: '141181', name: '孝义市', count: 2 },
        { code: '141182', name: '汾阳市', count: 1 },
      ],
    });
    const page = await s.agents.duty.get(`/alerts/${s.alertId}/assessment`).expect(200);
    const line = /<tr id="assessment-follow-ups">([\s\S]*?)<\/tr>/.exec(page.text)![1];
    expect(line).toContain('3 次(电话 1,现场检查 1,备注 1):孝义市 2、汾阳市 1');
  });

  it('puts the follow-ups in the evidence bundle, each with the audit entry that recorded it', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor.get(`/api/alerts/${s.alertId}/evidence`).buffer(true).parse(binary).expect(200);
    const files = await unzipTexts(res.body as Buffer);
    const followUps = JSON.parse(files.get('follow-ups.json')!) as Array<Record<string, unknown>>;
    expect(followUps.map((f) => [f.kind, f.outcome, f.enterpriseName])).toEqual([
      ['VISIT', 'COMPLIANT', '孝义跟进甲焦化有限公司'],
      ['PHONE_CALL', 'REACHED', '孝义跟进甲焦化有限公司'],
      ['NOTE', 'OTHER', '汾阳跟进乙焦化有限公司'],
    ]);
    const call = followUps[1] as { followUpId: string; records: Array<{ seq: string; hash: string }> };
    expect(call.followUpId).toBe(firstId);
    expect(call.records).toHaveLength(1);
    const entries = files
      .get('audit-entries.jsonl')!
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { id: string; hash: string; action: string; data: { followUpId?: string } },
      );
    const entry = entries.find((e) => e.id === call.records[0].seq)!;
    expect(entry).toMatchObject({ action: 'order.followed-up', hash: call.records[0].hash });
    expect(entry.data.followUpId).toBe(firstId);
    expect(files.get('README.txt')).toContain('follow-ups.json');
  });

  it('is recorded from the console: a small form, back to the warning, the latest shown in its row', async () => {
    const form = await s.agents.duty.get(`/orders/${s.orders.jia}/follow-ups?kind=PHONE_CALL`).expect(200);
    expect(form.text).toContain('<option value="PHONE_CALL" selected>电话</option>');
    expect(form.text).toContain('王某(环保负责人) <a href="tel:13912345678">13912345678</a>');
    expect(form.text).toContain('以往跟进(2)');

    t.clock.set('2026-11-28T12:20:00+08:00');
    const res = await postForm(s.agents.duty, `/orders/${s.orders.jia}/follow-ups`, {
      kind: 'PHONE_CALL',
      outcome: 'PROMISED',
      contactName: '王某',
      happenedAt: '2026-11-28T12:15',
      note: '',
    });
    expect([res.status, res.headers.location]).toEqual([
      303,
      `/alerts/${s.alertId}?msg=followed-up#non-responders`,
    ]);
    const page = await s.agents.duty.get(`/alerts/${s.alertId}?msg=followed-up`).expect(200);
    expect(page.text).toContain('跟进情况已记录。');
    const row = new RegExp(`<tr data-non-responder="${s.orders.jia}">[\\s\\S]*?</tr>`).exec(page.text)![0];
    expect(row).toContain('<td class="latest-follow-up">11-28 12:15 电话 承诺落实 王某</td>');
    expect(row).toContain(`href="/orders/${s.orders.jia}/follow-ups?kind=PHONE_CALL"`);

    // A time in the future: the form again, with the error beside the field, nothing written.
    const refused = await postForm(s.agents.duty, `/orders/${s.orders.jia}/follow-ups`, {
      kind: 'PHONE_CALL',
      outcome: 'REACHED',
      happenedAt: '2026-11-28T13:00',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      '<span class="field-error" id="happened-at-error">跟进时间不能晚于当前时间</span>',
    );
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM order_follow_up WHERE order_id = $1',
      [s.orders.jia],
    );
    expect(n).toBe(3);

    // Auditors read the records but get no form and no 记录电话 link.
    const auditor = await t.signIn(['AUDITOR']);
    const readOnly = await auditor.get(`/orders/${s.orders.jia}/follow-ups`).expect(200);
    expect(readOnly.text).not.toContain('id="follow-up-form"');
    expect(readOnly.text).toContain('以往跟进(3)');
    expect((await auditor.get(`/alerts/${s.alertId}`).expect(200)).text).not.toContain('class="record-call"');
    expect((await postForm(auditor, `/orders/${s.orders.jia}/follow-ups`, {})).status).toBe(403);
  });
});
