// Known wrong: the clock stops when the headers are written (on-headers, as for
// Server-Timing), not when the last byte is sent. A response that starts at once and then
// streams slowly looks fast, and never reaches the log.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import { UNMATCHED_ROUTE, type SlowRequest, type SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn('slow request', entry) }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    let durationMs = 0;
    onHeaders(res, () => {
      durationMs = performance.now() - startedAt;
    });
    res.once('finish', () => {
      if (durationMs < thresholdMs) return;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED_ROUTE;
      log({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
