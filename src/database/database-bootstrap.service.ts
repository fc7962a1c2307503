import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source';
import { checkServiceRole, grantServiceRole, ServiceRoleCheck } from './database-roles';
import { SeedReport, SeedService } from './seeds/seed.service';

/**
 * Migrates and seeds at start-up, under an advisory lock so several instances starting together take turns.
 * With MIGRATION_DATABASE_URL the migrations run as the schema's owner, which then grants the service's
 * login its rights (see database-roles.ts); the seeds run as the service, like everything else it writes.
 */
@Injectable()
export class DatabaseBootstrapService {
  private readonly logger = new Logger(DatabaseBootstrapService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly seeds: SeedService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async prepare(opts: {
    demo: boolean;
    demoPassword: string;
  }): Promise<{ migrations: string[]; seeds: SeedReport; serviceRole: ServiceRoleCheck }> {
    const ownerUrl = this.config.migrationDatabaseUrl;
    const owner = ownerUrl
      ? new DataSource(
          dataSourceOptions(ownerUrl, { extra: { max: 2, application_name: 'haze-coordinator-migrate' } }),
        )
      : this.dataSource;
    if (ownerUrl) await owner.initialize();
    const runner = owner.createQueryRunner();
    await runner.connect();
    try {
      await runner.query("SELECT pg_advisory_lock(hashtext('haze:database-bootstrap'))");
      const migrations = await owner.runMigrations({ transaction: 'each' });
      if (migrations.length)
        this.logger.log(`applied migrations: ${migrations.map((m) => m.name).join(', ')}`);
      if (ownerUrl) {
        const [{ role }] = await this.dataSource.query<Array<{ role: string }>>(
          'SELECT current_user AS role',
        );
        await grantServiceRole((sql) => runner.query(sql), role);
      }
      const seeds = await this.seeds.run(opts);
      const serviceRole = await checkServiceRole((sql, params) => this.dataSource.query(sql, params));
      if (serviceRole.canRewriteAudit) {
        this.logger.warn(
          `the service's database login "${serviceRole.role}" ${serviceRole.superuser ? 'is a superuser' : 'owns or may change the audit tables'}: ` +
            'it could rewrite the audit log. Give it a least-privilege login and set MIGRATION_DATABASE_URL to the owner (docs/operations.md).',
        );
      }
      return { migrations: migrations.map((m) => m.name), seeds, serviceRole };
    } finally {
      await runner
        .query("SELECT pg_advisory_unlock(hashtext('haze:database-bootstrap'))")
        .catch(() => undefined);
      await runner.release();
      if (ownerUrl) await owner.destroy();
    }
  }
}
