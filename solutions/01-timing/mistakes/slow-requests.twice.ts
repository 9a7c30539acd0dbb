// Known wrong: listens on both 'finish' and 'close' (Node emits both for a completed
// response), so every slow request is logged twice.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SlowRequest, SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log = console.warn }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const done = () => {
      const durationMs = performance.now() - startedAt;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : '(unmatched)';
      if (durationMs >= thresholdMs) log({ method: req.method, route, status: res.statusCode, durationMs });
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
