// WRONG: "cleans" names with encodeURIComponent. It escapes space, comma, semicolon and quotes,
// but leaves ( ) unescaped, which are HTTP separators, not token chars: "query(users)" gives
// an entry DevTools cannot parse. Also an empty name gives ";dur=…" (no metric name).
import onHeaders from 'on-headers';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  start(name: string): void;
  end(name: string): void;
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const clean = (name: string) => encodeURIComponent(name);

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
    onHeaders(res, () => {
      const entries = [...phases].map(([k, v]) => `${k};dur=${v.toFixed(2)}`);
      entries.push(`total;dur=${elapsedMs(startedAt).toFixed(2)}`);
      const prior = res.getHeader('Server-Timing');
      const list = prior === undefined ? [] : ([] as unknown[]).concat(prior).map(String);
      res.setHeader('Server-Timing', [...list, ...entries].join(', '));
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
