// WRONG: a hand-made writeHead wrapper that sets our header and then calls the original with the
// handler's own arguments. When the handler calls res.writeHead(200, { 'Server-Timing': 'app;dur=3' })
// Node applies that object AFTER our setHeader: our total and phases vanish from the header
// (and if the handler passed another header object without Server-Timing, fine; so it is flaky
// per route).
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  start(name: string): void;
  end(name: string): void;
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const clean = (name: string) => name.replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_') || '_';

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    const starts = new Map<string, bigint>();
    const phases = new Map<string, number>();
    const timing: Timing = {
      start(name) {
        starts.set(clean(name), process.hrtime.bigint());
      },
      end(name) {
        const key = clean(name);
        const s = starts.get(key);
        if (s === undefined) return;
        starts.delete(key);
        phases.set(key, (phases.get(key) ?? 0) + elapsedMs(s));
      },
      async measure(name, work) {
        timing.start(name);
        try {
          return await work();
        } finally {
          timing.end(name);
        }
      },
    };
    res.locals.timing = timing;
    const originalWriteHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      writeHeader();
      return (originalWriteHead as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
    const writeHeader = () => {
      const entries = [...phases].map(([k, v]) => `${k};dur=${v.toFixed(2)}`);
      entries.push(`total;dur=${elapsedMs(startedAt).toFixed(2)}`);
      const prior = res.getHeader('Server-Timing');
      const list = prior === undefined ? [] : ([] as unknown[]).concat(prior).map(String);
      res.setHeader('Server-Timing', [...list, ...entries].join(', '));
    };
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
