import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { SYSTEM_ACTOR } from '../audit/actor';
import { ROLES } from '../auth/roles';
import { UsersService } from '../auth/users.service';
import { DomainError } from '../common/errors/domain-error';
import { DatabaseBootstrapService } from '../database/database-bootstrap.service';
import { fail, withAppContext } from './cli-context';

const USAGE = `usage: npm run user:create -- --username NAME --role ROLE [--role ROLE] [--name "显示名称"] [--counties CODE[,CODE]]
  roles: ${ROLES.join(', ')}
  --counties: the county codes a COUNTY_OFFICER answers for (required for that role), e.g. 141126
  the password is read from NEW_USER_PASSWORD, or asked for (not echoed), or read from standard input`;

/** Reads a password without echoing it on a terminal (or the first line of piped input). */
async function readPassword(): Promise<string> {
  if (process.env.NEW_USER_PASSWORD) return process.env.NEW_USER_PASSWORD;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY });
  return new Promise((resolve) => {
    rl.question('Password: ', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string', multiple: true },
      name: { type: 'string' },
      counties: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.username || !values.role?.length) fail(USAGE);
  const password = await readPassword();
  await withAppContext(async (app, config) => {
    // A new installation may not be migrated yet: bring it up to date first (idempotent).
    await app.get(DatabaseBootstrapService).prepare({ demo: config.demo, demoPassword: config.demoPassword });
    try {
      const user = await app.get(UsersService).create(
        {
          username: values.username!,
          displayName: values.name,
          password,
          roles: values.role!,
          countyCodes: (values.counties ?? []).flatMap((c) => c.split(',')),
        },
        { ...SYSTEM_ACTOR, name: 'cli' },
      );
      const counties = user.countyCodes.length ? ` [${user.countyCodes.join(', ')}]` : '';
      console.log(`created user ${user.username} (${user.roles.join(', ')})${counties}`);
    } catch (e) {
      if (e instanceof DomainError)
        fail(`${e.message}: ${(e.fields ?? []).map((f) => `${f.field}: ${f.message}`).join('; ')}`);
      throw e;
    }
  });
}

main().catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
