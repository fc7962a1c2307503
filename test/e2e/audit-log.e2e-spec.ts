import { Client } from 'pg';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { AuditService } from '../../src/audit/audit.service';
import { createTestApp, TestApp } from '../support/test-app';

describe('audit log: append-only, hash-chained', () => {
  let t: TestApp;
  let audit: AuditService;
  let superuser: Client;

  beforeAll(async () => {
    t = await createTestApp();
    audit = t.app.get(AuditService);
    superuser = new Client({ connectionString: t.db.url });
    await superuser.connect();
  });
  afterAll(async () => {
    await superuser.end();
    await t.close();
  });

  const count = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM audit_entry'))[0].n);

  it('refuses UPDATE, DELETE and TRUNCATE in SQL', async () => {
    await audit.record({ actor: SYSTEM_ACTOR, action: 'test.append-only' });
    await expect(t.dataSource.query("UPDATE audit_entry SET action = 'x'")).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(t.dataSource.query('DELETE FROM audit_entry')).rejects.toThrow(/append-only: DELETE/);
    await expect(t.dataSource.query('TRUNCATE audit_entry')).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await count()).toBeGreaterThan(0);
  });

  it('records 1,000 entries, singly, in batches and concurrently, and the chain verifies', async () => {
    const before = await count();
    const batch = Array.from({ length: 600 }, (_, i) => ({
      actor: SYSTEM_ACTOR,
      action: 'test.batch',
      subjectType: 'order',
      subjectId: String(i),
      data: { i, text: '离石区 <b>&"\'', nested: { z: 1, a: [1, 2.5, null] } },
    }));
    await audit.record(batch);
    await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        audit.record({ actor: { ...SYSTEM_ACTOR, ip: '10.0.0.1' }, action: 'test.single', data: { i } }),
      ),
    );
    expect((await count()) - before).toBe(1000);
    const result = await audit.verify();
    expect(result).toEqual({ ok: true, checked: before + 1000 });
  });

  it('writes inside the caller transaction: a rollback leaves no entry and the chain intact', async () => {
    const before = await count();
    await expect(
      t.dataSource.transaction(async (m) => {
        await audit.record({ actor: SYSTEM_ACTOR, action: 'test.rolled-back' }, m);
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await count()).toBe(before);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'test.rolled-back' })).toBe(0);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('never stores secrets given in the data', async () => {
    await audit.record({
      actor: SYSTEM_ACTOR,
      action: 'test.secret',
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
