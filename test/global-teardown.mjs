// Drops the databases this run created, then stops the embedded PostgreSQL if one was started.
import pg from 'pg';

export default async function globalTeardown() {
  const run = process.env.HZ_TEST_RUN;
  const url = process.env.HZ_TEST_ADMIN_URL;
  if (run && url) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [
        `hzt_${run}_%`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      for (const kind of ['app', 'owner']) await client.query(`DROP ROLE IF EXISTS hzt_${run}_${kind}`);
    } finally {
      await client.end();
    }
  }
  await globalThis.__HZ_EMBEDDED_PG__?.stop();
}
