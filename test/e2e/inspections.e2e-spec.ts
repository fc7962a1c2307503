import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { scenario, type Scenario } from '../support/scenario';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { createTestApp, type TestApp } from '../support/test-app';
import { unzipTexts } from '../support/unzip';

/** Reads a binary answer whole. */
function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/** A tiny but real PNG (1×1) and JPEG head: the server looks at the bytes, not the name. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF-test-body'),
]);

/**
 * Issue 17, "Inspections and consequences": a warning's inspection plan (a reproducible weighted sample with the
 * reason for each pick), inspections of orders with photos and a rectification, and a violation reaching the
 * grade-review list, where an administrator downgrades the enterprise.
 */
describe('inspections and consequences', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let s: Scenario;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'hz-inspections-'));
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720', DATA_DIR: dataDir } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    s = await scenario(t, { sink })
      .enterprises([
        { key: 'jia', input: { name: '孝义检查甲焦化有限公司', grade: 'D' } },
        { key: 'yi', input: { name: '孝义检查乙焦化有限公司', grade: 'B' } },
        { key: 'bing', input: { name: '孝义检查丙焦化有限公司', grade: 'C' } },
        { key: 'ding', input: { name: '孝义检查丁焦化有限公司', grade: 'A' } },
      ])
      // In force at once: the receipt deadline is two hours after issue (12:00).
      .warning({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-28T10:00:00+08:00',
        reason: '会商研判,污染已较重',
      })
      .approved()
      .delivered();
    // 乙 and 丙 confirm in time; 甲 and 丁 do not, and the receipt deadline passes.
    await s.receipt('yi');
    await s.receipt('bing');
    t.clock.set('2026-11-28T16:00:00+08:00');
  });
  afterAll(async () => {
    await t.close();
    await sink.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('the inspection plan', () => {
    it('draws the same sample for the same seed, each pick with its reasons in Chinese', async () => {
      const url = `/api/alerts/${s.alertId}/inspection-plan`;
      expect((await s.agents.duty.get(url).expect(200)).body).toEqual({});
      const first = await s.agents.duty.post(url).send({ size: 4, seed: 20261128 }).expect(201);
      expect(first.body).toMatchObject({
        alertId: s.alertId,
        number: 1,
        seed: 20261128,
        size: 4,
        population: 4,
      });
      const byName = Object.fromEntries(
        (first.body.items as Array<{ enterpriseName: string; reasonText: string; weight: number }>).map(
          (i) => [i.enterpriseName, [i.reasonText, i.weight]],
        ),
      );
      // D (+4) and not received by its deadline (+3); C (+2); B and A at the base weight, A a non-responder (+3).
      expect(byName).toEqual({
        孝义检查甲焦化有限公司: ['绩效等级D、未按时签收', 8],
        孝义检查乙焦化有限公司: ['随机抽取', 1],
        孝义检查丙焦化有限公司: ['绩效等级C', 3],
        孝义检查丁焦化有限公司: ['未按时签收', 4],
      });

      const again = await s.agents.commander.post(url).send({ size: 2, seed: 7 }).expect(201);
      const same = await s.agents.commander.post(url).send({ size: 2, seed: 7 }).expect(201);
      const picks = (b: { items: Array<{ orderId: string }> }) => b.items.map((i) => i.orderId);
      expect(picks(same.body)).toEqual(picks(again.body));
      expect(same.body.id).not.toBe(again.body.id);
      expect((await s.agents.duty.get(url).expect(200)).body.id).toBe(same.body.id);

      // Without a seed one is chosen and kept, so the plan can be drawn again.
      const random = await s.agents.duty.post(url).send({ size: 3 }).expect(201);
      const redrawn = await s.agents.duty.post(url).send({ size: 3, seed: random.body.seed }).expect(201);
      expect(picks(redrawn.body)).toEqual(picks(random.body));

      const audited = await t.dataSource.query<Array<{ data: { seed: number; picked: number } }>>(
        `SELECT data FROM audit_entry WHERE action = 'inspection.plan-drawn' AND alert_id = $1 ORDER BY id`,
        [s.alertId],
      );
      expect(audited.map((a) => [a.data.seed, a.data.picked])).toEqual([
        [20261128, 4],
        [7, 2],
        [7, 2],
        [random.body.seed, 3],
        [random.body.seed, 3],
      ]);
    });

    it('refuses a bad size or seed naming the field, an unknown warning, and other roles', async () => {
      const url = `/api/alerts/${s.alertId}/inspection-plan`;
      const bad = await s.agents.duty.post(url).send({ size: 0 }).expect(422);
      expect(bad.body.error.fields).toEqual([{ field: 'size', message: '抽查数量不能小于1' }]);
      const seed = await s.agents.duty.post(url).send({ size: 2, seed: -1 }).expect(422);
      expect(seed.body.error.fields).toEqual([{ field: 'seed', message: '随机种子不能小于0' }]);
      await s.agents.duty.post(`/api/alerts/${randomUUID()}/inspection-plan`).send({ size: 2 }).expect(404);
      for (const role of ['AUDITOR', 'ADMIN'] as const)
        await (await t.signIn([role])).post(url).send({ size: 2 }).expect(403);
    });
  });

  describe('an inspection with a photo and a rectification', () => {
    let inspectionId: string;

    it('records the inspection, takes a photo by its bytes and serves it back to staff', async () => {
      const res = await s.agents.duty
        .post(`/api/orders/${s.orders.yi}/inspections`)
        .send({
          inspectedAt: '2026-11-28T15:00:00+08:00',
          inspectors: [' 张三 ', '李四', '张三'],
          findings: '2号焦炉未按要求限产',
          result: 'VIOLATION',
          rectification: { required: true, deadline: '2026-11-29T18:00:00+08:00' },
        })
        .expect(201);
      expect(res.body).toMatchObject({
        orderId: s.orders.yi,
        alertId: s.alertId,
        enterpriseName: '孝义检查乙焦化有限公司',
        inspectedAt: '2026-11-28T07:00:00.000Z',
        inspectors: ['张三', '李四'],
        result: 'VIOLATION',
        resultName: '存在违规',
        rectification: { required: true, deadline: '2026-11-29T10:00:00.000Z', closedAt: null },
        photos: [],
      });
      inspectionId = res.body.id;

      const up = await s.agents.duty
        .post(`/api/inspections/${inspectionId}/photos`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('photos', PNG, 'site.png')
        .attach('photos', JPEG, 'gate.jpg')
        .expect(201);
      expect(up.body.photos.map((p: { n: number; mediaType: string }) => [p.n, p.mediaType])).toEqual([
        [1, 'image/png'],
        [2, 'image/jpeg'],
      ]);
      const file = path.join(dataDir, 'inspection-photos', inspectionId, '1.png');
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file).equals(PNG)).toBe(true);

      const auditor = await t.signIn(['AUDITOR']);
      const back = await auditor
        .get(`/api/inspections/${inspectionId}/photos/1`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      expect(back.headers['content-type']).toBe('image/png');
      expect((back.body as Buffer).equals(PNG)).toBe(true);
      await t.http().get(`/api/inspections/${inspectionId}/photos/1`).expect(401);
      await auditor.get(`/api/inspections/${inspectionId}/photos/3`).expect(404);
    });

    it('refuses a photo that is not an image, whatever its name, keeping nothing', async () => {
      const res = await s.agents.duty
        .post(`/api/inspections/${inspectionId}/photos`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('photos', PNG, 'ok.png')
        .attach('photos', Buffer.from('%PDF-1.7 not a photo'), 'fake.jpg')
        .expect(422);
      expect(res.body.error.fields).toEqual([
        { field: 'photos[1]', message: '照片须为 JPG、PNG 或 WebP 格式' },
      ]);
      const big = await s.agents.duty
        .post(`/api/inspections/${inspectionId}/photos`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .attach('photos', Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024)]), 'huge.jpg')
        .expect(413);
      expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const none = await s.agents.duty
        .post(`/api/inspections/${inspectionId}/photos`)
        .set('X-Requested-With', 'XMLHttpRequest')
        .field('note', 'x')
        .expect(422);
      expect(none.body.error.fields[0].field).toBe('photos');
      const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM inspection_photo WHERE inspection_id = $1',
        [inspectionId],
      );
      expect(n).toBe(2);
    });

    it('closes the rectification once, with a note', async () => {
      t.clock.set('2026-11-29T12:00:00+08:00');
      const url = `/api/inspections/${inspectionId}/rectification/close`;
      const early = await s.agents.duty
        .post(url)
        .send({ closedAt: '2026-11-28T14:00:00+08:00', note: '复查' })
        .expect(422);
      expect(early.body.error.fields).toEqual([{ field: 'closedAt', message: '销号时间不能早于检查时间' }]);
      const empty = await s.agents.duty.post(url).send({ closedAt: '2026-11-29T11:00:00+08:00' }).expect(422);
      expect(empty.body.error.fields[0].field).toBe('note');
      const closed = await s.agents.duty
        .post(url)
        .send({ closedAt: '2026-11-29T11:00:00+08:00', note: '复查:2号焦炉已限产到位' })
        .expect(201);
      expect(closed.body.rectification).toMatchObject({
        required: true,
        closedAt: '2026-11-29T03:00:00.000Z',
        note: '复查:2号焦炉已限产到位',
      });
      const twice = await s.agents.duty
        .post(url)
        .send({ closedAt: '2026-11-29T11:30:00+08:00', note: '再次' })
        .expect(409);
      expect(twice.body.error.message).toBe('该整改已销号');
    });

    it('validates the record in Chinese, naming the field', async () => {
      const url = `/api/orders/${s.orders.jia}/inspections`;
      const fields = async (body: object) =>
        (await s.agents.duty.post(url).send(body).expect(422)).body.error.fields as Array<{
          field: string;
          message: string;
        }>;
      const base = { inspectedAt: '2026-11-29T09:00:00+08:00', inspectors: ['王五'], findings: '已停产' };
      expect(await fields({ ...base, result: 'MAYBE' })).toEqual([
        { field: 'result', message: '检查结果应为以下之一:COMPLIANT(措施落实)、VIOLATION(存在违规)' },
      ]);
      expect(await fields({ ...base, result: 'COMPLIANT', inspectors: [] })).toEqual([
        { field: 'inspectors', message: '检查人员至少需要1人' },
      ]);
      expect(await fields({ ...base, result: 'COMPLIANT', findings: '' })).toEqual([
        { field: 'findings', message: '请填写检查情况' },
      ]);
      expect(
        await fields({ ...base, result: 'COMPLIANT', inspectedAt: '2026-11-29T13:00:00+08:00' }),
      ).toEqual([{ field: 'inspectedAt', message: '检查时间不能晚于当前时间' }]);
      expect(await fields({ ...base, result: 'VIOLATION', rectification: { required: true } })).toEqual([
        { field: 'rectification.deadline', message: '要求整改时须填写整改期限' },
      ]);
      const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
        'SELECT count(*)::int AS n FROM inspection WHERE order_id = $1',
        [s.orders.jia],
      );
      expect(n).toBe(0);
      await (
        await t.signIn(['AUDITOR'])
      )
        .post(url)
        .send({ ...base, result: 'COMPLIANT' })
        .expect(403);
      await s.agents.duty
        .post(`/api/orders/${randomUUID()}/inspections`)
        .send({ ...base, result: 'COMPLIANT' })
        .expect(404);
    });

    it('shows the steps in the warning’s timeline and puts the inspections in the evidence bundle', async () => {
      const timeline = await s.agents.duty.get(`/api/alerts/${s.alertId}/timeline?limit=1000`).expect(200);
      const labels = timeline.body.items.map((e: { label: string }) => e.label);
      for (const label of [
        '抽取现场检查名单',
        '记录现场检查',
        '上传现场检查照片',
        '整改销号',
        '列入绩效分级复核',
      ])
        expect(labels).toContain(label);

      const auditor = await t.signIn(['AUDITOR']);
      const res = await auditor
        .get(`/api/alerts/${s.alertId}/evidence`)
        .buffer(true)
        .parse(binary)
        .expect(200);
      const files = await unzipTexts(res.body as Buffer);
      const inspections = JSON.parse(files.get('inspections.json')!) as Array<Record<string, unknown>>;
      expect(inspections).toHaveLength(1);
      expect(inspections[0]).toMatchObject({
        inspectionId,
        enterpriseName: '孝义检查乙焦化有限公司',
        result: 'VIOLATION',
        // The bundle writes times with their offset, as the other files do.
        rectification: { required: true, closedAt: '2026-11-29T11:00:00+08:00' },
      });
      const photos = inspections[0].photos as Array<{ n: number; sha256: string }>;
      expect(photos.map((p) => p.n)).toEqual([1, 2]);
      expect(photos[0].sha256).toBe(
        (await import('node:crypto')).createHash('sha256').update(PNG).digest('hex'),
      );
      const records = inspections[0].records as Array<{ action: string }>;
      expect(records.map((r) => r.action)).toEqual([
        'inspection.recorded',
        'inspection.photos-added',
        'inspection.rectification-closed',
      ]);
      const manifest = JSON.parse(files.get('manifest.json')!) as { files: Array<{ name: string }> };
      expect(manifest.files.map((f) => f.name)).toContain('inspections.json');
      expect(files.get('README.txt')).toContain('inspections.json');
    });
  });

  describe('consequences', () => {
    it('puts the enterprise of a violation on the grade-review list with the evidence', async () => {
      const list = await s.agents.duty.get('/api/grade-reviews').expect(200);
      expect(list.body).toHaveLength(1);
      expect(list.body[0]).toMatchObject({
        state: 'PENDING',
        stateName: '待复核',
        enterpriseId: s.ids.yi,
        gradeAtReview: 'B',
        currentGrade: 'B',
        evidence: { orderId: s.orders.yi, alertId: s.alertId, findings: '2号焦炉未按要求限产' },
        downgradeTargets: [
          { code: 'B_MINUS', name: 'B-级' },
          { code: 'C', name: 'C级' },
          { code: 'D', name: 'D级' },
        ],
      });
      // A compliant inspection opens none.
      await s.agents.commander
        .post(`/api/orders/${s.orders.bing}/inspections`)
        .send({
          inspectedAt: '2026-11-29T10:00:00+08:00',
          inspectors: ['赵六'],
          findings: '已限产',
          result: 'COMPLIANT',
        })
        .expect(201);
      expect((await s.agents.duty.get('/api/grade-reviews').expect(200)).body).toHaveLength(1);
    });

    it('lets an administrator downgrade the enterprise, recorded and audited, once', async () => {
      const [review] = (await s.agents.duty.get('/api/grade-reviews?state=PENDING').expect(200))
        .body as Array<{
        id: string;
      }>;
      const url = `/api/grade-reviews/${review.id}/decide`;
      await s.agents.duty.post(url).send({ decision: 'KEEP', reason: '情节轻微' }).expect(403);
      const up = await s.agents.admin
        .post(url)
        .send({ decision: 'DOWNGRADE', newGrade: 'A', reason: '违规' })
        .expect(422);
      expect(up.body.error.fields).toEqual([
        { field: 'newGrade', message: '降级须选择低于现等级(B级)的等级:B-级、C级、D级' },
      ]);
      const noReason = await s.agents.admin.post(url).send({ decision: 'KEEP' }).expect(422);
      expect(noReason.body.error.fields[0].field).toBe('reason');

      const done = await s.agents.admin
        .post(url)
        .send({ decision: 'DOWNGRADE', newGrade: 'C', reason: '现场检查发现未落实限产措施' })
        .expect(201);
      expect(done.body).toMatchObject({
        state: 'DOWNGRADED',
        decision: 'DOWNGRADE',
        newGrade: 'C',
        currentGrade: 'C',
        reason: '现场检查发现未落实限产措施',
      });
      const enterprise = await s.agents.duty.get(`/api/enterprises/${s.ids.yi}`).expect(200);
      expect(enterprise.body.grade).toBe('C');
      const again = await s.agents.admin.post(url).send({ decision: 'KEEP', reason: '再议' }).expect(409);
      expect(again.body.error.message).toBe('该复核已有决定');

      const audit = await t.dataSource.query<Array<{ action: string; data: Record<string, unknown> }>>(
        `SELECT action, data FROM audit_entry WHERE action IN ('grade-review.decided', 'enterprise.regraded') ORDER BY id`,
      );
      expect(audit.map((a) => a.action)).toEqual(['enterprise.regraded', 'grade-review.decided']);
      expect(audit[0].data).toMatchObject({ changes: { grade: ['B', 'C'] }, gradeReviewId: review.id });
      expect(audit[1].data).toMatchObject({ decision: 'DOWNGRADE', from: 'B', to: 'C' });
    });

    it('shows verified compliance next to the self-reported in the assessment', async () => {
      const { body } = await s.agents.duty.get(`/api/alerts/${s.alertId}/assessment`).expect(200);
      // Nobody reported measures in place; 乙 was found violating, 丙 compliant.
      expect(body.verification).toEqual({
        selfReported: 0,
        inspected: 2,
        compliant: 1,
        violation: 1,
        reportedButViolating: 0,
        metered: 0,
        meterExceeded: 0,
        meterMissing: 0,
        reportedButMeterExceeded: 0,
      });
      const page = await s.agents.duty.get(`/alerts/${s.alertId}/assessment`).expect(200);
      const row = /<tr id="assessment-verification">([\s\S]*?)<\/tr>/.exec(page.text)![1];
      expect(row).toContain('企业自报落实 0 家;现场检查 2 家,措施落实 1 家,存在违规 1 家');
      const csv = await s.agents.duty.get(`/api/alerts/${s.alertId}/assessment.csv`).expect(200);
      expect(csv.text).toContain('【现场核查】');
    });
  });
});
