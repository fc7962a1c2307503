// `node bench/profile-db.mjs <admin-url> <name> <enterprises>`: a profiling database without the XLSX import. Creates
// <name> on the server of <admin-url>, migrates and seeds it (dist/cli/seed.cli.js), then writes the bench's generated
// enterprises and plans (bench/run-bench.mjs generateList: the same enterprises, 3 levels × 3 measures) through the
// import's own set-based writers (upsertEnterprises, replacePlans), 5,000 at a time. Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

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

// As bench/run-bench.mjs generateList.
const counties = [
  '141102',
  '141121',
  '141122',
  '141123',
  '141124',
  '141125',
  '141126',
  '141127',
  '141128',
  '141129',
  '141130',
  '141181',
  '141182',
];
const industries = [
  'COKING',
  'FERROALLOY',
  'CEMENT',
  'LIME_KILN',
  'BRICK_KILN',
  'CASTING',
  'REFRACTORY',
  'CARBON',
];
const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function enterprise(i) {
  let serial = '';
  for (let k = 0, v = i; k < 5; k++, v = Math.floor(v / 31)) serial = alphabet[v % 31] + serial;
  const county = counties[i % counties.length];
  const base = { so2: 100 + (i % 50), nox: 200 + (i % 70), pm: 50 + (i % 30), vocs: 40 + (i % 20) };
  const cut = (f) => ({
    so2: Math.round(base.so2 * f),
    nox: Math.round(base.nox * f),
    pm: Math.round(base.pm * f),
    vocs: Math.round(base.vocs * f),
  });
  const measures = [];
  for (const [level, f] of [
    ['YELLOW', 0.1],
    ['ORANGE', 0.2],
    ['RED', 0.3],
  ]) {
    const pct = Math.round(f * 100);
    measures.push(
      {
        level,
        line: 'L1',
        action: 'LIMIT_PERCENT',
        params: { percent: pct },
        description: `限产${pct}%`,
        reduction: cut(f),
        verification: 'POWER_SUBMETER',
        fromHour: null,
        toHour: null,
      },
      {
        level,
        line: 'L2',
        action: 'STOP_SHARE',
        params: { share: 50, unit: '生产线' },
        description: '停产50%生产线',
        reduction: cut(f / 2),
        verification: 'DCS',
        fromHour: null,
        toHour: null,
      },
      {
        level,
        line: null,
        action: 'TRUCK_BAN_CN4',
        params: {},
        description: '禁用国四及以下重型货车运输',
        reduction: cut(0.01),
        verification: 'GATE_CAMERA',
        fromHour: null,
        toHour: null,
      },
    );
  }
  return {
    input: {
      creditCode: creditCodeFor(county, `MA0B${serial}`),
      name: `基准测试${industries[i % industries.length]}企业${i}有限公司`,
      industry: industries[i % industries.length],
      countyCode: county,
      address: `${county}工业园区${i}号`,
      longitude: 111.1,
      latitude: 37.5,
      grade: ['B', 'B_MINUS', 'C'][i % 3],
      protected: false,
      controlTags: [],
      contacts: [{ name: '张三', role: '环保负责人', email: `env${i}@bench.example`, phone: '13800000000' }],
      lines: [
        { code: 'L1', name: '1#生产线', capacity: 100000, unit: 't/a' },
        { code: 'L2', name: '2#生产线', capacity: 100000, unit: 't/a' },
      ],
      baseline: base,
    },
    measures,
  };
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
        season: '2025-2026',
        measures: c.measures,
      })),
      { source: 'IMPORT', createdBy: null },
    );
  });
}
await ds.query('ANALYZE');
await ds.destroy();
console.log(`${url} ready: ${n} enterprises in ${Math.round(performance.now() - t0)} ms`);
