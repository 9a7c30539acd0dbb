// Another correct approach, kept so `npm run verify` proves the suite accepts it: no
// dependency, the header added by wrapping res.writeHead, which Node calls (explicitly or via
// the first write/end) right before the headers are sent.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const opened: Record<string, number> = {};
    const phases: string[] = [];
    const timing: Timing = {
      start: (name) => void (opened[name] = performance.now()),
      end: (name) => {
        const from = opened[name];
        if (from !== undefined) phases.push(`${name};dur=${(performance.now() - from).toFixed(1)}`);
        delete opened[name];
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

    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!this.headersSent) {
        this.setHeader('Server-Timing', [...phases, `total;dur=${(performance.now() - startedAt).toFixed(1)}`].join(', '));
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
