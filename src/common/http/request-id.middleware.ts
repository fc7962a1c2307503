import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const VALID_ID = /^[A-Za-z0-9._-]{1,100}$/;

type WithRequestId = Request & { requestId?: string };

/**
 * The request's id, given once: kept from X-Request-Id when sane, else a new UUID; echoed in the response's
 * X-Request-Id. The log's middleware (pino-http's genReqId) and RequestIdMiddleware both ask, in whichever order
 * Nest runs them, and get the same id: the one on every log line, in the audit log and in the response.
 */
export function ensureRequestId(req: WithRequestId, res: Response): string {
  if (req.requestId) return req.requestId;
  const incoming = req.get('x-request-id');
  req.requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', req.requestId);
  return req.requestId;
}

/** Gives every request an id (see ensureRequestId), echoed back and written to the audit log and every log line. */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(req: WithRequestId, res: Response, next: NextFunction): void {
    ensureRequestId(req, res);
    next();
  }
}
