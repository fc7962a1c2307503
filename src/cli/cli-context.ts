import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import fs from 'node:fs';
import { AppModule } from '../app.module';
import { AppConfig, ConfigError, loadConfig } from '../config/app-config';
import { EmbeddedDatabase, startEmbeddedPostgres } from '../database/embedded-postgres';

/**
 * Configuration plus a database for a command-line script: DATABASE_URL when set, otherwise the same
 * embedded PostgreSQL that `npm start` uses (stop the service first: they share the data directory).
 */
export async function cliConfig(): Promise<{ config: AppConfig; embedded?: EmbeddedDatabase }> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = { ...loadConfig(), schedulerEnabled: false };
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  if (config.databaseUrl) return { config };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.embeddedPg.dir,
    port: config.embeddedPg.port,
    credentialsFile: config.embeddedPg.credentialsFile,
  });
  return {
    config: { ...config, databaseUrl: embedded.url, migrationDatabaseUrl: embedded.migrationUrl },
    embedded,
  };
}

/** Runs `body` with the app's services (no HTTP server), then shuts everything down. */
export async function withAppContext(
  body: (app: INestApplicationContext, config: AppConfig) => Promise<void>,
): Promise<void> {
  const { config, embedded } = await cliConfig();
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['error', 'warn'],
  });
  try {
    await body(app, config);
  } finally {
    await app.close();
    await embedded?.stop();
  }
}

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
