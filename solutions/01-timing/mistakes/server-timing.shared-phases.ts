// Known wrong: the phase maps are made once, in serverTiming(), so every request shares them.
// One request at a time looks fine; two in flight overwrite each other's start() and end(),
// and one request's phases turn up in the other's header.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  const running = new Map<string, number>();
  const totals = new Map<string, number>();
  const timing: Timing = {
    start: (name) => void running.set(name, performance.now()),
    end: (name) => {
      const from = running.get(name);
      if (from === undefined) return;
      running.delete(name);
      totals.set(name, (totals.get(name) ?? 0) + performance.now() - from);
    },
    measure: async (name, work) => {
      timing.start(name);
      try {
        return await work();
      } finally {
        timing.end(name);
      }
    },
  };
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    res.locals.timing = timing;
    onHeaders(res, () => {
      const metrics = [...totals].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`);
      totals.clear(); // "start fresh for the next request"
      res.setHeader('Server-Timing', [...metrics, `total;dur=${(performance.now() - startedAt).toFixed(2)}`].join(', '));
    });
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
