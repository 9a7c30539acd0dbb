// Another correct approach, kept so `npm run verify` proves the suite accepts it: no
// dependency, the header added by wrapping res.writeHead, which Node calls (explicitly or via
// the first write/end) right before the headers are sent; headers passed to writeHead itself
// are folded in first. measure() keeps its own clock per call. Names that are not HTTP tokens are
// cleaned up rather than refused.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Timing } from '../server-timing.ts';

export type { Timing };

/** Anything that is not a token character becomes "_", so the header stays parseable. */
const metricName = (name: string) => name.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_') || '_';

/** The headers handed to writeHead, as name-value pairs: an object, or a flat array of names and values. */
function headerPairs(given: object): [string, unknown][] {
  if (!Array.isArray(given)) return Object.entries(given);
  const flat = given as unknown[];
  return Array.from({ length: Math.floor(flat.length / 2) }, (_, i) => [String(flat[2 * i]), flat[2 * i + 1]]);
}

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
      // Its own start per call, so two overlapping measures of one name both count.
      measure: async (name, work) => {
        const key = metricName(name);
        const from = performance.now();
        try {
          return await work();
        } finally {
          spent[key] = (spent[key] ?? 0) + (performance.now() - from);
        }
      },
    };
    res.locals.timing = timing;

    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!this.headersSent) {
        // Headers passed to writeHead(status, [reason,] headers) would replace ours: set them
        // first, so the handler's own Server-Timing entries are kept and ours added to them.
        const at = typeof args[1] === 'string' ? 2 : 1;
        const given = args[at];
        if (given && typeof given === 'object') {
          for (const [name, value] of headerPairs(given)) this.setHeader(name, value as string | number | string[]);
          args.length = at;
        }
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
