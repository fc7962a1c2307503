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
  async tryWithLock<T>(
    name: LockName,
    body: () => Promise<T>,
  ): Promise<{ acquired: true; result: T } | { acquired: false }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        name,
      ])) as Array<{ locked: boolean }>;
      const locked = rows[0]?.locked === true;
      if (!locked) return { acquired: false };
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
