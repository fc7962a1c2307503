import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { replacePlans, upsertEnterprises } from '../../src/enterprises/reduction-list.writer';
import { enterpriseInput, measure } from '../factories/enterprise.factory';
import type { TestApp } from './test-app';

const ROOT = path.resolve(__dirname, '../..');
type Agent = Awaited<ReturnType<TestApp['signIn']>>;

/**
 * `count` enterprises in a county, written the way an import does (emails `<emailPrefix><county>-<i>@…`), then
 * a yellow warning drafted and approved over them; returns the warning's id.
 */
export async function warnCounty(
  t: TestApp,
  people: { duty: Agent; commander: Agent },
  countyCode: string,
  opts: { count: number; label: string; emailPrefix: string },
): Promise<string> {
  await t.dataSource.transaction(async (m) => {
    const inputs = Array.from({ length: opts.count }, (_, i) =>
      enterpriseInput({
        countyCode,
        name: `${opts.label}${countyCode}企业${i}`,
        contacts: [{ name: 'x', email: `${opts.emailPrefix}${countyCode}-${i}@test.example` }],
      }),
    );
    const ids = await upsertEnterprises(m, inputs);
    await replacePlans(
      m,
      inputs.map((e) => ({
        enterpriseId: ids.get(e.creditCode)!.id,
        season: '2025-2026',
        measures: [measure({ level: 'YELLOW' })],
      })),
      { source: 'SEED', createdBy: 'test' },
    );
  });
  const draft = await people.duty
    .post('/api/alerts')
    .send({
      level: 'YELLOW',
      countyCodes: [countyCode],
      effectiveAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      reason: opts.label,
    })
    .expect(201);
  await people.commander.post(`/api/alerts/${draft.body.id}/approve`).send({}).expect(200);
  return draft.body.id as string;
}

/**
 * A service process without HTTP, scheduler on, dispatching from the test's database to `smtpUrl`; it is added
 * to `children` at once (so the test can kill it) and resolves when it is ready.
 */
export function forkDispatcher(
  children: ChildProcess[],
  databaseUrl: string,
  smtpUrl: string,
  env: Record<string, string>,
): Promise<ChildProcess> {
  const child = fork(path.join(ROOT, 'test/support/service.process.ts'), [], {
    cwd: ROOT,
    execArgv: ['-r', path.join(ROOT, 'test/support/ts-register.cjs')],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtpUrl,
      SESSION_SECRET: 'test-session-secret-that-is-long-enough',
      DUTY_OFFICE_PHONE: '0358-8221234',
      DUTY_OFFICE_EMAIL: 'duty@lvliang.test',
      SCHEDULER_ENABLED: 'true',
      OUTBOX_BATCH_SIZE: '100',
      DATA_DIR: '/tmp/hz-test-data',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  // A SIGKILLed child can reset its IPC pipe; that must not become an uncaught error in the test process.
  child.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`dispatcher exited early (${code})`)));
  });
}
