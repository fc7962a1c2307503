import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { type AuditRow, entryHash, storedEntryOf } from '../../src/audit/audit-chain';
import { anchorSignatureProblem, type SignedAnchor } from '../../src/audit/anchor.rules';
import { AuditService } from '../../src/audit/audit.service';
import { AuditAnchorJob } from '../../src/scheduler/audit-anchor.job';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { unzipTexts } from '../support/unzip';
import { issueEnterpriseLink } from '../support/enterprise-link';
import { createTestApp, TestApp } from '../support/test-app';
import { testAction } from '../support/test-audit-action';

type Agent = Awaited<ReturnType<TestApp['signIn']>>;

const AUDITORS = 'audit-office@lvliang.example';

function binary(res: unknown, callback: (e: Error | null, body: Buffer) => void): void {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

/**
 * What the security review did with full control of the database server: change entries (or cut the tail),
 * recompute every later hash, and make the head and the database's own anchors agree, past every trigger.
 */
async function rewriteAsSuperuser(
  superuser: Client,
  change: { setActorNameOf?: string; to?: string; cutFrom?: string },
): Promise<void> {
  await superuser.query('BEGIN');
  await superuser.query('SET LOCAL session_replication_role = replica');
  if (change.cutFrom) await superuser.query('DELETE FROM audit_entry WHERE id >= $1', [change.cutFrom]);
  if (change.setActorNameOf)
    await superuser.query('UPDATE audit_entry SET actor_name = $2 WHERE id = $1', [
      change.setActorNameOf,
      change.to,
    ]);
  const { rows } = await superuser.query<AuditRow>('SELECT * FROM audit_entry ORDER BY id');
  let prev = '0'.repeat(64);
  for (const r of rows) {
    const hash = entryHash(prev, storedEntryOf(r));
    if (hash !== r.hash || prev !== r.prev_hash)
      await superuser.query('UPDATE audit_entry SET prev_hash = $2, hash = $3 WHERE id = $1', [
        r.id,
        prev,
        hash,
      ]);
    prev = hash;
  }
  const last = rows[rows.length - 1];
  await superuser.query(
    'UPDATE audit_chain_head SET last_id = $1, hash = $2, entry_count = $3 WHERE id = 1',
    [last.id, prev, rows.length],
  );
  // The database's own anchors are the attacker's too: drop the ones past the cut, re-hash the rest.
  await superuser.query('DELETE FROM audit_anchor WHERE entry_id > $1', [last.id]);
  await superuser.query(
    'UPDATE audit_anchor a SET entry_hash = e.hash FROM audit_entry e WHERE e.id = a.entry_id AND a.entry_hash <> e.hash',
  );
  await superuser.query('COMMIT');
}

describe('audit log against its own database login and against a superuser', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let service: Client;
  let superuser: Client;
  let auditor: Agent;
  let alertId: string;
  const work = mkdtempSync(path.join(tmpdir(), 'haze-anchors-'));

  /** Downloads the warning's evidence bundle as an auditor and unzips it into its own folder. */
  const download = async (name: string): Promise<string> => {
    const res = await auditor.get(`/api/alerts/${alertId}/evidence`).buffer(true).parse(binary).expect(200);
    const folder = path.join(work, name);
    mkdirSync(folder);
    for (const [file, text] of await unzipTexts(res.body as Buffer))
      writeFileSync(path.join(folder, file), text);
    return folder;
  };

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await createTestApp({
      env: { SMTP_URL: sink.url, AUDIT_ANCHOR_EMAILS: AUDITORS, SESSION_TTL_HOURS: '720' },
    });
    t.clock.set('2026-11-28T10:00:00+08:00');
    service = new Client({ connectionString: t.db.url });
    superuser = new Client({ connectionString: t.db.superuserUrl });
    await Promise.all([service.connect(), superuser.connect()]);
    auditor = await t.signIn(['AUDITOR']);
    // A real warning, approved and its notices sent: the release publishes the head.
    ({ alertId } = await issueEnterpriseLink(t, sink));
  });
  afterAll(async () => {
    await Promise.all([service.end(), superuser.end()]);
    await t.close();
    await sink.close();
    rmSync(work, { recursive: true, force: true });
  });

  describe("the service's own login", () => {
    it('owns nothing and cannot change, remove or hide audit history', async () => {
      const [{ id: approval }] = (
        await service.query("SELECT id FROM audit_entry WHERE action = 'alert.approved' ORDER BY id LIMIT 1")
      ).rows;
      const refused = async (sql: string, message: RegExp) =>
        expect(service.query(sql)).rejects.toThrow(message);
      await refused(
        `UPDATE audit_entry SET actor_name = 'mallory' WHERE id = ${approval}`,
        /permission denied/,
      );
      await refused(`DELETE FROM audit_entry WHERE id >= ${approval}`, /permission denied/);
      await refused('TRUNCATE audit_entry', /permission denied/);
      await refused('DELETE FROM audit_anchor', /permission denied/);
      await refused("UPDATE audit_anchor SET entry_hash = repeat('0', 64)", /permission denied/);
      // The bypass the review used, and the owner's one: neither is the service's to use.
      await refused('SET session_replication_role = replica', /permission denied/);
      await refused('ALTER TABLE audit_entry DISABLE TRIGGER USER', /must be owner/);
      await refused('DROP TRIGGER audit_entry_append_only ON audit_entry', /must be owner/);
      // It must move the head forward on every append, but cannot roll it back or point it at nothing.
      await refused(
        'UPDATE audit_chain_head SET last_id = last_id - 1, entry_count = entry_count - 1',
        /only moves forward/,
      );
      await refused("UPDATE audit_chain_head SET hash = repeat('a', 64)", /existing entry/);
      await refused('DELETE FROM audit_chain_head', /not allowed/);
      const { rows } = await service.query<{ super: boolean; owns: number }>(
        `SELECT rolsuper AS super, (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                                     WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owns
           FROM pg_roles r WHERE rolname = current_user`,
      );
      expect(rows[0]).toEqual({ super: false, owns: 0 });
      expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
    });
  });

  describe('a superuser rewriting the log', () => {
    it('mails the auditors a signed head when a warning is released, and writes it to the anchor file', async () => {
      const mails = sink.messages.filter((m) => JSON.stringify(m.to).includes(AUDITORS));
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toMatch(/^【审计链锚定】预警发布 · 链头 #\d+/);
      const anchor = JSON.parse(
        /\{"format":"haze-audit-anchor\/1".*\}/.exec(mails[0].text ?? '')![0],
      ) as SignedAnchor;
      expect(anchor).toMatchObject({ reason: 'alert.released', alertId });
      expect(anchorSignatureProblem(anchor)).toBeNull();
      expect(mails[0].text).toContain(anchor.hash);
      const { body } = await auditor.get('/api/audit/anchors').expect(200);
      expect(body.published).toBe(1);
      expect(body.latest[0]).toEqual(anchor);
      expect(body.keyId).toBe(anchor.keyId);
      // A tampered copy is refused: the signature covers every field.
      expect(anchorSignatureProblem({ ...anchor, hash: 'f'.repeat(64) })).toMatch(/signature/);
    });

    it('is caught by the published anchors, and an earlier evidence bundle shows it, when the approver is changed', async () => {
      const earlier = await download('earlier');
      const earlierAnchor = JSON.parse(
        readFileSync(path.join(earlier, 'anchor.json'), 'utf8'),
      ) as SignedAnchor;
      await t.app.get(AuditAnchorJob).run(); // the daily anchor, in the database and outside it
      const audit = t.app.get(AuditService);
      expect(await audit.verify()).toMatchObject({ ok: true, publishedAnchors: 2 });

      const [{ id: approval }] = (
        await superuser.query(
          "SELECT id FROM audit_entry WHERE action = 'alert.approved' AND alert_id = $1 ORDER BY id LIMIT 1",
          [alertId],
        )
      ).rows;
      await rewriteAsSuperuser(superuser, { setActorNameOf: approval, to: 'mallory' });

      // Everything inside the database agrees with itself now; the published heads do not.
      const result = await audit.verify();
      expect(result.ok).toBe(false);
      expect(result.reason).toMatch(/no longer has the hash it was published with/);
      const { body: api } = await auditor.get('/api/audit/verify').expect(200);
      expect(api).toMatchObject({ ok: false, firstBadId: result.firstBadId });

      // The auditor's earlier bundle, against one exported after the rewrite.
      const later = await download('later');
      const offline = spawnSync(process.execPath, ['verify.mjs', earlier, '--against', later], {
        cwd: earlier,
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(offline.stdout).toContain(`BAD ${approval}: entry rewritten since the earlier bundle`);
      expect(offline.status).toBe(1);
      // Each bundle alone still verifies: only the comparison (or the service) can tell.
      expect(spawnSync(process.execPath, ['verify.mjs'], { cwd: later, encoding: 'utf8' }).status).toBe(0);
      // The same bundle's anchor, checked against the database now.
      const entries = async () =>
        (await superuser.query('SELECT count(*)::int AS n FROM audit_entry')).rows[0].n;
      const before = await entries();
      const { body: check } = await auditor
        .post('/api/audit/anchors/check')
        .send({ anchors: [earlierAnchor] })
        .expect(200);
      expect(check).toMatchObject({ ok: false, entryId: earlierAnchor.entryId });
      expect(await entries()).toBe(before); // a comparison: it writes nothing
    });
  });
});

describe('audit log: a tail cut by a superuser, after the head was published', () => {
  let t: TestApp;
  let superuser: Client;
  beforeAll(async () => {
    t = await createTestApp();
    superuser = new Client({ connectionString: t.db.superuserUrl });
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser.end();
    await t.close();
  });

  it('is reported by verify although the head and the database anchors were rewritten to match', async () => {
    const audit = t.app.get(AuditService);
    await audit.recordEvent(
      Array.from({ length: 30 }, (_, i) => ({
        actor: SYSTEM_ACTOR,
        action: testAction('test.entry'),
        data: { i },
      })),
    );
    const published = await t.app.get(AuditAnchorJob).run();
    expect(published).toMatchObject({ acquired: true });
    expect(await audit.verify()).toMatchObject({ ok: true, publishedAnchors: 1 });
    const { rows } = await superuser.query<{ id: string }>(
      'SELECT id FROM audit_entry ORDER BY id DESC LIMIT 20',
    );
    await rewriteAsSuperuser(superuser, { cutFrom: rows[rows.length - 1].id });
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: false, publishedAnchors: 0 });
    expect(result.reason).toMatch(/named by a published anchor is missing/);
    expect(Number(result.firstBadId)).toBeGreaterThanOrEqual(Number(rows[rows.length - 1].id));
  });
});
