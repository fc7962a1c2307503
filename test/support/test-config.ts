import { AppConfig, loadConfig } from '../../src/config/app-config';

/** Configuration for a test app: a given database, no scheduler, a fixed secret, demo mode off. */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: 'test-session-secret-that-is-long-enough',
    SCHEDULER_ENABLED: 'false',
    APP_URL: 'http://localhost:3000',
    DATA_DIR: '/tmp/hz-test-data',
    // One anchor file per database: the anchors of other test databases are not this one's history.
    AUDIT_ANCHOR_FILE: `/tmp/hz-test-data/anchors/${new URL(databaseUrl).pathname.slice(1)}.jsonl`,
    // Tests read order counts right after acks and dispatch in the same breath; the cache itself is unit-tested.
    ALERT_VIEW_CACHE_MS: '0',
    DASHBOARD_CACHE_MS: '0',
    // Required outside demo mode: every notice prints them.
    DUTY_OFFICE_PHONE: '0358-8221234',
    DUTY_OFFICE_EMAIL: 'duty@lvliang.test',
    // Most files count the enterprises' notices; the county and department notices are tested with it on
    // (test/e2e/party-notices.e2e-spec.ts and the authorisation matrix).
    PARTY_NOTICES: 'false',
    // As quiet as the suite always was: warnings and errors only (test/e2e/logging.e2e-spec.ts sets its own).
    LOG_LEVEL: 'warn',
    ...env,
  });
}
