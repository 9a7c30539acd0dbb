// Known wrong: phase names go into the header as given. A name with a space, a comma or a
// semicolon ("cache hit", "a,b") splits or corrupts the entries, and DevTools shows garbage.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    const running = new Map<string, bigint>();
    const totals = new Map<string, number>();
    const ms = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e6;
    const timing: Timing = {
      start: (name) => void running.set(name, process.hrtime.bigint()),
      end: (name) => {
        const from = running.get(name);
        if (from === undefined) return;
        running.delete(name);
        totals.set(name, (totals.get(name) ?? 0) + ms(from));
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
      const metrics = [...totals].map(([name, dur]) => `${name};dur=${dur.toFixed(2)}`);
      res.setHeader('Server-Timing', [...metrics, `total;dur=${ms(startedAt).toFixed(2)}`].join(', '));
    });
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
