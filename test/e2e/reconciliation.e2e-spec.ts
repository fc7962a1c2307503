import { randomUUID } from 'node:crypto';
import { measure } from '../factories/enterprise.factory';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { unzipTexts } from '../support/unzip';
import { ReconciliationJob } from '../../src/scheduler/reconciliation.job';

const XIAOYI = '141181';
const SHILOU = '141126';
const QUARTER = 15 * 60_000;

interface Item {
  id: string;
  enterpriseName: string;
  pointCode: string;
  metric: string;
  kind: string;
  fromAt: string;
  toAt: string;
  hours: number;
  allowed: number;
  observedMax: number | null;
  selfReported: boolean;
  countyCode: string;
}

/**
 * Issue 17, "Telemetry in, compared with the orders": per order in force, per hour, the meters against the measures.
 * A STOP line still at normal power and a cap exceeded are found, a compliant line is not, missing data is its own
 * finding, a finding against the enterprise's own report is flagged, and a county officer sees only their counties.
 */
describe('reconciliation: the meters against the orders', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  const keys: Record<string, string> = {};
  const codes: Record<string, string> = {};

  /** Quarter-hour readings of `point` (信用代码/编码) from `from` to `to` (local times), `value(at)` each. */
  const series = (
    point: string,
    metric: string,
    from: string,
    to: string,
    value: (at: Date) => number | null,
  ) => {
    const out: Array<{ point: string; metric: string; at: string; value: number }> = [];
    for (let ms = Date.parse(`${from}+08:00`); ms < Date.parse(`${to}+08:00`); ms += QUARTER) {
      const v = value(new Date(ms));
      if (v !== null) out.push({ point, metric, at: new Date(ms).toISOString(), value: v });
    }
    return out;
  };
  const push = async (county: string, readings: unknown[]) => {
    const res = await t
      .http()
      .post('/api/telemetry/readings')
      .set('Authorization', `Bearer ${keys[county]}`)
      .send({ readings })
      .expect(200);
    expect(res.body.rejected).toEqual([]);
  };
  const hourOf = (at: Date) =>
    Number(
      new Intl.DateTimeFormat('en', { hour: 'numeric', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(
        at,
      ),
    );
  const local = (iso: string) =>
    new Date(iso).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 16);

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    const stop = [measure({ level: 'ORANGE', action: 'STOP', params: {}, description: '1号焦炉停产' })];
    s = await scenario(t, { sink })
      .enterprises([
        { key: 'stop', input: { name: '孝义核查停产焦化有限公司', grade: 'D' }, measures: stop },
        {
          key: 'limit',
          input: { name: '孝义核查限产焦化有限公司', grade: 'C' },
          measures: [measure({ level: 'ORANGE', params: { percent: 30 }, description: '限产30%' })],
        },
        {
          key: 'cap',
          input: { name: '孝义核查限值钢铁有限公司', grade: 'B' },
          measures: [
            measure({
              level: 'ORANGE',
              line: null,
              action: 'CONCENTRATION_CAP',
              params: { so2: 30 },
              description: '二氧化硫排放浓度不高于30mg/m³',
              verification: 'CEMS',
            }),
          ],
        },
        { key: 'gap', input: { name: '孝义核查断数焦化有限公司', grade: 'D' }, measures: stop },
        { key: 'nometer', input: { name: '孝义核查无表焦化有限公司', grade: 'D' }, measures: stop },
        {
          key: 'shilou',
          input: { name: '石楼核查停产焦化有限公司', grade: 'D', countyCode: SHILOU },
          measures: stop,
        },
      ])
      .warning({ level: 'ORANGE', effectiveAt: '2026-11-28T10:00:00+08:00', reason: '会商研判,污染已较重' })
      .approved()
      .delivered();

    for (const key of ['stop', 'limit', 'gap', 'shilou']) {
      const { body } = await s.agents.admin.get(`/api/enterprises/${s.ids[key]}`).expect(200);
      codes[key] = body.creditCode;
      await s.agents.admin
        .put(`/api/enterprises/${s.ids[key]}/metering-points`)
        .send({ points: [{ kind: 'LINE_POWER', code: 'JL1', name: '1号焦炉', normalPowerKw: 1000 }] })
        .expect(200);
    }
    const cap = await s.agents.admin.get(`/api/enterprises/${s.ids.cap}`).expect(200);
    codes.cap = cap.body.creditCode;
    await s.agents.admin
      .put(`/api/enterprises/${s.ids.cap}/metering-points`)
      .send({
        points: [{ kind: 'OUTLET_CEMS', code: 'DA001', name: '烧结机头', limits: { so2: 35, nox: 50 } }],
      })
      .expect(200);
    for (const county of [XIAOYI, SHILOU]) {
      const { body } = await s.agents.admin
        .post('/api/telemetry/sources')
        .send({ name: `核查测试平台${county}`, countyCode: county })
        .expect(201);
      keys[county] = body.key;
    }

    // 停产 reports its measures in place at 11:00 and still runs at normal power; 限产 draws 60% (allowed 80%);
    // 限值 goes over its cap from 12:00 to 14:00; 断数 stops but sends nothing from 13:00 to 15:00.
    await s.receipt('stop');
    t.clock.set('2026-11-28T11:00:00+08:00');
    await s.report('stop', '2026-11-28T11:00');
    t.clock.set('2026-11-28T16:30:00+08:00');
    const day = (h: string) => `2026-11-28T${h}:00`;
    await push(XIAOYI, [
      ...series(`${codes.stop}/JL1`, 'POWER_KW', day('10:00'), day('16:15'), () => 990),
      ...series(`${codes.limit}/JL1`, 'POWER_KW', day('10:00'), day('16:15'), () => 600),
      ...series(`${codes.cap}/DA001`, 'SO2', day('10:00'), day('16:15'), (at) =>
        hourOf(at) >= 12 && hourOf(at) < 14 ? 45 : 20,
      ),
      ...series(`${codes.gap}/JL1`, 'POWER_KW', day('10:00'), day('16:15'), (at) =>
        hourOf(at) >= 13 && hourOf(at) < 15 ? null : 30,
      ),
    ]);
    await push(
      SHILOU,
      series(`${codes.shilou}/JL1`, 'POWER_KW', day('10:00'), day('16:15'), () => 1000),
    );
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
  });

  const list = async (agent = s.agents.duty, query = '') =>
    (await agent.get(`/api/alerts/${s.alertId}/discrepancies?pageSize=200${query}`).expect(200)).body as {
      items: Item[];
      total: number;
    };

  it('finds a STOP line at normal power and a cap exceeded, nothing for a compliant line, and missing data', async () => {
    const run = await s.agents.duty.post(`/api/alerts/${s.alertId}/reconciliation`).expect(200);
    // Hours 11:00–16:00 (10:00 is the grace hour after the effective time; 16:00–16:30 is not a whole hour yet).
    expect(run.body).toMatchObject({
      orders: 6,
      checks: 5,
      unmetered: 1,
      exceeded: 3,
      missing: 1,
      flagged: 1,
      hoursChecked: 25,
      hoursPassed: 11,
      tolerances: {
        stopMaxShare: 0.1,
        limitTolerance: 0.1,
        capTolerance: 0,
        graceHours: 1,
        lateDataMinutes: 60,
      },
    });
    const { items } = await list();
    const summary = items.map((d) => [
      d.enterpriseName,
      d.pointCode,
      d.metric,
      d.kind,
      local(d.fromAt),
      local(d.toAt),
      d.hours,
      d.allowed,
      d.observedMax,
      d.selfReported,
    ]);
    expect(summary).toEqual(
      expect.arrayContaining([
        [
          '孝义核查停产焦化有限公司',
          'JL1',
          'POWER_KW',
          'EXCEEDED',
          '2026-11-28 11:00',
          '2026-11-28 16:00',
          5,
          100,
          990,
          true,
        ],
        [
          '孝义核查限值钢铁有限公司',
          'DA001',
          'SO2',
          'EXCEEDED',
          '2026-11-28 12:00',
          '2026-11-28 14:00',
          2,
          30,
          45,
          false,
        ],
        [
          '孝义核查断数焦化有限公司',
          'JL1',
          'POWER_KW',
          'MISSING_DATA',
          '2026-11-28 13:00',
          '2026-11-28 15:00',
          2,
          100,
          null,
          false,
        ],
        [
          '石楼核查停产焦化有限公司',
          'JL1',
          'POWER_KW',
          'EXCEEDED',
          '2026-11-28 11:00',
          '2026-11-28 16:00',
          5,
          100,
          1000,
          false,
        ],
      ]),
    );
    expect(items).toHaveLength(4);
    expect(items.some((d) => d.enterpriseName === '孝义核查限产焦化有限公司')).toBe(false);
    // The enterprise's word against the meter comes first.
    expect(items[0]).toMatchObject({ enterpriseName: '孝义核查停产焦化有限公司', selfReported: true });
    const { body: first } = await s.agents.duty.get(`/api/discrepancies/${items[0].id}`).expect(200);
    expect(first).toMatchObject({
      actionName: '停产',
      metricName: '用电功率(kW)',
      kindName: '超出指令允许值',
    });

    const audited = await t.dataSource.query<Array<{ actor_name: string; data: { exceeded: number } }>>(
      `SELECT actor_name, data FROM audit_entry WHERE action = 'telemetry.reconciled' AND alert_id = $1`,
      [s.alertId],
    );
    expect(audited.map((a) => a.data.exceeded)).toEqual([3]);
  });

  it('keeps each finding’s id across runs and drops one that late readings answer', async () => {
    const before = await list();
    await s.agents.commander.post(`/api/alerts/${s.alertId}/reconciliation`).expect(200);
    const again = await list();
    expect(again.items.map((d) => d.id).sort()).toEqual(before.items.map((d) => d.id).sort());

    await push(
      XIAOYI,
      series(`${codes.gap}/JL1`, 'POWER_KW', '2026-11-28T13:00:00', '2026-11-28T15:00:00', () => 25),
    );
    const run = await s.agents.duty.post(`/api/alerts/${s.alertId}/reconciliation`).expect(200);
    expect(run.body).toMatchObject({ exceeded: 3, missing: 0 });
    const after = await list();
    expect(after.items.map((d) => d.kind).sort()).toEqual(['EXCEEDED', 'EXCEEDED', 'EXCEEDED']);
    expect(after.items.filter((d) => before.items.some((b) => b.id === d.id))).toHaveLength(3);
  });

  it('shows a county officer only their counties’ discrepancies, by id and by filter', async () => {
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou-recon', [SHILOU]);
    const mine = await list(officer);
    expect(mine.items.map((d) => [d.enterpriseName, d.countyCode])).toEqual([
      ['石楼核查停产焦化有限公司', SHILOU],
    ]);
    expect((await list(officer, `&county=${XIAOYI}`)).items).toEqual([]);
    const queue = await officer.get('/api/discrepancies').expect(200);
    expect(queue.body.items.map((d: Item) => d.countyCode)).toEqual([SHILOU]);

    const all = await list();
    const xiaoyi = all.items.find((d) => d.countyCode === XIAOYI)!;
    const notFound = await officer.get(`/api/discrepancies/${xiaoyi.id}`).expect(404);
    const unknown = await officer.get(`/api/discrepancies/${randomUUID()}`).expect(404);
    expect(notFound.body).toEqual(unknown.body);
    await officer.post(`/api/discrepancies/${xiaoyi.id}/review`).send({ outcome: 'CONFIRMED' }).expect(404);

    const summary = await officer.get(`/api/alerts/${s.alertId}/reconciliation`).expect(200);
    expect(summary.body.byCounty.map((c: { countyName: string }) => c.countyName)).toEqual(['石楼县']);
    expect(summary.body).toMatchObject({ orders: 1, exceeded: 1 });
    await officer.post(`/api/alerts/${s.alertId}/reconciliation`).expect(403);
  });

  it('takes an officer’s review once, asking the reason when one is explained away', async () => {
    const officer = await t.signIn(['COUNTY_OFFICER'], 'shilou-review', [SHILOU]);
    const [mine] = (await list(officer)).items;
    const bad = await officer
      .post(`/api/discrepancies/${mine.id}/review`)
      .send({ outcome: 'EXPLAINED' })
      .expect(422);
    expect(bad.body.error.fields).toEqual([{ field: 'note', message: '说明:认定为非违规时须写明原因' }]);
    const ok = await officer
      .post(`/api/discrepancies/${mine.id}/review`)
      .send({ outcome: 'CONFIRMED', note: '现场核实焦炉未停' })
      .expect(200);
    expect(ok.body.review).toMatchObject({
      outcome: 'CONFIRMED',
      outcomeName: '属实(未落实措施)',
      note: '现场核实焦炉未停',
    });
    await officer
      .post(`/api/discrepancies/${mine.id}/review`)
      .send({ outcome: 'EXPLAINED', note: '改口' })
      .expect(409);
    // The review survives the next run, and the queue can leave reviewed ones out.
    await s.agents.duty.post(`/api/alerts/${s.alertId}/reconciliation`).expect(200);
    expect((await officer.get(`/api/discrepancies/${mine.id}`).expect(200)).body.review.outcome).toBe(
      'CONFIRMED',
    );
    expect((await list(officer, '&reviewed=false')).items).toEqual([]);
    const audited = await t.dataSource.query<Array<{ data: { outcome: string } }>>(
      `SELECT data FROM audit_entry WHERE action = 'telemetry.discrepancy-reviewed' AND alert_id = $1`,
      [s.alertId],
    );
    expect(audited.map((a) => a.data.outcome)).toEqual(['CONFIRMED']);
  });

  it('weighs discrepancies in the inspection plan', async () => {
    const plan = await s.agents.duty
      .post(`/api/alerts/${s.alertId}/inspection-plan`)
      .send({ size: 6, seed: 1 })
      .expect(201);
    const reasons = Object.fromEntries(
      (plan.body.items as Array<{ enterpriseName: string; reasons: string[] }>).map((i) => [
        i.enterpriseName,
        i.reasons,
      ]),
    );
    expect(reasons['孝义核查停产焦化有限公司']).toContain('DISCREPANCY');
    expect(reasons['孝义核查限值钢铁有限公司']).toContain('DISCREPANCY');
    expect(reasons['孝义核查限产焦化有限公司']).not.toContain('DISCREPANCY');
  });

  it('puts what the meters showed beside the self-reported in the assessment', async () => {
    const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/assessment`).expect(200);
    // Five metered enterprises; 停产, 限值 and 石楼 over (石楼's confirmed, not explained); 断数's gap filled later.
    expect(body.verification).toMatchObject({
      selfReported: 1,
      metered: 5,
      meterExceeded: 3,
      meterMissing: 0,
      reportedButMeterExceeded: 1,
    });
    const page = await s.agents.duty.get(`/alerts/${s.alertId}/assessment`).expect(200);
    expect(page.text).toContain(
      '接入计量 5 家,监测超出指令 3 家,数据缺失 0 家(其中自报已落实但监测超出 1 家)',
    );
  });

  it('puts the discrepancies and their reviews in the evidence bundle, covered by its manifest', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const res = await auditor
      .get(`/api/alerts/${s.alertId}/evidence`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const files = await unzipTexts(res.body as Buffer);
    const bundled = JSON.parse(files.get('discrepancies.json')!) as Array<{
      enterpriseName: string;
      kind: string;
      hours: number;
      selfReported: boolean;
      review: { outcome: string } | null;
      records: Array<{ action: string }>;
    }>;
    expect(
      bundled
        .map((d) => [d.enterpriseName, d.kind, d.hours, d.selfReported, d.review?.outcome ?? null])
        .sort(),
    ).toEqual(
      [
        ['孝义核查停产焦化有限公司', 'EXCEEDED', 5, true, null],
        ['孝义核查限值钢铁有限公司', 'EXCEEDED', 2, false, null],
        ['石楼核查停产焦化有限公司', 'EXCEEDED', 5, false, 'CONFIRMED'],
      ].sort(),
    );
    expect(bundled.find((d) => d.review)!.records.map((a) => a.action)).toEqual([
      'telemetry.discrepancy-reviewed',
    ]);
    const manifest = JSON.parse(files.get('manifest.json')!) as { files: Array<{ name: string }> };
    expect(manifest.files.map((f) => f.name)).toContain('discrepancies.json');
  });

  it('runs hourly for the warnings in force', async () => {
    t.clock.set('2026-11-28T17:20:00+08:00');
    const result = await t.app.get(ReconciliationJob).run();
    expect(result).toEqual({ acquired: true, result: { reconciled: 1, failed: 0 } });
    const summary = await s.agents.duty.get(`/api/alerts/${s.alertId}/reconciliation`).expect(200);
    expect(new Date(summary.body.computedAt).toISOString()).toBe(
      new Date('2026-11-28T17:20:00+08:00').toISOString(),
    );
    // 16:00–17:00 has no readings and ended 20 minutes ago: not judged yet, so nothing new is missing.
    expect(summary.body.missing).toBe(0);
  });

  it('takes its tolerances from the ruleset, where a new version may set them', async () => {
    const created = await s.agents.admin
      .post('/api/rulesets')
      .send({
        id: 'RECON-STRICT',
        name: '核查容差从严',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01',
        reconciliation: { stopMaxShare: 0.05, lateDataMinutes: 30 },
      })
      .expect(201);
    expect(created.body.definition.reconciliation).toEqual({ stopMaxShare: 0.05, lateDataMinutes: 30 });
    const bad = await s.agents.admin
      .post('/api/rulesets')
      .send({
        id: 'RECON-BAD',
        name: '错',
        source: '测试',
        basedOn: 'MEE-2024',
        effectiveFrom: '2030-01-01',
        reconciliation: { capTolerance: 2 },
      })
      .expect(422);
    expect(bad.body.error.fields).toEqual([
      { field: 'reconciliation.capTolerance', message: '浓度限值允许超出的比例应为 0-0.5 之间的数' },
    ]);
  });

  it('refuses an unknown warning and other roles', async () => {
    await s.agents.duty.post(`/api/alerts/${randomUUID()}/reconciliation`).expect(404);
    await s.agents.duty.get(`/api/alerts/not-a-uuid/discrepancies`).expect(404);
    for (const role of ['AUDITOR', 'ADMIN'] as const)
      await (await t.signIn([role])).post(`/api/alerts/${s.alertId}/reconciliation`).expect(403);
    const bad = await s.agents.duty.get('/api/discrepancies?kind=NOPE').expect(422);
    expect(bad.body.error.fields[0].field).toBe('kind');
  });
});
