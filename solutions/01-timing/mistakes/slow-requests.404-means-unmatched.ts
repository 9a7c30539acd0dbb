// WRONG: decides "unmatched" by the status code instead of by req.route. A MATCHED route that
// answers 404 (GET /api/users/:id for a missing user) is logged as '(unmatched)', so slow
// lookups of missing users vanish from their route's statistics; and an unmatched request
// answered with any other status (a 405/400 from a catch-all, a 500 from an app-level error)
// is logged with route "undefined" (req.baseUrl + undefined).
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface SlowRequest {
  method: string;
  route: string;
  status: number;
  durationMs: number;
}

export interface SlowRequestLogOptions {
  thresholdMs: number;
  log?: (entry: SlowRequest) => void;
}

export function slowRequestLog({ thresholdMs, log = (e) => console.warn(e) }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (durationMs <= thresholdMs) return;
      const route = res.statusCode === 404 ? '(unmatched)' : req.baseUrl + req.route?.path;
      log({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
