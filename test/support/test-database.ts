import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { DatabaseBootstrapService } from '../../src/database/database-bootstrap.service';
import { testConfig } from './test-config';

export interface TestDatabase {
  /** The service's login, as deployed: owns nothing, may only append to the audit log. */
  url: string;
  /** The schema owner's login (migrations). */
  ownerUrl: string;
  /** A superuser: for tests that play an attacker with full control of the database server. */
  superuserUrl: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.HZ_TEST_ADMIN_URL;
  if (!url)
    throw new Error('HZ_TEST_ADMIN_URL is not set: run the tests through jest (test/global-setup.mjs)');
  return url;
}

export function urlFor(database: string, login: 'superuser' | 'owner' | 'app' = 'superuser'): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  if (login !== 'superuser') {
    url.username = roleOf(login);
    url.password = process.env[`HZ_TEST_${login.toUpperCase()}_PASSWORD`] ?? '';
  }
  return url.toString();
}

/** The run's owner and service logins, created by test/global-setup.mjs. */
export const roleOf = (login: 'owner' | 'app'): string => `hzt_${runId()}_${login}`;

async function withAdmin<T>(body: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

const runId = (): string => process.env.HZ_TEST_RUN ?? 'local';
const templateName = (): string => `hzt_${runId()}_template`;

/** Migrates and seeds (reference data only) the run's template once, the same way the service does at start. */
async function ensureTemplate(client: Client): Promise<void> {
  await client.query("SELECT pg_advisory_lock(hashtext('haze:test-template'))");
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateName()]);
    if (exists.rowCount) return;
    await client.query(`CREATE DATABASE "${templateName()}" OWNER ${roleOf('owner')}`);
    const config = testConfig(urlFor(templateName(), 'app'), {
      MIGRATION_DATABASE_URL: urlFor(templateName(), 'owner'),
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
    await app.init();
    try {
      await app.get(DatabaseBootstrapService).prepare({ demo: false, demoPassword: config.demoPassword });
    } finally {
      await app.close();
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('haze:test-template'))");
  }
}

/** A fresh, migrated, seeded database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hzt_${runId()}_${randomBytes(5).toString('hex')}`;
  await withAdmin(async (client) => {
    await ensureTemplate(client);
    await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}" OWNER ${roleOf('owner')}`);
  });
  return {
    url: urlFor(name, 'app'),
    ownerUrl: urlFor(name, 'owner'),
    superuserUrl: urlFor(name),
    name,
    drop: () =>
      withAdmin(
        async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
      ),
  };
}
