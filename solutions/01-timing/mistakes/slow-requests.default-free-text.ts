// Known wrong (the default log prints a sentence, not the entry: nothing can filter or count it by field).
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

/** Requests that matched no route share one name, so the log cannot fill with scanned URLs. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn(`Slow request: ${entry.method} ${entry.route} ${entry.status} ${entry.durationMs.toFixed(2)}ms`) }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    // 'finish' fires once, when the last byte is handed to the OS.
    res.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (durationMs < thresholdMs) return;
      log({ method: req.method, route: routePattern(req), status: res.statusCode, durationMs });
    });
    next();
  };
}

/** Mount path + route path, known once the router has matched ("/api" + "/users/:id"). */
function routePattern(req: Request): string {
  return req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED_ROUTE;
}
