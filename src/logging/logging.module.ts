import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule, type Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AppLogger } from './app-logger';
import { createRootLogger, httpLoggerOptions } from './logger-options';

/** Where the log lines go: stdout. The tests override it with a stream they read. */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');
/** The app's root pino logger (LOG_LEVEL, Beijing time, redaction): requests' loggers are its children. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

@Global()
@Module({
  providers: [
    { provide: LOG_DESTINATION, useFactory: (): DestinationStream => pino.destination(1) },
    {
      provide: ROOT_LOGGER,
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream): Logger =>
        createRootLogger(config.logLevel, destination),
    },
  ],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Structured JSON logs through nestjs-pino: its middleware (pino-http, then the request's logger kept in
 * AsyncLocalStorage) on every route, and AppLogger as Nest's logger (app.setup.ts).
 */
@Module({})
export class LoggingModule {
  static forRoot(): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [
        RootLoggerModule,
        LoggerModule.forRootAsync({
          imports: [RootLoggerModule],
          inject: [ROOT_LOGGER],
          useFactory: (root: Logger): Params => ({
            pinoHttp: httpLoggerOptions(root),
            // Express 5's pattern for every path (nestjs-pino's default `*` draws a warning from Nest).
            forRoutes: ['*path'],
          }),
        }),
      ],
      providers: [
        {
          provide: AppLogger,
          inject: [PARAMS_PROVIDER_TOKEN, ROOT_LOGGER],
          useFactory: (params: Params, root: Logger) => new AppLogger(params, root),
        },
      ],
      exports: [AppLogger],
    };
  }
}
