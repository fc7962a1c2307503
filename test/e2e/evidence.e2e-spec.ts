import { Client } from 'pg';
import { SIGNER } from '../support/signer';
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { ParsedMail } from 'mailparser';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { AuditService } from '../../src/audit/audit.service';
import { EvidenceService } from '../../src/audit/evidence.service';
import { OutboxDispatcher } from '../../src/notifications/outbox-dispatcher.service';
import { AlertTransitionsJob } from '../../src/scheduler/alert-transitions.job';
import { measure } from '../factories/enterprise.factory';
import { scenario } from '../support/scenario';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { unzipTexts } from '../support/unzip';
import { createTestApp, TestApp } from '../support/test-app';
import { testAction } from '../support/test-audit-action';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const r = (n: number) => ({ so2: n, nox: n, pm: n, vocs: n });

/** Reads a binary answer whole (supertest would otherwise try to parse it as text). */
function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

const BUNDLE_FILES = [
  'README.txt',
  'acknowledgements.json',
  'alert.json',
  'anchor.json',
  'audit-entries.jsonl',
  'chain-proof.json',
  'deliveries.json',
  'discrepancies.json',
  'follow-ups.json',
  'inspections.json',
  'manifest.json',
  'orders.csv',
  'party-receipts.json',
  'verify.mjs',
];

describe('evidence bundle of a warning (GET /api/alerts/:id/evidence)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let duty: Agent;
  let commander: Agent;
  let auditor: Agent;
  let alertId: string;
  let alertCode: string;
  let otherAlertId: string;
  const ids: Record<string, string> = {};
  let files: Map<string, string>;
  let dir: string;

  const drain = () => t.app.get(OutboxDispatcher).drain();
  const mailTo = (address: string): ParsedMail[] =>
    sink.messages.filter((m) => JSON.stringify(m.to).includes(address));
  const ackPath = (mail: ParsedMail) => /\/ack\/[A-Za-z0-9_.-]+/.exec(mail.text ?? '')![0];
  const download = (agent: Agent, id: string) =>
    agent.get(`/api/alerts/${id}/evidence`).buffer(true).parse(binary);
  const verify = (folder: string) =>
    spawnSync(process.execPath, ['verify.mjs'], { cwd: folder, encoding: 'utf8', timeout: 20_000 });

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({ env: { SMTP_URL: sink.url, SESSION_TTL_HOURS: '720' } });
    t.clock.set('2026-11-28T10:00:00+08:00');
    [duty, commander, auditor] = await Promise.all([
      t.signIn(['DUTY_OFFICER']),
      t.signIn(['COMMANDER']),
      t.signIn(['AUDITOR']),
    ]);
    const measures = [
      measure({ level: 'ORANGE', description: '限产30%', reduction: r(10) }),
      measure({ level: 'RED', action: 'STOP', params: {}, description: '全厂停产', reduction: r(30) }),
    ];
    // Issue (ORANGE) → receipt by 甲 → upgrade (RED) → report by 甲 → lift, with another warning's
    // entries interleaved, so the chain proof has links that are not this warning's.
    const s = await scenario(t, { sink, agents: { duty, commander } })
      .enterprises([
        { key: 'jia', input: { name: '甲焦化有限公司' }, measures },
        // a formula-looking name must stay text in orders.csv
        { key: 'yi', input: { name: '=乙水泥有限公司' }, measures },
      ])
      .warning({
        level: 'ORANGE',
        countyCodes: ['141181'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        reason: '会商研判',
      })
      .approved()
      .delivered();
    Object.assign(ids, s.ids);
    alertId = s.alertId;
    alertCode = s.alert.code;
    await s.receipt('jia');
    const other = await duty
      .post('/api/alerts')
      .send({
        level: 'YELLOW',
        countyCodes: ['141102'],
        effectiveAt: '2026-11-28T20:00:00+08:00',
        reason: '其他',
      })
      .expect(201);
    otherAlertId = other.body.id;
    t.clock.advance(3600_000);
    await duty
      .post(`/api/alerts/${alertId}/adjust`)
      .send({ level: 'RED', effectiveAt: '2026-11-28T20:00:00+08:00', reason: '预报加重' })
      .expect(200);
    await commander.post(`/api/alerts/${alertId}/approve`).send({}).expect(200);
    await drain();
    // The red order is in force from 20:00 (approved ahead): measures are reported once it is.
    t.clock.set('2026-11-28T20:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run();
    await t
      .http()
      .post(`${ackPath(mailTo('jia@test.example')[1])}/report`)
      .type('form')
      .send({ ...SIGNER, measuresInPlaceAt: '2026-11-28T20:00', note: '已全厂停产' })
      .expect(303);
    t.clock.set('2026-11-30T10:00:00+08:00');
    await duty
      .post(`/api/alerts/${alertId}/lift`)
      .send({ effectiveAt: '2026-11-30T12:00:00+08:00', reason: '空气质量好转' })
      .expect(200);
    // No consultation to check the lift against: approved with a written reason.
    await commander.post(`/api/alerts/${alertId}/approve`).send({ overrideReason: '现场核实' }).expect(200);
    await drain();
    t.clock.set('2026-11-30T12:00:00+08:00');
    await t.app.get(AlertTransitionsJob).run();
    dir = mkdtempSync(path.join(tmpdir(), 'haze-evidence-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t.close();
    await sink.close();
  });

  it('streams a zip named after the warning number, with every file of the bundle', async () => {
    const res = await download(auditor, alertId).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`attachment; filename="evidence-${alertCode}.zip"`);
    files = await unzipTexts(res.body as Buffer);
    expect([...files.keys()].sort()).toEqual(BUNDLE_FILES);
    for (const [name, text] of files) writeFileSync(path.join(dir, name), text);
    expect(files.get('verify.mjs')).toBe(
      readFileSync(path.join(__dirname, '../../templates/evidence/verify.mjs'), 'utf8'),
    );
    expect(files.get('README.txt')).toContain(alertCode);
    expect(files.get('README.txt')).toContain('node verify.mjs');
  });

  it('holds the warning with its revisions and decided changes', () => {
    const doc = JSON.parse(files.get('alert.json')!);
    expect(doc.alert).toMatchObject({ id: alertId, code: alertCode, status: 'LIFTED', level: 'RED' });
    expect(doc.revisions.map((x: { seq: number; kind: string }) => [x.seq, x.kind])).toEqual([
      [1, 'ISSUE'],
      [2, 'UPGRADE'],
      [3, 'LIFT'],
    ]);
    expect(doc.changes).toHaveLength(3);
    expect(
      doc.changes.every((c: { status: string; decidedBy: string }) => c.status === 'APPROVED' && c.decidedBy),
    ).toBe(true);
  });

  it('lists every order (superseded and lift notices too) in a spreadsheet-safe CSV', () => {
    const csv = files.get('orders.csv')!;
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split('\n');
    expect(lines[0]).toContain('企业名称 enterpriseName');
    expect(lines).toHaveLength(1 + 6); // 2 enterprises × (issue, upgrade, lift)
    expect(csv).toContain("'=乙水泥有限公司");
    expect(csv).not.toMatch(/(^|,)=乙/m);
    const jiaRed = lines.find(
      (l) => l.includes('甲焦化有限公司') && l.includes(',RED,') && l.includes('全厂停产'),
    )!;
    expect(jiaRed).toContain(',2026-11-28T20:00:00+08:00,'); // executedAt, Beijing time
    expect(jiaRed).toContain('已全厂停产');
    expect(jiaRed).toContain(',MANDATORY,');
    // Each order names the 文号 of the notice that issued it: issue 1, upgrade 2, lift 3.
    expect(lines[0]).toContain('通知文号 documentNumber');
    expect(jiaRed).toContain(',吕重污应急〔2026〕2号,');
    for (const n of [1, 2, 3])
      expect(lines.filter((l) => l.includes(`吕重污应急〔2026〕${n}号`))).toHaveLength(2);
  });

  it('holds each message with its whole delivery history, and the acknowledgements', async () => {
    const deliveries = JSON.parse(files.get('deliveries.json')!);
    const [{ n }] = await t.dataSource.query(
      'SELECT count(*)::int AS n FROM outbox_message WHERE alert_id = $1',
      [alertId],
    );
    expect(deliveries).toHaveLength(n);
    expect(n).toBe(6);
    for (const d of deliveries) {
      expect(d.state).toBe('SENT');
      expect(d.history.map((h: { toState: string }) => h.toState)).toEqual(['SENDING', 'SENT']);
    }
    const acks = JSON.parse(files.get('acknowledgements.json')!);
    expect(acks).toHaveLength(2);
    expect(acks.map((a: { enterpriseId: string }) => a.enterpriseId)).toEqual([ids.jia, ids.jia]);
    const executed = acks.find((a: { executedAt: string | null }) => a.executedAt);
    expect(executed).toMatchObject({ level: 'RED', reportNote: '已全厂停产', state: 'LIFTED' });
    expect(executed.records.map((x: { action: string }) => x.action)).toEqual(['order.executed']);
    expect(executed.records[0].actorType).toBe('ENTERPRISE');
  });

  it('holds every audit entry of the warning, as the timeline selects them, with what the hash covers', async () => {
    const lines = files
      .get('audit-entries.jsonl')!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const proof = JSON.parse(files.get('chain-proof.json')!);
    const db = await t.dataSource.query(
      'SELECT id::text AS id, hash FROM audit_entry WHERE alert_id = $1 AND id <= $2 ORDER BY id',
      [alertId, proof.head.seq],
    );
    expect(lines.map((e: { id: string; hash: string }) => ({ id: e.id, hash: e.hash }))).toEqual(db);
    expect(lines.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining([
        'alert.drafted',
        'alert.approved',
        'orders.created',
        'order.received',
        'order.executed',
      ]),
    );
    expect(Object.keys(lines[0]).sort()).toEqual(
      [
        'id',
        'occurredAt',
        'actorType',
        'actorId',
        'actorName',
        'action',
        'subjectType',
        'subjectId',
        'alertId',
        'requestId',
        'ip',
        'data',
        'prevHash',
        'hash',
      ].sort(),
    );
    // The proof covers the warning's first entry to the head, other warnings' entries included.
    const [head] = await t.dataSource.query(
      "SELECT data FROM audit_entry WHERE action = 'evidence.exported' AND alert_id = $1 ORDER BY id DESC LIMIT 1",
      [alertId],
    );
    expect(head.data.chainHead).toEqual({ seq: proof.head.seq, sha256: proof.head.hash });
    expect(proof.links[0]).toMatchObject({ seq: lines[0].id, alert: true });
    expect(proof.links.at(-1)).toMatchObject({ seq: proof.head.seq, hash: proof.head.hash });
    expect(proof.links.some((l: { alert: boolean }) => !l.alert)).toBe(true);
    expect(proof.algorithm.input).toBe('prevHash + "\\n" + canonical');
  });

  it('verifies offline with node verify.mjs', () => {
    const run = verify(dir);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^OK \d+ warning entries verified/);
    expect(run.status).toBe(0);
  });

  it('lists every file in the signed manifest, records its digest in the chain, and catches a one-byte change to any file', async () => {
    const manifest = JSON.parse(files.get('manifest.json')!);
    expect(manifest.files.map((f: { name: string }) => f.name).sort()).toEqual(
      BUNDLE_FILES.filter((n) => n !== 'manifest.json' && n !== 'anchor.json'),
    );
    const digest = createHash('sha256').update(files.get('manifest.json')!).digest('hex');
    expect(JSON.parse(files.get('anchor.json')!).manifestSha256).toBe(digest);
    const [recorded] = await t.dataSource.query(
      "SELECT data FROM audit_entry WHERE action = 'evidence.manifest' AND alert_id = $1 ORDER BY id DESC LIMIT 1",
      [alertId],
    );
    expect(recorded.data.manifestSha256).toBe(digest);
    for (const name of [
      'orders.csv',
      'alert.json',
      'deliveries.json',
      'acknowledgements.json',
      'follow-ups.json',
    ]) {
      const original = files.get(name)!;
      // One byte: the last character before the final newline becomes another ASCII one.
      const at = original.trimEnd().length - 1;
      const changed = original.slice(0, at) + (original[at] === '1' ? '2' : '1') + original.slice(at + 1);
      expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(original));
      writeFileSync(path.join(dir, name), changed);
      const run = verify(dir);
      expect(run.stdout).toContain(`BAD ${name}: file differs from its digest in the manifest`);
      expect(run.status).toBe(1);
      writeFileSync(path.join(dir, name), original);
    }
    expect(verify(dir).status).toBe(0);
  });

  it('names the first tampered entry and exits 1', () => {
    const jsonl = files.get('audit-entries.jsonl')!;
    const lines = jsonl.trim().split('\n');
    const at = lines.findIndex((l) => l.includes('"order.received"'));
    const entry = JSON.parse(lines[at]);
    lines[at] = JSON.stringify({ ...entry, data: { ...entry.data, state: ['PENDING', 'EXECUTED'] } });
    writeFileSync(path.join(dir, 'audit-entries.jsonl'), `${lines.join('\n')}\n`);
    const run = verify(dir);
    expect(run.stdout).toContain(`BAD ${entry.id}: content does not match its hash`);
    expect(run.status).toBe(1);

    const removed = jsonl.trim().split('\n');
    const gone = JSON.parse(removed.splice(1, 1)[0]);
    writeFileSync(path.join(dir, 'audit-entries.jsonl'), `${removed.join('\n')}\n`);
    const missing = verify(dir);
    expect(missing.stdout).toContain(`BAD ${gone.id}: warning entry missing`);
    expect(missing.status).toBe(1);
    writeFileSync(path.join(dir, 'audit-entries.jsonl'), jsonl);
  });

  it('records each download in the audit log', async () => {
    const { body } = await auditor.get(`/api/audit?action=evidence.exported&alertId=${alertId}`).expect(200);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ subjectType: 'alert', subjectId: alertId, actorType: 'USER' });
  });

  it('is for auditors and administrators only, and 404 for an unknown warning', async () => {
    await duty.get(`/api/alerts/${alertId}/evidence`).expect(403);
    await commander.get(`/api/alerts/${alertId}/evidence`).expect(403);
    await t.http().get(`/api/alerts/${alertId}/evidence`).expect(401);
    const missing = await auditor
      .get('/api/alerts/00000000-0000-4000-8000-000000000000/evidence')
      .expect(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    await auditor.get('/api/alerts/not-a-uuid/evidence').expect(404);
    const admin = await t.signIn(['ADMIN']);
    const again = await download(admin, alertId).expect(200);
    expect((await unzipTexts(again.body as Buffer)).size).toBe(BUNDLE_FILES.length);
  });

  it('cuts the download, never a whole-looking zip, when a query fails mid-bundle, and releases its snapshot', async () => {
    // The follow-ups are read after the headers and the first files went out: make that query fail.
    const owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
    try {
      await owner.query('ALTER TABLE order_follow_up RENAME TO order_follow_up_gone');
      const bundle = await t.app.get(EvidenceService).open(alertId, SYSTEM_ACTOR);
      const chunks: Buffer[] = [];
      const client = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      await bundle.write(client);
      expect(client.destroyed).toBe(true);
      expect(client.writableFinished).toBe(false);
      // No end-of-central-directory record: what arrived cannot pass for a complete zip.
      expect(Buffer.concat(chunks).includes(Buffer.from([0x50, 0x4b, 0x05, 0x06]))).toBe(false);
      const [{ n }] = await t.dataSource.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
      );
      expect(n).toBe(0);
    } finally {
      await owner.query('ALTER TABLE order_follow_up_gone RENAME TO order_follow_up');
      await owner.end();
    }
  });

  it('releases its database snapshot when the client goes away mid-download', async () => {
    // Enough entries that the zip leaves in many chunks, and the reader is mid-cursor when the client leaves.
    await t.app.get(AuditService).recordEvent(
      Array.from({ length: 20_000 }, (_, i) => ({
        actor: SYSTEM_ACTOR,
        action: testAction('test.filler'),
        subjectType: 'alert',
        subjectId: otherAlertId,
        alertId: otherAlertId,
        data: { i, note: randomUUID() },
      })),
    );
    const bundle = await t.app.get(EvidenceService).open(otherAlertId, SYSTEM_ACTOR);
    let received = 0;
    const client = new Writable({
      write(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done();
        if (received > 64 * 1024) this.destroy();
      },
    });
    await bundle.write(client);
    expect(received).toBeGreaterThan(64 * 1024);
    const [{ n }] = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    );
    expect(n).toBe(0);
    const whole = await download(auditor, otherAlertId).expect(200);
    const entries = await unzipTexts(whole.body as Buffer);
    const big = mkdtempSync(path.join(tmpdir(), 'haze-evidence-big-'));
    try {
      for (const [name, text] of entries) writeFileSync(path.join(big, name), text);
      expect(
        readFileSync(path.join(big, 'audit-entries.jsonl'), 'utf8').trim().split('\n').length,
      ).toBeGreaterThan(20_000);
      const run = verify(big);
      expect(run.stdout).toMatch(/^OK \d+ warning entries verified/);
      expect(run.status).toBe(0);
    } finally {
      rmSync(big, { recursive: true, force: true });
    }
  });
});
