import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { VerifyState } from './audit-chain';
import type { AuditRange } from './audit-range.verifier';

/**
 * Loads the worker's TypeScript source when the service itself runs from sources (the tests): transpiled by @swc/core
 * (the tests' own transformer) as it is required. The built service starts the compiled file directly.
 */
const FROM_SOURCES = `
const { workerData } = require('node:worker_threads');
const { transformFileSync } = require('@swc/core');
require.extensions['.ts'] = (module, filename) =>
  module._compile(
    transformFileSync(filename, {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }).code,
    filename,
  );
require(workerData.file);
`;

/** Verifies one range of the audit log in a worker thread (audit-verify.worker) on its own connection to `url`. */
export function verifyRangeInWorker(url: string, range: AuditRange, pageSize: number): Promise<VerifyState> {
  const file = path.join(__dirname, `audit-verify.worker${path.extname(__filename)}`);
  const workerData = { file, url, range, pageSize };
  const worker = file.endsWith('.ts')
    ? new Worker(FROM_SOURCES, { eval: true, workerData })
    : new Worker(file, { workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { state?: VerifyState; error?: string }) =>
      m.state ? resolve(m.state) : reject(new Error(`audit verification worker: ${m.error}`)),
    );
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`audit verification worker exited with code ${code}`)));
  });
}
