// A slow-request log: one line per request slower than a threshold, with the route pattern
// (so /users/1 and /users/2 group together, and no query string or id leaks into the log).
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface SlowRequest {
  method: string;
  /** The route pattern, e.g. "/api/users/:id"; never the raw URL. */
  route: string;
  status: number;
  durationMs: number;
}

export interface SlowRequestLogOptions {
  thresholdMs: number;
  /** Where entries go; a real app passes its logger. */
  log?: (entry: SlowRequest) => void;
}

export function slowRequestLog({ thresholdMs }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      // TODO: this prints free text nobody can search or count, ignores the injected `log`,
      // and req.path carries ids (/users/42) instead of the route pattern (/users/:id).
      // Call log() with a SlowRequest entry: method, route pattern, status, duration in ms.
      if (durationMs > thresholdMs) {
        console.warn(`Slow request: ${req.method} ${req.path} - ${durationMs.toFixed(2)}ms`);
      }
    });
    next();
  };
}
