// Known wrong: every end() appends an entry, so a phase timed twice (two queries) appears
// twice. The Timing contract says repeated phases are summed into one entry.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const running = new Map<string, number>();
    const entries: string[] = [];
    const timing: Timing = {
      start: (name) => {
        if (!TOKEN.test(name)) throw new TypeError(`not a token: ${name}`);
        running.set(name, performance.now());
      },
      end: (name) => {
        const from = running.get(name);
        if (from === undefined) return;
        running.delete(name);
        entries.push(`${name};dur=${(performance.now() - from).toFixed(2)}`);
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
    onHeaders(res, () => res.setHeader('Server-Timing', [...entries, `total;dur=${(performance.now() - startedAt).toFixed(2)}`].join(', ')));
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
