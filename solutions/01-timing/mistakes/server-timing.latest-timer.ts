// Known wrong: timing(res) ignores res and hands out the timer of the latest request. With one
// request at a time nobody notices; when two overlap, the first one's end() lands on the
// second one's timer and its phases go missing.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

let current: Timing | undefined;

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const running = new Map<string, number>();
    const totals = new Map<string, number>();
    const timer: Timing = {
      start: (name) => void running.set(name, performance.now()),
      end: (name) => {
        const from = running.get(name);
        if (from === undefined) return;
        running.delete(name);
        totals.set(name, (totals.get(name) ?? 0) + performance.now() - from);
      },
      measure: async (name, work) => {
        timer.start(name);
        try {
          return await work();
        } finally {
          timer.end(name);
        }
      },
    };
    current = timer;
    onHeaders(res, () => {
      const metrics = [...totals].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`);
      res.setHeader('Server-Timing', [...metrics, `total;dur=${(performance.now() - startedAt).toFixed(2)}`].join(', '));
    });
    next();
  };
}

export function timing(_res: Response): Timing {
  if (!current) throw new Error('mount serverTiming() first');
  return current;
}
