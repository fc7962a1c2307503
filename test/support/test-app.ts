import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { SYSTEM_ACTOR } from '../../src/audit/actor';
import type { Role } from '../../src/auth/roles';
import { UsersService } from '../../src/auth/users.service';
import { Clock } from '../../src/common/clock/clock';
import { FakeClock } from './fake-clock';
import { testConfig } from './test-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  dataSource: DataSource;
  clock: FakeClock;
  http: () => ReturnType<typeof request>;
  /** A supertest agent signed in as a new user holding these roles. */
  signIn(
    roles: Role[],
    username?: string,
    countyCodes?: string[],
  ): Promise<InstanceType<typeof request.agent>>;
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct-horse-battery';

let userCounter = 0;

/**
 * Boots the whole app on its own fresh database, configured exactly as main.ts does, with a fake clock.
 * `customise` may override further providers or add test-only controllers.
 */
export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    customise?: (b: TestingModuleBuilder) => TestingModuleBuilder;
    controllers?: Array<new (...a: never[]) => unknown>;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const clock = new FakeClock();
  const config = testConfig(db.url, { MIGRATION_DATABASE_URL: db.ownerUrl, ...opts.env });
  let builder = Test.createTestingModule({
    imports: [AppModule.forRoot(config)],
    controllers: opts.controllers ?? [],
  })
    .overrideProvider(Clock)
    .useValue(clock);
  if (opts.customise) builder = opts.customise(builder);
  const moduleRef = await builder.compile();
  // As main.ts: Nest's lines wait for pino (configureApp), whose level is LOG_LEVEL (warn: testConfig).
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
  configureApp(app);
  await app.init();
  const server = app.getHttpServer();

  return {
    app,
    db,
    clock,
    dataSource: app.get(DataSource),
    http: () => request(server),
    async signIn(roles, username, countyCodes) {
      const name = username ?? `user${++userCounter}-${roles.join('-').toLowerCase().replace(/_/g, '')}`;
      await app
        .get(UsersService)
        .create({ username: name, password: TEST_PASSWORD, roles, countyCodes }, SYSTEM_ACTOR);
      const agent = request.agent(server);
      await agent.post('/api/auth/login').send({ username: name, password: TEST_PASSWORD }).expect(200);
      return agent;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
