// Known wrong: set at the right moment, but durations in seconds. Server-Timing's dur is in
// milliseconds; DevTools would show a 50 ms query as 0.05 ms.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    const opened = new Map<string, bigint>();
    const phases: string[] = [];
    const seconds = (since: bigint) => (Number(process.hrtime.bigint() - since) / 1e9).toFixed(3);
    const timing: Timing = {
      start: (name) => void opened.set(name, process.hrtime.bigint()),
      end: (name) => void phases.push(`${name};dur=${seconds(opened.get(name)!)}`),
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
    onHeaders(res, () => res.setHeader('Server-Timing', [...phases, `total;dur=${seconds(startedAt)}`].join(', ')));
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
