// Profiling database for audit verification (issue 19): `node scripts/audit-verify-profile.mjs fill|verify|drop`.
//   fill:   creates AUDIT_PROFILE_DB (default hz_auditv_profile) on ADMIN_DATABASE_URL if absent, migrates it and
//           fills audit_entry to AUDIT_PROFILE_ENTRIES (default 1,000,000) through AuditService (the same rows the
//           service writes, chained, 10,000 per statement), with the bench's data.
//   verify: times AuditService.verify() AUDIT_PROFILE_RUNS times (default 3) with AUDIT_PROFILE_WORKERS worker
//           threads (default 1: one thread); run it under `node --cpu-prof` to see where the time goes.
//   drop:   drops the database.
// Needs `npm run build` first (it loads dist/, or AUDIT_PROFILE_DIST).
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
// AUDIT_PROFILE_DIST: another build to time (e.g. a copy of dist/ built from the previous commit).
const dist = (p) => require(path.join(process.env.AUDIT_PROFILE_DIST ?? path.join(root, 'dist'), p));

const adminUrl = process.env.ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = process.env.AUDIT_PROFILE_DB ?? 'hz_auditv_profile';
const target = Number(process.env.AUDIT_PROFILE_ENTRIES ?? 1_000_000);
const runs = Number(process.env.AUDIT_PROFILE_RUNS ?? 3);
// AUDIT_PROFILE_WORKERS: verification worker threads (AuditService.verify's `workers`, 1 in one thread).
const workers = Number(process.env.AUDIT_PROFILE_WORKERS ?? 1);
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

async function admin(sql) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

async function withService(fn) {
  require('reflect-metadata');
  const { DataSource } = require('typeorm');
  const { dataSourceOptions } = dist('database/data-source.js');
  const { AuditService } = dist('audit/audit.service.js');
  const ds = new DataSource(dataSourceOptions(url));
  await ds.initialize();
  try {
    // No heads published outside this throwaway database: an empty anchor file.
    const audit = new AuditService(
      ds,
      { now: () => new Date() },
      { keyId: 'profile' },
      { read: async () => '' },
    );
    return await fn(audit, ds);
  } finally {
    await ds.destroy();
  }
}

/** The bench's entries (bench/run-bench.mjs auditVerify), numbered from `from`. */
export function benchEntries(from, size) {
  return Array.from({ length: size }, (_, i) => ({
    actor: { type: 'SYSTEM', id: null, name: 'bench' },
    action: 'bench.entry',
    subjectType: 'order',
    subjectId: String(from + i),
    data: { i: from + i, note: '基准测试审计记录', nested: { level: 'RED', counties: ['141102', '141181'] } },
  }));
}

async function fill() {
  const { rows } = await admin(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (rows.length === 0) await admin(`CREATE DATABASE "${name}"`);
  await withService(async (audit, ds) => {
    await ds.runMigrations({ transaction: 'each' });
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM audit_entry');
    const t0 = performance.now();
    for (let have = n; have < target; have += 10000)
      await audit.recordEvent(benchEntries(have, Math.min(10000, target - have)));
    console.log(
      `${name}: ${Math.max(target, n)} entries (filled ${Math.max(0, target - n)} in ${Math.round(performance.now() - t0)} ms)`,
    );
  });
}

async function verify() {
  await withService(async (audit) => {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await audit.verify({ workers });
      console.log(`verify (${workers} workers): ${Math.round(performance.now() - t0)} ms`, JSON.stringify(r));
    }
  });
}

const command = process.argv[2];
if (command === 'fill') await fill();
else if (command === 'verify') await verify();
else if (command === 'drop') await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
else {
  console.error('usage: audit-verify-profile.mjs fill|verify|drop');
  process.exit(2);
}
