// Another correct approach, kept so `npm run verify` proves the suite accepts it: no
// dependency, the header added by wrapping res.writeHead, which Node calls (explicitly or via
// the first write/end) right before the headers are sent. Names that are not HTTP tokens are
// cleaned up rather than refused.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Timing } from '../server-timing.ts';

export type { Timing };

/** Anything that is not a token character becomes "_", so the header stays parseable. */
const metricName = (name: string) => name.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_') || '_';

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const opened: Record<string, number> = {};
    const spent: Record<string, number> = {};
    const timing: Timing = {
      start: (name) => void (opened[metricName(name)] = performance.now()),
      end: (name) => {
        const key = metricName(name);
        const from = opened[key];
        if (from !== undefined) spent[key] = (spent[key] ?? 0) + (performance.now() - from);
        delete opened[key];
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
        const phases = Object.entries(spent).map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`);
        const own = this.getHeader('Server-Timing'); // entries the handler set itself stay
        const entries = [...(own === undefined ? [] : [String(own)]), ...phases, `total;dur=${(performance.now() - startedAt).toFixed(1)}`];
        this.setHeader('Server-Timing', entries.join(', '));
      }
      return (writeHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    next();
  };
}

export function timing(res: Response): Timing {
  const found = res.locals.timing as Timing | undefined;
  if (!found) throw new Error('serverTiming() is not mounted before this route');
  return found;
}
