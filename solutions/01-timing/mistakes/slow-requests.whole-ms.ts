// WRONG: bigint division truncates to whole milliseconds before comparing with `>`. With
// thresholdMs: 0, every request under 1 ms is durationMs 0 and NOT logged (0 > 0 is false), and
// durations lose their fraction (a 500.9 ms request with thresholdMs 500 is skipped).
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

export function slowRequestLog({ thresholdMs, log = (entry) => console.warn(entry) }: SlowRequestLogOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Number((process.hrtime.bigint() - startedAt) / 1_000_000n);
      if (durationMs > thresholdMs) {
        const route = req.route ? req.baseUrl + req.route.path : '(unmatched)';
        log({ method: req.method, route, status: res.statusCode, durationMs });
      }
    });
    next();
  };
}
