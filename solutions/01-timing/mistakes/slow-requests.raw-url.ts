// Known wrong: logs req.originalUrl. Every id and query string becomes its own "route", so
// the log cannot be grouped, and tokens in query strings end up in it.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SlowRequest, SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = console.warn }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs >= thresholdMs) log({ method: req.method, route: req.originalUrl, status: res.statusCode, durationMs });
    });
    next();
  };
}
