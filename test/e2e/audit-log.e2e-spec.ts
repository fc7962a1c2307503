import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { entryHash } from '../../src/audit/audit-chain';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditAnchorJob } from '../../src/scheduler/audit-anchor.job';
import { AuditService } from '../../src/audit/audit.service';
import { verifyRangeInWorker } from '../../src/audit/audit-verify.workers';
import { createTestApp, TestApp } from '../support/test-app';
import { testAction } from '../support/test-audit-action';

describe('audit log: append-only, hash-chained', () => {
  let t: TestApp;
  let audit: AuditService;
  let superuser: Client;

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.app.get(AuditService);
    superuser = new Client({ connectionString: t.db.superuserUrl });
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser.end();
    await t.close();
  });

  const count = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM audit_entry'))[0].n);

  it('refuses UPDATE, DELETE and TRUNCATE in SQL, even to the schema owner', async () => {
    await audit.recordEvent({ actor: SYSTEM_ACTOR, action: testAction('test.append-only') });
    const owner = new Client({ connectionString: t.db.ownerUrl });
    await owner.connect();
    try {
      await expect(owner.query("UPDATE audit_entry SET action = 'x'")).rejects.toThrow(/append-only: UPDATE/);
      await expect(owner.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only: DELETE/);
      await expect(owner.query('TRUNCATE audit_entry')).rejects.toThrow(/append-only: TRUNCATE/);
      await expect(owner.query('TRUNCATE audit_anchor')).rejects.toThrow(/append-only: TRUNCATE/);
    } finally {
      await owner.end();
    }
    expect(await count()).toBeGreaterThan(0);
  });

  it('records 1,000 entries, singly, in batches and concurrently, and the chain verifies', async () => {
    const before = await count();
    const batch = Array.from({ length: 600 }, (_, i) => ({
      actor: SYSTEM_ACTOR,
      action: testAction('test.batch'),
      subjectType: 'order',
      subjectId: String(i),
      data: { i, text: '离石区 <b>&"\'', nested: { z: 1, a: [1, 2.5, null] } },
    }));
    await audit.recordEvent(batch);
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        audit.recordEvent({
          actor: { ...SYSTEM_ACTOR, ip: '10.0.0.1' },
          action: testAction('test.single'),
          data: { i },
        }),
      ),
    );
    expect((await count()) - before).toBe(1000);
    const result = await audit.verify();
    expect(result).toEqual({ ok: true, checked: before + 1000, publishedAnchors: 0 });
  });

  it('writes inside the caller transaction: a rollback leaves no entry and the chain intact', async () => {
    const before = await count();
    await expect(
      t.dataSource.transaction(async (m) => {
        await audit.record({ actor: SYSTEM_ACTOR, action: testAction('test.rolled-back') }, m);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await count()).toBe(before);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'test.rolled-back' })).toBe(0);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('never stores secrets given in the data', async () => {
    await audit.recordEvent({
      actor: SYSTEM_ACTOR,
      action: testAction('test.secret'),
      data: { password: 'hunter2', passwordHash: '$argon2id$...' },
    });
    const row = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ action: 'test.secret' });
    expect(row.data).toEqual({ password: '[redacted]', passwordHash: '[redacted]' });
  });

  // Tampering as a superuser with the trigger disabled, in a transaction rolled back afterwards.
  async function tampered(sql: string): Promise<Awaited<ReturnType<AuditService['verify']>>> {
    await superuser.query('BEGIN');
    try {
      await superuser.query('ALTER TABLE audit_entry DISABLE TRIGGER USER');
      await superuser.query(sql);
      await superuser.query('COMMIT');
      return await audit.verify();
    } finally {
      await superuser.query('BEGIN');
      await superuser.query('ALTER TABLE audit_entry ENABLE TRIGGER USER');
      await superuser.query('COMMIT');
    }
  }

  it('detects a modified entry', async () => {
    const [{ id }] = await t.dataSource.query(
      "SELECT id FROM audit_entry WHERE action = 'test.batch' ORDER BY id LIMIT 1 OFFSET 10",
    );
    const result = await tampered(`UPDATE audit_entry SET data = '{"i": 999}' WHERE id = ${id}`);
    expect(result).toMatchObject({ ok: false, firstBadId: id });
    await superuser.query('BEGIN; ALTER TABLE audit_entry DISABLE TRIGGER USER');
    await superuser.query(
      `UPDATE audit_entry SET data = '{"i": 10, "text": "离石区 <b>&\\"''", "nested": {"z": 1, "a": [1, 2.5, null]}}' WHERE id = ${id}`,
    );
    await superuser.query('ALTER TABLE audit_entry ENABLE TRIGGER USER; COMMIT');
    expect((await audit.verify()).ok).toBe(true);
  });
});

describe('audit log: tampering, filters and export', () => {
  let t: TestApp;
  let audit: AuditService;
  let superuser: Client;

  beforeEach(async () => {
    t = await createTestApp();
    audit = t.app.get(AuditService);
    superuser = new Client({ connectionString: t.db.superuserUrl });
    await superuser.connect();
    await audit.recordEvent(
      Array.from({ length: 20 }, (_, i) => ({
        actor: SYSTEM_ACTOR,
        action: testAction('test.entry'),
        subjectType: 'thing',
        subjectId: String(i),
        data: { i },
      })),
    );
  });
  afterEach(async () => {
    await superuser.end();
    await t.close();
  });

  const asSuperuser = async (sql: string) => {
    await superuser.query('BEGIN; ALTER TABLE audit_entry DISABLE TRIGGER USER');
    await superuser.query(sql);
    await superuser.query('ALTER TABLE audit_entry ENABLE TRIGGER USER; COMMIT');
  };
  const ids = async () =>
    (await t.dataSource.query("SELECT id FROM audit_entry WHERE action = 'test.entry' ORDER BY id")).map(
      (r: { id: string }) => r.id,
    );

  it('detects a deleted entry at the entry after it', async () => {
    const list = await ids();
    await asSuperuser(`DELETE FROM audit_entry WHERE id = ${list[5]}`);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadId: list[6] });
  });

  it('finds tampering in the middle of a log read in many pages, at the right entry', async () => {
    const list = await ids();
    const position = async (id: string) =>
      Number((await t.dataSource.query('SELECT count(*) AS n FROM audit_entry WHERE id < $1', [id]))[0].n);
    // Pages of 3: the log (20 entries and more) spans several, and entry 13 is neither a first nor a last page.
    expect(await audit.verify({ pageSize: 3 })).toMatchObject({ ok: true });
    await asSuperuser(`UPDATE audit_entry SET data = '{"i": 999}' WHERE id = ${list[13]}`);
    expect(await audit.verify({ pageSize: 3 })).toEqual({
      ok: false,
      checked: await position(list[13]),
      firstBadId: list[13],
      reason: 'content does not match its hash',
    });
    // A deleted entry with pages of one: the broken link is always between two pages.
    await asSuperuser(`DELETE FROM audit_entry WHERE id = ${list[4]}`);
    expect(await audit.verify({ pageSize: 1 })).toEqual({
      ok: false,
      checked: await position(list[4]),
      firstBadId: list[5],
      reason: 'chain broken: previous hash does not match',
    });
  });

  it('verifies the log split over worker threads as it does in one thread, and finds tampering in any range', async () => {
    const list = await ids();
    const position = async (id: string) =>
      Number((await t.dataSource.query('SELECT count(*) AS n FROM audit_entry WHERE id < $1', [id]))[0].n);
    // Three workers from the first entry on (parallelFrom 0), pages of 4: each range spans pages.
    const parallel = { workers: 3, parallelFrom: 0, pageSize: 4 };
    const whole = await audit.verify({ workers: 1 });
    expect(whole).toMatchObject({ ok: true });
    expect(await audit.verify(parallel)).toEqual(whole);
    // Tampered near the end (the last range) and then near the start (the first): the earlier one is reported,
    // with the count one thread would give.
    await asSuperuser(`UPDATE audit_entry SET data = '{"i": 998}' WHERE id = ${list[18]}`);
    const late = {
      ok: false,
      checked: await position(list[18]),
      firstBadId: list[18],
      reason: 'content does not match its hash',
    };
    expect(await audit.verify({ workers: 1 })).toEqual(late);
    expect(await audit.verify(parallel)).toEqual(late);
    await asSuperuser(`UPDATE audit_entry SET data = '{"i": 999}' WHERE id = ${list[2]}`);
    expect(await audit.verify(parallel)).toEqual({
      ok: false,
      checked: await position(list[2]),
      firstBadId: list[2],
      reason: 'content does not match its hash',
    });
    // A deleted entry at a range's joint is a broken link wherever the boundary falls.
    await asSuperuser(`DELETE FROM audit_entry WHERE id IN (${list[2]}, ${list[18]})`);
    for (const workers of [2, 3, 5])
      expect(await audit.verify({ ...parallel, workers })).toEqual({
        ok: false,
        checked: await position(list[2]),
        firstBadId: list[3],
        reason: 'chain broken: previous hash does not match',
      });
  });

  it('verifies one range in a worker thread on its own connection, from the stored hash before it', async () => {
    const list = await ids();
    const url = (t.dataSource.options as { url: string }).url;
    const hashOf = async (id: string): Promise<string> =>
      (await t.dataSource.query('SELECT hash FROM audit_entry WHERE id = $1', [id]))[0].hash;
    const range = { afterId: list[4], lastId: list[14], lastHash: await hashOf(list[4]) };
    expect(await verifyRangeInWorker(url, range, 3)).toEqual({
      checked: 10,
      lastHash: await hashOf(list[14]),
    });
    await asSuperuser(`UPDATE audit_entry SET data = '{"i": 999}' WHERE id = ${list[9]}`);
    expect(await verifyRangeInWorker(url, range, 3)).toEqual({
      checked: 4,
      lastHash: await hashOf(list[8]),
      firstBadId: list[9],
      reason: 'content does not match its hash',
    });
    // A connection it cannot open is an error of the verification, not a verdict on the log.
    await expect(verifyRangeInWorker('postgres://nobody@127.0.0.1:1/none', range, 3)).rejects.toThrow(
      /audit verification worker/,
    );
  });

  it('detects reordered entries', async () => {
    const list = await ids();
    await asSuperuser(`UPDATE audit_entry a SET data = b.data, subject_id = b.subject_id
                         FROM audit_entry b WHERE (a.id, b.id) IN ((${list[3]}, ${list[4]}), (${list[4]}, ${list[3]}))`);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBadId: list[3] });
  });

  it('detects an entry inserted outside the service, even with a consistent hash of its own', async () => {
    const [last] = await t.dataSource.query('SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1');
    const forged = {
      occurredAt: new Date(),
      actorType: 'USER',
      actorId: null,
      actorName: 'mallory',
      action: 'alert.approved',
      subjectType: null,
      subjectId: null,
      alertId: null,
      requestId: null,
      ip: null,
      data: {},
    };
    const hash = entryHash(last.hash, forged);
    await asSuperuser(
      `INSERT INTO audit_entry (occurred_at, actor_type, actor_name, action, data, prev_hash, hash)
       VALUES ('${forged.occurredAt.toISOString()}', 'USER', 'mallory', 'alert.approved', '{}', '${last.hash}', '${hash}')`,
    );
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('outside the service') });
    expect(Number(result.firstBadId)).toBeGreaterThan(Number(last.id));
  });

  it('detects entries removed from the end', async () => {
    const list = await ids();
    await asSuperuser(`DELETE FROM audit_entry WHERE id >= ${list[18]}`);
    expect(await audit.verify()).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
  });

  it('detects a cut tail even when the head row is rewritten to match, thanks to the daily anchor', async () => {
    const list = await ids();
    // Cut the last 5 entries and make the head agree: the chain alone then verifies.
    const cut = async () => {
      await asSuperuser(`DELETE FROM audit_entry WHERE id >= ${list[15]}`);
      // A superuser gets past every trigger, the head's forward-only one included.
      await superuser.query('SET session_replication_role = replica');
      await superuser.query(
        `UPDATE audit_chain_head SET last_id = e.id, hash = e.hash, entry_count = (SELECT count(*) FROM audit_entry)
           FROM (SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1) e WHERE audit_chain_head.id = 1`,
      );
      await superuser.query('SET session_replication_role = origin');
    };
    const [{ n }] = await t.dataSource.query<Array<{ n: number }>>(
      'SELECT count(*)::int AS n FROM audit_entry',
    );
    const anchored = await t.app.get(AuditAnchorJob).run();
    expect(anchored).toMatchObject({ acquired: true, result: { entryId: list[19], entryCount: n } });
    const [entry] = await t.dataSource.query<Array<{ data: Record<string, unknown> }>>(
      "SELECT data FROM audit_entry WHERE action = 'audit.anchored'",
    );
    expect(entry.data).toMatchObject({
      entryId: list[19],
      entryCount: n,
      headSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await audit.verify()).ok).toBe(true);

    await cut();
    expect(await audit.verify()).toMatchObject({
      ok: false,
      firstBadId: list[19],
      reason: expect.stringContaining('anchored entry'),
    });
    // The anchors themselves are append-only (the service's login may not even try).
    await expect(t.dataSource.query('DELETE FROM audit_anchor')).rejects.toThrow(/permission denied/);
  });

  it('filters and pages the log for auditors only', async () => {
    const auditor = await t.signIn(['AUDITOR']);
    const first = await auditor.get('/api/audit').query({ action: 'test.entry', limit: 8 }).expect(200);
    expect(first.body.items.map((e: { subjectId: string }) => e.subjectId)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
    ]);
    const second = await auditor
      .get('/api/audit')
      .query({ action: 'test.entry', limit: 8, after: first.body.nextAfter })
      .expect(200);
    expect(second.body.items[0].subjectId).toBe('8');
    const third = await auditor
      .get('/api/audit')
      .query({ action: 'test.entry', limit: 8, after: second.body.nextAfter })
      .expect(200);
    expect(third.body).toMatchObject({
      nextAfter: null,
      items: [{ subjectId: '16' }, {}, {}, { subjectId: '19' }],
    });
    expect(
      (await auditor.get('/api/audit').query({ action: 'auth.', actor: 'nobody' }).expect(200)).body.items,
    ).toEqual([]);
    expect(
      (await auditor.get('/api/audit').query({ action: 'auth.' }).expect(200)).body.items.map(
        (e: { action: string }) => e.action,
      ),
    ).toEqual(['auth.login']);
    expect(
      (await auditor.get('/api/audit').query({ subjectType: 'thing', subjectId: '3' }).expect(200)).body
        .items,
    ).toHaveLength(1);
    const bad = await auditor.get('/api/audit').query({ from: 'yesterday' }).expect(422);
    expect(bad.body.error.fields[0].field).toBe('from');
    const duty = await t.signIn(['DUTY_OFFICER']);
    await duty.get('/api/audit').expect(403);
    await duty.get('/api/audit/export').expect(403);
  });

  it('exports the filtered log as CSV with a BOM and escaped formula cells', async () => {
    await audit.recordEvent({
      actor: { ...SYSTEM_ACTOR, name: '=HYPERLINK("x")' },
      action: testAction('test.formula'),
      data: { note: '离石区' },
    });
    const admin = await t.signIn(['ADMIN']);
    const res = await admin
      .get('/api/audit/export')
      .query({ action: 'test.' })
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows: string[][] = parse(text.slice(1));
    expect(rows[0]).toEqual([
      '序号',
      '时间(北京时间)',
      '操作者类型',
      '操作者',
      '操作代码',
      '操作',
      '对象类型',
      '对象',
      '预警',
      '地址',
      '请求号',
      '内容',
      '哈希',
    ]);
    expect(rows).toHaveLength(22);
    const formula = rows.find((r) => r[4] === 'test.formula')!;
    expect(formula[3]).toBe('\'=HYPERLINK("x")');
    expect(formula[5]).toBe('test.formula'); // not catalogued: its code stands for the label
    expect(JSON.parse(formula[11])).toEqual({ note: '离石区' });
  });

  it("shows each action's Chinese label beside its code, on the audit page and in the CSV", async () => {
    await audit.recordEvent([
      { actor: { ...SYSTEM_ACTOR, name: 'auditor-li' }, action: 'evidence.exported', subjectType: 'alert' },
      {
        actor: { ...SYSTEM_ACTOR, name: 'auditor-li' },
        action: 'order.receipt.repeated',
        subjectType: 'order',
      },
    ]);
    const auditor = await t.signIn(['AUDITOR']);
    const page = await auditor.get('/audit').query({ actor: 'auditor-li' }).expect(200);
    const cells = [
      ...page.text.matchAll(/<span class="action-label" data-action="([^"]*)">([^<]*)<\/span>/g),
    ].map((m) => [m[2], m[1]]);
    // The page reads newest first.
    expect(cells).toEqual([
      ['企业重复确认收到', 'order.receipt.repeated'],
      ['导出证据包', 'evidence.exported'],
    ]);
    // The filter suggests the catalogued actions by label.
    expect(page.text).toContain(
      '<option value="alert.lift.override">预报不支持解除,指挥部书面说明后批准</option>',
    );

    const res = await auditor
      .get('/api/audit/export')
      .query({ actor: 'auditor-li' })
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const rows: string[][] = parse((res.body as Buffer).toString('utf8').slice(1));
    expect(rows.map((r) => [r[4], r[5]])).toEqual([
      ['操作代码', '操作'],
      ['evidence.exported', '导出证据包'],
      ['order.receipt.repeated', '企业重复确认收到'],
    ]);
  });
});
