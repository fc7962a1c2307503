import 'reflect-metadata';
import { DatabaseBootstrapService } from '../database/database-bootstrap.service';
import { fail, withAppContext } from './cli-context';

/** `npm run seed`: migrations, reference data, and demo users when in demo mode. Safe to repeat. */
withAppContext(async (app, config) => {
  const result = await app
    .get(DatabaseBootstrapService)
    .prepare({ demo: config.demo, demoPassword: config.demoPassword });
  console.log(JSON.stringify(result, null, 2));
}).catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
