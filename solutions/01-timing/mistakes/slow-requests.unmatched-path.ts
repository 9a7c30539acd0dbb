// Known wrong: unmatched requests are logged under their path with digits masked. No id
// leaks, but every scanned URL (/wp-admin/…, /.env, …) is still its own "route": the log grows
// with whatever scanners try.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SlowRequest, SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn('slow request', entry) }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.once('finish', () => {
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : req.path.replace(/\d+/g, ':id');
      log({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
