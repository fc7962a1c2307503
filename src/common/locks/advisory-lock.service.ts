import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Names of the jobs guarded by a PostgreSQL advisory lock; one key each. */
export type LockName = string;

/**
 * Runs a body only if this process wins a session-level PostgreSQL advisory lock, so N service
 * instances against one database run each scheduled job once at a time.
 */
@Injectable()
export class AdvisoryLockService {
  private readonly logger = new Logger(AdvisoryLockService.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Returns `{ acquired: false }` at once when another holder has the lock. */
  tryWithLock<T>(
    name: LockName,
    body: () => Promise<T>,
  ): Promise<{ acquired: true; result: T } | { acquired: false }> {
    return this.tryWithAnyLock([name], body);
  }

  /**
   * Runs the body under the first of these locks that is free (as many holders at once as there are names: a job
   * whose work is safe in parallel, such as the outbox's SKIP LOCKED claims); `{ acquired: false }` when all are held.
   */
  async tryWithAnyLock<T>(
    names: readonly LockName[],
    body: () => Promise<T>,
  ): Promise<{ acquired: true; result: T } | { acquired: false }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      let name: LockName | null = null;
      for (const candidate of names) {
        const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
          candidate,
        ])) as Array<{ locked: boolean }>;
        if (rows[0]?.locked === true) {
          name = candidate;
          break;
        }
      }
      if (name === null) return { acquired: false };
      try {
        return { acquired: true, result: await body() };
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch((e: unknown) => {
          this.logger.warn(`could not release lock ${name}: ${String(e)}`);
        });
      }
    } finally {
      await runner.release();
    }
  }
}
