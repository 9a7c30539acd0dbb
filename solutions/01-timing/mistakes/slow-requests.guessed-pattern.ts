// WRONG: "guesses" the pattern from the URL by replacing numeric segments with :id, instead of
// reading req.route.path. /api/users/42 looks right, but /api/users/alice, a UUID, or an e-mail
// in the path is logged raw (ungroupable, personal data in logs), and a param named :userId or
// :slug is reported as :id.
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
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (durationMs > thresholdMs) {
        const route = req.route ? (req.baseUrl + req.path).replace(/\/\d+(?=\/|$)/g, '/:id') : '(unmatched)';
        log({ method: req.method, route, status: res.statusCode, durationMs });
      }
    });
    next();
  };
}
