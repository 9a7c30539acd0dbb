// Known wrong: `log` is optional, but without it nothing is logged at all: the middleware
// runs, measures, and drops every entry. The default should be the console.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UNMATCHED_ROUTE, type SlowRequest, type SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED_ROUTE;
      log?.({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
