import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import fs from 'node:fs';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { DatabaseBootstrapService } from './database/database-bootstrap.service';
import { DEMO_USERS } from './database/seeds/seed.service';
import { startEmbeddedPostgres } from './database/embedded-postgres';

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

async function bootstrap(): Promise<void> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const logger = new Logger('Bootstrap');

  let embedded = false;
  if (!config.databaseUrl) {
    const started = Date.now();
    const db = await startEmbeddedPostgres({
      dataDir: config.embeddedPg.dir,
      port: config.embeddedPg.port,
      credentialsFile: config.embeddedPg.credentialsFile,
    });
    config = { ...config, databaseUrl: db.url, migrationDatabaseUrl: db.migrationUrl };
    embedded = true;
    // embedded-postgres installs its own exit hook that stops the server on SIGINT/SIGTERM.
    logger.log(
      `embedded PostgreSQL on port ${config.embeddedPg.port}, data in ${config.embeddedPg.dir} (${Date.now() - started} ms)`,
    );
  }

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1),
  });
  configureApp(app);
  await app.get(DatabaseBootstrapService).prepare({ demo: config.demo, demoPassword: config.demoPassword });
  await app.listen(config.port, config.host);

  const lines = [
    '',
    `haze-coordinator is running${config.demo ? ' in demo mode' : ''}${embedded ? ' (embedded PostgreSQL)' : ''}`,
    `  Console:  ${config.appUrl}/`,
    `  API docs: ${config.appUrl}/api/docs`,
    `  Health:   ${config.appUrl}/api/health`,
  ];
  if (config.demo) {
    lines.push(
      `  Demo logins (password "${config.demoPassword}"): ${DEMO_USERS.map((u) => `${u.username} (${u.roles.join(', ')})`).join(', ')}`,
    );
  }
  console.log(lines.join('\n') + '\n');
}

bootstrap().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
