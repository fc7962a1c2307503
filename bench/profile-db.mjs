// `node bench/profile-db.mjs <admin-url> <name> <enterprises>`: a profiling database without the XLSX import. Creates
// <name> on the server of <admin-url>, migrates and seeds it (dist/cli/seed.cli.js), then writes the bench's generated
// enterprises and plans (bench/run-bench.mjs generateList: the same enterprises, 3 levels × 3 measures) through the
// import's own set-based writers (upsertEnterprises, replacePlans), 5,000 at a time. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';
import { GENERATED_SEASON, generatedEnterprise } from './generated-list.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const dist = (p) => require(path.join(root, 'dist', p));

const [adminUrl, name, count] = process.argv.slice(2);
if (!adminUrl || !/^hz_[a-z0-9_]+$/.test(name ?? '') || !(Number(count) > 0)) {
  console.error('usage: node bench/profile-db.mjs <admin-url> <hz_name> <enterprises>');
  process.exit(2);
}
const n = Number(count);
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${name}"`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${name}`;

const seeded = spawnSync(process.execPath, ['dist/cli/seed.cli.js'], {
  cwd: root,
  env: {
    ...process.env,
    DATABASE_URL: url.toString(),
    DEMO: 'false',
    SESSION_SECRET: 'profile-session-secret-that-is-long-enough',
    LOG_LEVEL: 'warn',
    DUTY_OFFICE_PHONE: '0358-8221234',
    DUTY_OFFICE_EMAIL: 'duty@bench.test',
  },
  encoding: 'utf8',
});
if (seeded.status !== 0) throw new Error(`seed failed:\n${seeded.stdout}${seeded.stderr}`);

require('reflect-metadata');
const { DataSource } = require('typeorm');
const { dataSourceOptions } = dist('database/data-source.js');
const { upsertEnterprises, replacePlans } = dist('enterprises/reduction-list.writer.js');
const { creditCodeFor } = dist('database/seeds/demo-enterprises.generator.js');

// The bench's list (bench/generated-list.mjs), as the import's writers take it.
function enterprise(i) {
  const { enterprise: input, measures } = generatedEnterprise(i, creditCodeFor);
  return { input, measures: measures.map((m) => ({ ...m, fromHour: null, toHour: null })) };
}

const ds = new DataSource(dataSourceOptions(url.toString()));
await ds.initialize();
const t0 = performance.now();
for (let start = 0; start < n; start += 5000) {
  const chunk = Array.from({ length: Math.min(5000, n - start) }, (_, k) => enterprise(start + k));
  await ds.transaction(async (m) => {
    const ids = await upsertEnterprises(
      m,
      chunk.map((c) => c.input),
    );
    await replacePlans(
      m,
      chunk.map((c) => ({
        enterpriseId: ids.get(c.input.creditCode).id,
        season: GENERATED_SEASON,
        measures: c.measures,
      })),
      { source: 'IMPORT', createdBy: null },
    );
  });
}
await ds.query('ANALYZE');
await ds.destroy();
console.log(`${url} ready: ${n} enterprises in ${Math.round(performance.now() - t0)} ms`);
