import { parentPort, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import type { AuditRow } from './audit-chain';
import { type AuditRange, verifyRange } from './audit-range.verifier';

/**
 * A verification worker (worker_threads): verifies one range of the audit log on its own connection and posts its
 * VerifyState. Reading and hashing a million entries is CPU work in one thread; the ranges run side by side on the
 * machine's cores. Its connection only reads, with the service's login, and closes when the range is done.
 */
async function main(): Promise<void> {
  const { url, range, pageSize } = workerData as { url: string; range: AuditRange; pageSize: number };
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const state = await verifyRange(
      async (sql, params) => (await client.query<AuditRow>(sql, params)).rows,
      range,
      pageSize,
    );
    parentPort!.postMessage({ state });
  } finally {
    await client.end();
  }
}

main().catch((e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) }));
