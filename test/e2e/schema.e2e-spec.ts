import { DataSource } from 'typeorm';
import { AdvisoryLockService } from '../../src/common/locks/advisory-lock.service';
import { dataSourceOptions } from '../../src/database/data-source';
import { createTestDatabase } from '../support/test-database';
import { createTestApp, TestApp } from '../support/test-app';

describe('schema: migrations match the entities and can be reverted', () => {
  it('has no difference between the migrated schema and the entity metadata', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.ownerUrl));
    await ds.initialize();
    try {
      const sql = await ds.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });

  it('reverts every migration and applies them again', async () => {
    const db = await createTestDatabase();
    const ds = new DataSource(dataSourceOptions(db.ownerUrl));
    await ds.initialize();
    try {
      const applied = (await ds.query('SELECT count(*)::int AS n FROM schema_migration'))[0].n as number;
      for (let i = 0; i < applied; i++) await ds.undoLastMigration({ transaction: 'each' });
      const tables = await ds.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migration'",
      );
      expect(tables).toEqual([]);
      const again = await ds.runMigrations({ transaction: 'each' });
      expect(again).toHaveLength(applied);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});

describe('advisory lock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lets one holder run a job body at a time and frees the lock afterwards', async () => {
    const locks = t.app.get(AdvisoryLockService);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = locks.tryWithLock('test-job', () => held.then(() => 'first'));
    await new Promise((r) => setTimeout(r, 100));
    const second = await locks.tryWithLock('test-job', () => Promise.resolve('second'));
    expect(second).toEqual({ acquired: false });
    release();
    expect(await first).toEqual({ acquired: true, result: 'first' });
    expect(await locks.tryWithLock('test-job', () => Promise.resolve('third'))).toEqual({
      acquired: true,
      result: 'third',
    });
  });

  it('lets as many holders run at once as a job has slots, and no more', async () => {
    const locks = t.app.get(AdvisoryLockService);
    const slots = ['test-slots#0', 'test-slots#1'];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let running = 0;
    const body = (name: string) => () => {
      running++;
      return held.then(() => name);
    };
    const first = locks.tryWithAnyLock(slots, body('first'));
    const second = locks.tryWithAnyLock(slots, body('second'));
    while (running < 2) await new Promise((r) => setImmediate(r));
    expect(await locks.tryWithAnyLock(slots, () => Promise.resolve('third'))).toEqual({ acquired: false });
    release();
    expect([await first, await second]).toEqual([
      { acquired: true, result: 'first' },
      { acquired: true, result: 'second' },
    ]);
  });
});
