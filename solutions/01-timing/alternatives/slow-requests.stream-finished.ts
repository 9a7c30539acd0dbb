// Another correct approach: node:stream's finished() tells once when the response is done
// (its last byte handed over, or the connection gone), so each request is logged at most once.
// The entry goes to console.warn as is when no logger is given.
import { finished } from 'node:stream';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { SlowRequest, SlowRequestLogOptions } from '../slow-requests.ts';

export type { SlowRequest, SlowRequestLogOptions };

export function slowRequestLog({ thresholdMs, log }: SlowRequestLogOptions): RequestHandler {
  const write = log ?? ((entry: SlowRequest) => console.warn(JSON.stringify(entry)));
  return (req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    finished(res, () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (durationMs < thresholdMs) return;
      const route: string = req.route ? req.baseUrl + String(req.route.path) : 'UNMATCHED';
      write({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
