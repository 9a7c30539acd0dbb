// Known wrong: measure() ends the phase only when the work succeeds. A query that fails after
// 2 seconds (the very one you want to see) leaves no trace in the header.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
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
        const result = await work();
        timing.end(name);
        return result;
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
