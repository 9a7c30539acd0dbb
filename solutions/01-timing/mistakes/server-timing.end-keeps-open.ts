// WRONG: end() adds the elapsed time but never removes the open start. A second end('db')
// (an error path and a finally both ending the phase, or a double end in a helper) counts the
// phase AGAIN from the same start: start(db) 0 ms, end(db) at 100 ms, end(db) at 150 ms gives
// db;dur=250 instead of 100. The contract says end() of a phase that is not started is ignored.
import onHeaders from 'on-headers';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  start(name: string): void;
  end(name: string): void;
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const TOKEN_BAD = /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g;
function clean(name: string): string {
  const c = String(name).replace(TOKEN_BAD, '_');
  return c === '' ? '_' : c;
}

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    const open = new Map<string, bigint>();
    const sums = new Map<string, number>();
    const add = (name: string, ms: number) => sums.set(name, (sums.get(name) ?? 0) + ms);

    const timing: Timing = {
      start(name) {
        open.set(clean(name), process.hrtime.bigint());
      },
      end(name) {
        const key = clean(name);
        const s = open.get(key);
        if (s === undefined) return;
        add(key, elapsedMs(s));
      },
      async measure(name, work) {
        const key = clean(name);
        const s = process.hrtime.bigint();
        try {
          return await work();
        } finally {
          add(key, elapsedMs(s));
        }
      },
    };
    res.locals.timing = timing;

    onHeaders(res, function (this: Response) {
      const entries = [...sums].map(([k, ms]) => `${k};dur=${ms.toFixed(2)}`);
      entries.push(`total;dur=${elapsedMs(startedAt).toFixed(2)}`);
      const prior = res.getHeader('Server-Timing');
      const before = prior === undefined ? [] : Array.isArray(prior) ? prior.map(String) : [String(prior)];
      res.setHeader('Server-Timing', [...before, ...entries].join(', '));
    });
    next();
  };
}

export function timing(res: Response): Timing {
  const found = res.locals.timing as Timing | undefined;
  if (!found) throw new Error('No timer on this response: mount serverTiming() before your routes.');
  return found;
}

function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}
