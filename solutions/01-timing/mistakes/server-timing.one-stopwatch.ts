// Known wrong: one stopwatch per request, so only one phase can be open at a time. Sequential
// phases work; two phases run side by side (Promise.all over a cache and a query) lose one.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    let open: { name: string; from: number } | undefined;
    const totals = new Map<string, number>();
    const timing: Timing = {
      start: (name) => void (open = { name, from: performance.now() }),
      end: (name) => {
        if (open?.name !== name) return;
        totals.set(name, (totals.get(name) ?? 0) + performance.now() - open.from);
        open = undefined;
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
    res.locals.timing = timing;
    onHeaders(res, () => {
      const metrics = [...totals].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`);
      res.setHeader('Server-Timing', [...metrics, `total;dur=${(performance.now() - startedAt).toFixed(2)}`].join(', '));
    });
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
