import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cluster from 'node:cluster';
import fs from 'node:fs';
import { pino } from 'pino';
import { AppModule } from './app.module';
import { superviseWebWorkers } from './common/process/web-workers';
import { configureApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { DatabaseBootstrapService } from './database/database-bootstrap.service';
import { DEMO_USERS } from './database/seeds/seed.service';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { createRootLogger } from './logging/logger-options';
import { postgresLogLevel } from './logging/logging.rules';

// Lines before Nest's logger exists (and a failed start) are JSON too, written at once: the process may exit next.
const early = createRootLogger('info', pino.destination({ dest: 1, sync: true })).child({
  context: 'Bootstrap',
});

async function bootstrap(): Promise<void> {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      early.fatal(e.message);
      process.exit(1);
    }
    throw e;
  }
  early.level = config.logLevel;
  const logger = early;
  if (cluster.isPrimary && config.webWorkers > 1) {
    superviseWebWorkers(config.webWorkers, { info: (m) => logger.info(m), error: (m) => logger.error(m) });
    return;
  }

  let embedded = false;
  if (!config.databaseUrl) {
    const started = Date.now();
    const db = await startEmbeddedPostgres({
      dataDir: config.embeddedPg.dir,
      port: config.embeddedPg.port,
      credentialsFile: config.embeddedPg.credentialsFile,
      // The server's own stderr (its start-up notes, a refused port) as JSON lines like the rest.
      onError: (message) => {
        for (const line of message.split('\n').filter(Boolean))
          logger.child({ context: 'EmbeddedPostgres' })[postgresLogLevel(line)](line);
      },
    });
    config = { ...config, databaseUrl: db.url, migrationDatabaseUrl: db.migrationUrl };
    embedded = true;
    // embedded-postgres installs its own exit hook that stops the server on SIGINT/SIGTERM.
    logger.info(
      `embedded PostgreSQL on port ${config.embeddedPg.port}, data in ${config.embeddedPg.dir} (${Date.now() - started} ms)`,
    );
  }

  // Nest's own start-up lines wait for pino (configureApp), which writes them at their levels.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
  });
  configureApp(app);
  await app.get(DatabaseBootstrapService).prepare({ demo: config.demo, demoPassword: config.demoPassword });
  await app.listen(config.port, config.host);

  logger.info(
    {
      console: `${config.appUrl}/`,
      apiDocs: `${config.appUrl}/api/docs`,
      health: `${config.appUrl}/api/health`,
    },
    `haze-coordinator is running${config.demo ? ' in demo mode' : ''}${embedded ? ' (embedded PostgreSQL)' : ''} at ${config.appUrl}/`,
  );
  if (config.demo) {
    logger.info(
      `Demo logins (password "${config.demoPassword}"): ${DEMO_USERS.map((u) => `${u.username} (${u.roles.join(', ')})`).join(', ')}`,
    );
  }
}

bootstrap().catch((e: unknown) => {
  early.fatal(e instanceof Error ? { err: e } : { err: String(e) }, 'start-up failed');
  process.exit(1);
});
