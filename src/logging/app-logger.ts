import type { Logger as Pino } from 'pino';
import { Logger, type Params, PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import { nestLogLevel } from './logging.rules';

/**
 * nestjs-pino's PinoLogger writes outside a request to the first root logger the process ever made (a module
 * variable): a second app in one process (the tests' template database, then the test's own app) would log
 * to the first's destination. This one uses its own app's root logger outside requests, and the request's
 * child logger (with its requestId) inside, as nestjs-pino keeps it in AsyncLocalStorage.
 */
export class AppPinoLogger extends PinoLogger {
  constructor(
    params: Params,
    private readonly root: Pino,
  ) {
    super(params);
  }

  override get logger(): Pino {
    return storage.getStore()?.logger ?? this.root;
  }
}

/**
 * Nest's logger for the whole app (app.useLogger): nestjs-pino's, so everything that logs through Nest's
 * `Logger` (the scheduler's jobs, the dispatcher, the exception filters) comes out as pino's JSON, with the
 * request id while a request is served. Nest's start-up lines per module and per route go at debug.
 */
export class AppLogger extends Logger {
  constructor(params: Params, root: Pino) {
    super(new AppPinoLogger(params, root), params);
  }

  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (nestLogLevel(optionalParams.at(-1)) === 'debug') super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
