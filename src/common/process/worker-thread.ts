import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Loads a worker's TypeScript source when the service itself runs from sources (the tests): transpiled by @swc/core
 * (the tests' own transformer) as it is required, decorators included (a worker may load an @Injectable class). The
 * built service starts the compiled file directly.
 */
const FROM_SOURCES = `
const { workerData } = require('node:worker_threads');
const { transformFileSync } = require('@swc/core');
require('reflect-metadata');
require.extensions['.ts'] = (module, filename) =>
  module._compile(
    transformFileSync(filename, {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    }).code,
    filename,
  );
require(workerData.file);
`;

/**
 * Starts the worker thread whose module is `name` beside `fromFile` (its caller's __filename): the .ts source under
 * the tests, the compiled .js in the built service. `workerData.file` names the module; the rest is the caller's.
 */
export function startWorkerThread(
  fromFile: string,
  name: string,
  workerData: Record<string, unknown>,
): Worker {
  const file = path.join(path.dirname(fromFile), `${name}${path.extname(fromFile)}`);
  const data = { ...workerData, file };
  return file.endsWith('.ts')
    ? new Worker(FROM_SOURCES, { eval: true, workerData: data })
    : new Worker(file, { workerData: data });
}
