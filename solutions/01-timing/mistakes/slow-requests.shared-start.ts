// Known wrong: the start time lives in slowRequestLog()'s closure, shared by every request.
// One request at a time it is right; when requests overlap, the slow one is timed from the
// latest request's start and looks fast.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { UNMATCHED_ROUTE, type SlowRequest, type SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn('slow request', entry) }: SlowRequestLogOptions): RequestHandler {
  let startedAt = 0;
  return (req: Request, res: Response, next: NextFunction) => {
    startedAt = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED_ROUTE;
      log({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
