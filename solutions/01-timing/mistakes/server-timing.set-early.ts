// Known wrong: the header is set when the middleware runs, before the handler, so total is
// ~0 ms and no phase is ever in it.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const timing: Timing = {
      start: () => {},
      end: () => {},
      measure: async (_name, work) => work(),
    };
    res.locals.timing = timing;
    res.setHeader('Server-Timing', `total;dur=${(performance.now() - startedAt).toFixed(2)}`);
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
