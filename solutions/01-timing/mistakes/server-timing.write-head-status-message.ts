// WRONG: a hand-made writeHead wrapper that folds the handler's writeHead headers in, but only
// for the 2-argument form writeHead(status, headers). With the 3-argument form
// writeHead(status, statusMessage, headers) it looks at args[1] (the message string), finds no
// object, and passes the headers through untouched: Node applies them AFTER our setHeader, so
// when they carry a Server-Timing (`app;dur=3`) our total and phases vanish from the response,
// and when they don't, nothing visible happens: broken only on routes that use that form.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  start(name: string): void;
  end(name: string): void;
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const clean = (name: string) => String(name).replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_') || '_';

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    const open = new Map<string, bigint>();
    const sums = new Map<string, number>();
    const add = (k: string, ms: number) => sums.set(k, (sums.get(k) ?? 0) + ms);
    const timing: Timing = {
      start(name) { open.set(clean(name), process.hrtime.bigint()); },
      end(name) {
        const k = clean(name);
        const s = open.get(k);
        if (s === undefined) return;
        open.delete(k);
        add(k, elapsedMs(s));
      },
      async measure(name, work) {
        const s = process.hrtime.bigint();
        try { return await work(); } finally { add(clean(name), elapsedMs(s)); }
      },
    };
    res.locals.timing = timing;

    const original = res.writeHead;
    let written = false;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!written) {
        written = true;
        const given = args[1];
        if (given && typeof given === 'object' && !Array.isArray(given)) {
          for (const [k, v] of Object.entries(given as Record<string, unknown>)) this.setHeader(k, v as string);
          args.length = 1;
        }
        const entries = [...sums].map(([k, ms]) => `${k};dur=${ms.toFixed(2)}`);
        entries.push(`total;dur=${elapsedMs(startedAt).toFixed(2)}`);
        const prior = this.getHeader('Server-Timing');
        const before = prior === undefined ? [] : Array.isArray(prior) ? prior.map(String) : [String(prior)];
        this.setHeader('Server-Timing', [...before, ...entries].join(', '));
      }
      return (original as (...a: unknown[]) => Response).apply(this, args);
    } as Response['writeHead'];
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
