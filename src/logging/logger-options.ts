import type { Request, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { Options as HttpOptions } from 'pino-http';
import { ensureRequestId } from '../common/http/request-id.middleware';
import { shanghaiTimestamp } from '../common/time';
import {
  accessLine,
  accessLogLevel,
  accessMessage,
  type LogLevel,
  REDACT_PATHS,
  redactUrl,
} from './logging.rules';

/**
 * The root logger: one JSON line per entry, `level` as its name ("info"), `time` in Beijing time with its offset
 * and milliseconds ("2026-12-01T10:00:00.123+08:00"), secrets censored (REDACT_PATHS). Written to stdout unless
 * a destination is given (the tests give a stream they read).
 */
export function createRootLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    timestamp: () => `,"time":"${shanghaiTimestamp(new Date(), 'millisecond')}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The access line's facts, read from Express once the response has finished (its route is known then). */
function accessOf(message: IncomingMessage, res: ServerResponse, ms: number) {
  const req = message as Request; // pino-http runs as Express middleware here
  return accessLine({
    method: req.method,
    baseUrl: req.baseUrl ?? '',
    originalUrl: req.originalUrl ?? req.url,
    routePath: (req.route as { path?: string } | undefined)?.path,
    status: res.statusCode,
    ms,
  });
}

/**
 * pino-http on top of the root logger: every request gets the app's request id (ensureRequestId: the incoming
 * X-Request-Id when sane, echoed back), and every line written while it is served carries it as `requestId`
 * (nestjs-pino keeps the request's child logger in AsyncLocalStorage). When the response has gone, one access
 * line: method, route pattern, status, ms and the URL with its tokens redacted; never headers or bodies.
 */
export function httpLoggerOptions(logger: Logger): HttpOptions {
  return {
    logger,
    genReqId: (req, res) => ensureRequestId(req as Request, res as Response),
    customAttributeKeys: { reqId: 'requestId', responseTime: 'ms' },
    // The request's lines carry its id only, not the whole request (headers with the session cookie).
    quietReqLogger: true,
    quietResLogger: true,
    // 'silent' when the level is off, so pino-http does not build a line only to drop it (bench runs at warn).
    customLogLevel: (req) => {
      const level = accessLogLevel((req as Request).originalUrl ?? req.url ?? '');
      return logger.isLevelEnabled(level) ? level : 'silent';
    },
    customSuccessObject: (req, res, val: { ms: number }) => accessOf(req, res, val.ms),
    customErrorObject: (req, res, _error, val: { ms: number }) => accessOf(req, res, val.ms),
    customSuccessMessage: (req, res, ms) =>
      accessMessage(accessOf(req, res, ms)) + (res.writableEnded ? '' : ' (aborted)'),
    // pino-http passes the time taken as a fourth argument its types do not name.
    customErrorMessage: (req, res, _error, ms?: number) => accessMessage(accessOf(req, res, ms ?? 0)),
    serializers: {
      req: (r: { id: unknown; method: string; url: string }) => ({
        id: r.id,
        method: r.method,
        url: redactUrl(r.url),
      }),
      res: (r: { statusCode: number }) => ({ statusCode: r.statusCode }),
    },
  };
}
