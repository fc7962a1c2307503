#!/usr/bin/env node
// Writes the OpenAPI document (as /api/docs-json serves it) from the compiled app and lints it with Redocly
// (recommended rules, redocly.yaml) and Spectral (spectral:oas, .spectral.yaml). Needs `npm run build` first.
// Then generates a TypeScript client (openapi-typescript) into a temp dir and compiles a small use of it.
// Nest's preview mode scans the modules without creating any provider, so no database is needed.
// Usage: node scripts/openapi-lint.mjs [--out FILE] [--no-lint]
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out =
  outAt >= 0 ? path.resolve(args[outAt + 1]) : path.join(os.tmpdir(), `hz-openapi-${process.pid}.json`);

const { NestFactory } = require('@nestjs/core');
const { AppModule } = require(path.join(root, 'dist/app.module.js'));
const { loadConfig } = require(path.join(root, 'dist/config/app-config.js'));
const { createApiDocument } = require(path.join(root, 'dist/common/http/api-document.js'));

// A configuration that passes validation; preview mode never connects to this address.
const config = loadConfig({
  DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none',
  SESSION_SECRET: 'openapi-document-only-secret-0123456789',
  SCHEDULER_ENABLED: 'false',
  DUTY_OFFICE_PHONE: '0358-8221234',
  DUTY_OFFICE_EMAIL: 'duty@lvliang.test',
});
const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false });
fs.writeFileSync(out, JSON.stringify(createApiDocument(app), null, 2) + '\n');
await app.close();
console.log(`OpenAPI document written to ${out}`);
if (args.includes('--no-lint')) process.exit(0);

const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
let failed = false;
for (const [name, argv] of [
  ['redocly', ['lint', out, '--config', path.join(root, 'redocly.yaml'), '--format', 'summary']],
  ['spectral', ['lint', out, '--ruleset', path.join(root, '.spectral.yaml'), '--fail-severity', 'error']],
]) {
  console.log(`\n--- ${name}`);
  try {
    execFileSync(bin(name), argv, { stdio: 'inherit', env, cwd: root });
  } catch {
    failed = true;
  }
}
// A client generated from the document, and code using it, compile: a loose schema (an `object` where a number
// is, a level that is any string) fails here.
console.log('\n--- openapi-typescript + tsc');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hz-openapi-client-'));
const usage = `import type { components, paths } from './schema';
type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type AlertDetail = Json<paths['/api/alerts/{id}']['get']['responses']['200']>;
export const level: AlertDetail['level'] = 'ORANGE';
// @ts-expect-error a level is one of the four colours
export const purple: AlertDetail['level'] = 'PURPLE';
export const end: AlertDetail['expectedEndAt'] = null;
type Enterprise = components['schemas']['EnterpriseViewDto'];
export const longitude: Enterprise['longitude'] = 111.14;
export const noLongitude: Enterprise['longitude'] = null;
export const notFound: Json<paths['/api/alerts/{id}']['get']['responses']['404']> = {
  error: { code: 'NOT_FOUND', message: '资源不存在' },
};
export const plan = (p: Json<paths['/api/enterprises/{id}/plan']['get']['responses']['200']>): number =>
  p.measures.length;
`;
try {
  execFileSync(bin('openapi-typescript'), [out, '--output', path.join(dir, 'schema.ts')], {
    stdio: 'inherit',
    env,
  });
  fs.writeFileSync(path.join(dir, 'usage.ts'), usage);
  execFileSync(
    bin('tsc'),
    [
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--skipLibCheck',
      '--ignoreConfig',
      path.join(dir, 'usage.ts'),
    ],
    { stdio: 'inherit', env },
  );
  console.log('generated client compiles');
} catch {
  failed = true;
}
fs.rmSync(dir, { recursive: true, force: true });
if (outAt < 0) fs.rmSync(out, { force: true });
process.exit(failed ? 1 : 0);
