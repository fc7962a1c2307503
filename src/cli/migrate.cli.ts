import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source';
import { grantServiceRole, loginOf } from '../database/database-roles';
import { cliConfig, fail } from './cli-context';

/** `node dist/cli/migrate.cli.js run|revert|show`: applies, reverts the last, or lists migrations. */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'run';
  if (!['run', 'revert', 'show'].includes(command))
    fail(`usage: migrate.cli.js run|revert|show (got "${command}")`);
  const { config, embedded } = await cliConfig();
  // Migrations run as the schema's owner when there is one; the service's login is then granted its rights.
  const ds = new DataSource(dataSourceOptions(config.migrationDatabaseUrl ?? config.databaseUrl!));
  await ds.initialize();
  try {
    if (command === 'run') {
      const applied = await ds.runMigrations({ transaction: 'each' });
      if (config.migrationDatabaseUrl)
        await grantServiceRole((sql) => ds.query(sql), loginOf(config.databaseUrl!));
      console.log(
        applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'no pending migrations',
      );
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else {
      const pending = await ds.showMigrations();
      console.log(pending ? 'there are pending migrations' : 'all migrations are applied');
    }
  } finally {
    await ds.destroy();
    await embedded?.stop();
  }
}

main().catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
