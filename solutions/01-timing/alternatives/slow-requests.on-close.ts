// Another correct approach: logs from the response's 'close' event, which Node emits once per
// response (after 'finish', or when the client goes away), so aborted slow requests are
// logged too. Guarded so it can run only once.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SlowRequest, SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = console.warn }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    let logged = false;
    res.on('close', () => {
      if (logged) return;
      logged = true;
      const durationMs = performance.now() - startedAt;
      if (durationMs < thresholdMs) return;
      const pattern = req.route?.path;
      log({ method: req.method, route: pattern ? req.baseUrl + pattern : 'unmatched', status: res.statusCode, durationMs });
    });
    next();
  };
}
