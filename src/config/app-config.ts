import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { emailAddressProblem } from '../common/email-address.rules';
import { DEFAULT_DOCUMENT_NUMBER_PREFIX, documentPrefixProblem } from '../documents/document-number.rules';
import { LOG_LEVELS, type LogLevel, parseLogLevel } from '../logging/logging.rules';

/** Typed configuration, read once at boot from the environment. */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  host: string;
  /**
   * HTTP worker processes (node:cluster) sharing the port, each a whole service (WEB_WORKERS, default 1). Needs an
   * external DATABASE_URL: the embedded PostgreSQL belongs to one process.
   */
  webWorkers: number;
  /**
   * Worker threads that verify a long audit log side by side, each a range on its own connection (AUDIT_VERIFY_WORKERS,
   * default half the cores, at most 4: each worker keeps a PostgreSQL backend busy too, and on 2 cores with the
   * database on the same host two workers were slower than one; 1 verifies in the request's thread). Needs
   * DATABASE_URL's server to take that many more connections while it runs.
   */
  auditVerifyWorkers: number;
  /** The service's own login. Unset means: start the embedded PostgreSQL under embeddedPg.dir. */
  databaseUrl: string | undefined;
  /**
   * The login that owns the schema and runs the migrations; the service's login then owns nothing and may
   * only append to the audit log. Unset: migrations run with databaseUrl (one login, audit log not protected).
   */
  migrationDatabaseUrl: string | undefined;
  demo: boolean;
  demoPassword: string;
  appUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string;
  sessionTtlHours: number;
  secureCookies: boolean;
  dataDir: string;
  /** Where inspection photos are kept: under DATA_DIR (the default) or in an S3-compatible bucket (issue 17). */
  photoStore: PhotoStoreConfig;
  /** The embedded PostgreSQL; its generated passwords are kept in credentialsFile. */
  embeddedPg: { dir: string; port: number; credentialsFile: string };
  schedulerEnabled: boolean;
  login: { maxFailures: number; windowMinutes: number };
  /** Largest reduction-list upload, bytes, and most data rows in it. */
  importMaxBytes: number;
  importMaxRows: number;
  /** Enterprises an import plans and writes at a time, in its one transaction (issue 19: bounded memory). */
  importChunkEnterprises: number;
  /** Largest telemetry file (readings CSV/XLSX), bytes, and most readings in it (issue 17). */
  telemetryImportMaxBytes: number;
  telemetryImportMaxRows: number;
  mail: {
    maxConnections: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
    leaseMs: number;
    batchSize: number;
    /** How many instances may drain the outbox at once (advisory lock slots; claims are SKIP LOCKED). */
    dispatchers: number;
    /** Right-hand side of Message-IDs. */
    domain: string;
    /**
     * Worker threads that render the notices while the dispatcher's own thread sends (MAIL_RENDER_WORKERS, default 1
     * with two cores or more, else 0: rendered in the sending thread). Rendering was a sixth of the dispatcher's work.
     */
    renderWorkers: number;
  };
  /** The command office's duty desk, printed as the contact of every notice (required outside demo mode). */
  dutyOffice: { name: string; phone: string; email: string };
  /** Notices as official documents: the 文号 prefix and the issuing body printed at the foot. */
  documents: {
    /** 吕重污应急 in 吕重污应急〔2026〕12号. */
    numberPrefix: string;
    /** 吕梁市重污染天气应急指挥部 (the signature) and its office (办公室, which sends on its behalf). */
    issuer: string;
    issuerOffice: string;
  };
  /** How long after the report deadline an acknowledgement link still opens the order. */
  ackLinkDays: number;
  /** How long a warning's detail (with its order counts) may be reused for repeated reads; 0 = never. */
  alertViewCacheMs: number;
  /** The dashboard's figures per county scope are reused this long (ms); changes made here show at once. */
  dashboardCacheMs: number;
  /** How long a checked session may be trusted without asking the database again; 0 = never. */
  sessionCacheMs: number;
  /** Reminders go out this long before a receipt or report deadline. */
  reminderLeadMs: number;
  /**
   * Each warning revision (and expiry) also notifies the county bureaus and city departments (src/parties). On by
   * default; off (PARTY_NOTICES=false) where a city tells them by other means.
   */
  partyNotices: boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>`; unset: open (a scrape network's own). */
  metricsToken: string | undefined;
  /** pino's level (LOG_LEVEL; Nest's old names `log` and `verbose` read as info and trace). */
  logLevel: LogLevel;
  anchors: {
    /** PEM file of the Ed25519 key that signs the audit chain head; generated when missing. */
    signingKeyFile: string;
    /** Append-only file the signed heads are written to, outside the database. */
    file: string;
    /** Who receives the signed head daily and on each warning's release (comma-separated). */
    emails: string[];
  };
}

/**
 * PHOTO_STORE=local keeps photos under DATA_DIR/inspection-photos; PHOTO_STORE=s3 in a bucket of AWS S3 or an
 * S3-compatible store (MinIO, Ceph, OSS) at `endpoint`. Without keys the SDK's default chain (AWS_* variables,
 * shared files, instance role) finds them.
 */
export type PhotoStoreConfig =
  | { kind: 'local' }
  | {
      kind: 's3';
      bucket: string;
      /** Unset: AWS S3 itself for the region. */
      endpoint: string | undefined;
      region: string;
      /** bucket in the path (http://host/bucket/key) rather than the host name; most S3-compatible stores want it. */
      forcePathStyle: boolean;
      credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    };

export const APP_CONFIG = Symbol('APP_CONFIG');

/** A bad environment variable: the message names it so the operator knows what to fix. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readString(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return value === '' ? undefined : value;
}

/** An address printed in every notice: one a mail server takes, checked by the rule contacts use too. */
function readEmail(env: Env, name: string): string | undefined {
  const value = readString(env, name);
  if (value !== undefined && emailAddressProblem(value) !== null)
    throw new ConfigError(name, `must be a plain email address such as duty@example.cn, got "${value}"`);
  return value;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function readEmailList(env: Env, name: string): string[] | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.find((a) => emailAddressProblem(a) !== null);
  if (bad) throw new ConfigError(name, `holds an address that is not valid: "${bad}"`);
  return list;
}

const PHOTO_STORES = ['local', 's3'] as const;

/** PHOTO_STORE and, with s3, the S3_* variables; a key is never echoed in a message. */
function readPhotoStore(env: Env): PhotoStoreConfig {
  const kind = readString(env, 'PHOTO_STORE')?.toLowerCase() ?? 'local';
  if (!(PHOTO_STORES as readonly string[]).includes(kind))
    throw new ConfigError(
      'PHOTO_STORE',
      `must be local or s3, got "${env.PHOTO_STORE}" (照片存储方式只能是 local 或 s3)`,
    );
  const bucket = readString(env, 'S3_BUCKET');
  if (kind === 'local') {
    // An operator who named a bucket meant the photos to go there: say so rather than keep them on disk unnoticed.
    if (bucket !== undefined)
      throw new ConfigError(
        'PHOTO_STORE',
        'is local (the default) but S3_BUCKET is set: set PHOTO_STORE=s3 to keep photos in the bucket, or unset S3_BUCKET (已配置 S3_BUCKET,请同时设置 PHOTO_STORE=s3)',
      );
    return { kind: 'local' };
  }
  if (bucket === undefined)
    throw new ConfigError(
      'S3_BUCKET',
      'is required when PHOTO_STORE=s3: the bucket inspection photos are kept in (PHOTO_STORE=s3 时必须配置照片存储桶 S3_BUCKET)',
    );
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket))
    throw new ConfigError(
      'S3_BUCKET',
      `must be a bucket name (letters, digits, dots, hyphens), got "${bucket}" (存储桶名称不合法)`,
    );
  const endpoint = readUrl(env, 'S3_ENDPOINT', ['http:', 'https:']);
  const region = readString(env, 'S3_REGION') ?? 'us-east-1';
  if (!/^[A-Za-z0-9-]{1,64}$/.test(region))
    throw new ConfigError('S3_REGION', `must be a region name such as us-east-1, got "${region}"`);
  const accessKeyId = readString(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = readString(env, 'S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    const other = accessKeyId === undefined ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID';
    throw new ConfigError(
      missing,
      `is required when ${other} is set: give both, or neither for the SDK's default credentials (访问密钥须成对配置)`,
    );
  }
  return {
    kind: 's3',
    bucket,
    endpoint,
    region,
    forcePathStyle: readBool(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined),
    credentials:
      accessKeyId !== undefined && secretAccessKey !== undefined
        ? { accessKeyId, secretAccessKey }
        : undefined,
  };
}

/**
 * Demo mode needs a session secret without asking the operator for one: generate it once and keep it
 * in the data directory, so sessions survive restarts.
 */
function demoSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const port = readInt(env, 'PORT', 3000, 0, 65535);
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const migrationDatabaseUrl = readUrl(env, 'MIGRATION_DATABASE_URL', ['postgres:', 'postgresql:']);
  if (migrationDatabaseUrl && !databaseUrl)
    throw new ConfigError('MIGRATION_DATABASE_URL', 'needs DATABASE_URL (the service login) to be set too');
  const webWorkers = readInt(env, 'WEB_WORKERS', 1, 1, 64);
  if (webWorkers > 1 && databaseUrl === undefined)
    throw new ConfigError(
      'WEB_WORKERS',
      'needs DATABASE_URL: the embedded PostgreSQL serves one process (多个工作进程须连接外部数据库 DATABASE_URL)',
    );
  const auditVerifyWorkers = readInt(
    env,
    'AUDIT_VERIFY_WORKERS',
    Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2))),
    1,
    16,
  );
  const demo = databaseUrl === undefined ? true : readBool(env, 'DEMO', false);
  const dataDir = path.resolve(cwd, readString(env, 'DATA_DIR') ?? '.data');
  const appUrl = (readUrl(env, 'APP_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);

  const logLevelValue = readString(env, 'LOG_LEVEL') ?? 'info';
  const logLevel = parseLogLevel(logLevelValue);
  if (logLevel === null) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelValue}"`);
  }

  const metricsToken = readString(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters long');
  let sessionSecret = readString(env, 'SESSION_SECRET');
  if (sessionSecret !== undefined && sessionSecret.length < 32) {
    throw new ConfigError('SESSION_SECRET', 'must be at least 32 characters long');
  }
  if (sessionSecret === undefined) {
    if (!demo)
      throw new ConfigError('SESSION_SECRET', 'is required outside demo mode (at least 32 characters)');
    sessionSecret = demoSessionSecret(dataDir);
  }

  const demoPassword = readString(env, 'DEMO_PASSWORD') ?? 'demo';

  // Every notice names the duty office's phone and email: a real deployment must say which they are.
  const dutyPhone = readString(env, 'DUTY_OFFICE_PHONE');
  if (dutyPhone !== undefined && !/^[0-9+\-() 转]{3,40}$/.test(dutyPhone))
    throw new ConfigError(
      'DUTY_OFFICE_PHONE',
      `must be a phone number such as 0358-8221234, got "${dutyPhone}"`,
    );
  const dutyEmail = readEmail(env, 'DUTY_OFFICE_EMAIL');
  for (const [name, value] of [
    ['DUTY_OFFICE_PHONE', dutyPhone],
    ['DUTY_OFFICE_EMAIL', dutyEmail],
  ] as const) {
    if (value === undefined && !demo)
      throw new ConfigError(
        name,
        `is required outside demo mode: every notice prints it as the duty office's contact (值班室${name.endsWith('PHONE') ? '电话' : '邮箱'}必须配置,通知中要印出)`,
      );
  }
  const numberPrefix = readString(env, 'DOCUMENT_NUMBER_PREFIX') ?? DEFAULT_DOCUMENT_NUMBER_PREFIX;
  const prefixProblem = documentPrefixProblem(numberPrefix);
  if (prefixProblem)
    throw new ConfigError('DOCUMENT_NUMBER_PREFIX', `${prefixProblem}, got "${numberPrefix}"`);

  return {
    nodeEnv: readString(env, 'NODE_ENV') ?? 'development',
    port,
    host: readString(env, 'HOST') ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    webWorkers,
    auditVerifyWorkers,
    databaseUrl,
    migrationDatabaseUrl,
    demo,
    demoPassword,
    appUrl,
    smtpUrl,
    mailFrom: readString(env, 'MAIL_FROM') ?? '吕梁市重污染天气应急指挥部 <noreply@localhost>',
    sessionSecret,
    sessionTtlHours: readInt(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    secureCookies: readBool(env, 'SECURE_COOKIES', appUrl.startsWith('https:')),
    dataDir,
    photoStore: readPhotoStore(env),
    embeddedPg: {
      dir: path.resolve(cwd, readString(env, 'EMBEDDED_PG_DIR') ?? path.join(dataDir, 'pg')),
      port: readInt(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
      credentialsFile: path.join(dataDir, 'pg-credentials.json'),
    },
    schedulerEnabled: readBool(env, 'SCHEDULER_ENABLED', true),
    login: {
      maxFailures: readInt(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
      windowMinutes: readInt(env, 'LOGIN_WINDOW_MINUTES', 15, 1, 24 * 60),
    },
    mail: {
      maxConnections: readInt(env, 'SMTP_POOL_SIZE', 5, 1, 100),
      maxAttempts: readInt(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: readInt(env, 'MAIL_RETRY_BASE_MS', 30_000, 1, 3_600_000),
      retryMaxMs: readInt(env, 'MAIL_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
      leaseMs: readInt(env, 'MAIL_LEASE_SECONDS', 120, 1, 86_400) * 1000,
      batchSize: readInt(env, 'OUTBOX_BATCH_SIZE', 500, 1, 10_000),
      dispatchers: readInt(env, 'OUTBOX_DISPATCHERS', 4, 1, 64),
      domain: new URL(appUrl).hostname,
      // One where there is a core to spare: on one core a worker would only take turns with the sending thread.
      renderWorkers: readInt(env, 'MAIL_RENDER_WORKERS', os.availableParallelism() > 1 ? 1 : 0, 0, 8),
    },
    dutyOffice: {
      name: readString(env, 'DUTY_OFFICE_NAME') ?? '吕梁市重污染天气应急指挥部办公室',
      // Demo mode gets plainly fictitious contacts (a 555 number, the localhost mailbox).
      phone: dutyPhone ?? '0358-5550000',
      email: dutyEmail ?? 'duty@localhost',
    },
    documents: {
      numberPrefix,
      issuer: readString(env, 'DOCUMENT_ISSUER') ?? '吕梁市重污染天气应急指挥部',
      issuerOffice: readString(env, 'DOCUMENT_ISSUER_OFFICE') ?? '吕梁市重污染天气应急指挥部办公室',
    },
    ackLinkDays: readInt(env, 'ACK_LINK_DAYS', 14, 1, 365),
    alertViewCacheMs: readInt(env, 'ALERT_VIEW_CACHE_MS', 1000, 0, 60_000),
    dashboardCacheMs: readInt(env, 'DASHBOARD_CACHE_MS', 1000, 0, 60_000),
    sessionCacheMs: readInt(env, 'SESSION_CACHE_MS', 2000, 0, 60_000),
    reminderLeadMs: readInt(env, 'REMINDER_LEAD_MINUTES', 60, 1, 24 * 60) * 60_000,
    partyNotices: readBool(env, 'PARTY_NOTICES', true),
    metricsToken,
    importMaxBytes: readInt(env, 'IMPORT_MAX_MB', 50, 1, 1024) * 1024 * 1024,
    importMaxRows: readInt(env, 'IMPORT_MAX_ROWS', 200_000, 1, 5_000_000),
    importChunkEnterprises: readInt(env, 'IMPORT_CHUNK_ENTERPRISES', 1000, 1, 100_000),
    telemetryImportMaxBytes: readInt(env, 'TELEMETRY_IMPORT_MAX_MB', 256, 1, 1024) * 1024 * 1024,
    telemetryImportMaxRows: readInt(env, 'TELEMETRY_IMPORT_MAX_ROWS', 2_000_000, 1, 10_000_000),
    logLevel,
    anchors: {
      signingKeyFile: path.resolve(
        cwd,
        readString(env, 'AUDIT_ANCHOR_KEY_FILE') ?? path.join(dataDir, 'audit-anchor-key.pem'),
      ),
      file: path.resolve(
        cwd,
        readString(env, 'AUDIT_ANCHOR_FILE') ?? path.join(dataDir, 'audit-anchors.jsonl'),
      ),
      emails: readEmailList(env, 'AUDIT_ANCHOR_EMAILS') ?? (demo ? ['audit@localhost'] : []),
    },
  };
}
