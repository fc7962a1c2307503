import 'reflect-metadata';
import { DataSource, DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

/** The one set of TypeORM options, shared by the app, the CLI scripts and the tests. */
export function dataSourceOptions(
  url: string,
  overrides: Partial<DataSourceOptions> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS as DataSourceOptions['migrations'],
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    // gen_random_uuid() is built into PostgreSQL >= 13; the service's login may not create extensions.
    installExtensions: false,
    extra: { max: 20, application_name: 'haze-coordinator' },
    ...overrides,
  } as DataSourceOptions;
}

/** For the TypeORM CLI (`npm run migration:generate`): reads DATABASE_URL. */
export default new DataSource(
  dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/haze_coordinator'),
);
