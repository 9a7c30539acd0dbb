// CORRECT, different style: the on-finished package (installed with express) fires exactly
// once per response, performance.now() for the clock, and its own fixed name for unmatched
// requests ("<no route>").
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
// @ts-expect-error no types shipped for on-finished in this install
import onFinished from 'on-finished';

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

const UNMATCHED = '<no route>';

export function slowRequestLog(options: SlowRequestLogOptions): RequestHandler {
  const threshold = options.thresholdMs ?? 500;
  const log = options.log ?? ((entry: SlowRequest) => console.warn(entry));
  return (req: Request, res: Response, next: NextFunction) => {
    const began = performance.now();
    onFinished(res, () => {
      const durationMs = performance.now() - began;
      if (durationMs < threshold) return;
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : UNMATCHED;
      log({ method: req.method, route, status: res.statusCode, durationMs });
    });
    next();
  };
}
