import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SeedReport, SeedService } from './seeds/seed.service';

/** Migrates and seeds at start-up, under an advisory lock so several instances starting together take turns. */
@Injectable()
export class DatabaseBootstrapService {
  private readonly logger = new Logger(DatabaseBootstrapService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly seeds: SeedService,
  ) {}

  async prepare(opts: {
    demo: boolean;
    demoPassword: string;
  }): Promise<{ migrations: string[]; seeds: SeedReport }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query("SELECT pg_advisory_lock(hashtext('haze:database-bootstrap'))");
      const migrations = await this.dataSource.runMigrations({ transaction: 'each' });
      if (migrations.length)
        this.logger.log(`applied migrations: ${migrations.map((m) => m.name).join(', ')}`);
      const seeds = await this.seeds.run(opts);
      return { migrations: migrations.map((m) => m.name), seeds };
    } finally {
      await runner
        .query("SELECT pg_advisory_unlock(hashtext('haze:database-bootstrap'))")
        .catch(() => undefined);
      await runner.release();
    }
  }
}
