// `node bench/profile-db.mjs <admin-url> <name> <enterprises>`: a profiling database without the XLSX import. Creates
// <name> on the server of <admin-url>, migrates and seeds it (dist/cli/seed.cli.js), then writes the bench's generated
// enterprises and plans through the import's own set-based writers (bench-service.mjs writeGeneratedEnterprises, the
// bench's list). Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { root, writeGeneratedEnterprises } from './bench-service.mjs';

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

const took = await writeGeneratedEnterprises(url.toString(), n);
console.log(`${url} ready: ${n} enterprises in ${took} ms`);
