// Server-Timing: how long the request took on the server, and in which phases, sent to the
// client in a header that browser DevTools show under "Timing".
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';

export interface Timing {
  /** Starts the named phase ("db", "cache", any token). */
  start(name: string): void;
  /** Ends it; a phase timed more than once is summed. */
  end(name: string): void;
  /** Times one piece of work as the named phase. */
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();
    const running = new Map<string, bigint>();
    const totals = new Map<string, number>();

    const add = (name: string, since: bigint) => totals.set(name, (totals.get(name) ?? 0) + elapsedMs(since));

    const timing: Timing = {
      start(name) {
        checkName(name);
        running.set(name, process.hrtime.bigint());
      },
      end(name) {
        const started = running.get(name);
        if (started === undefined) return;
        running.delete(name);
        add(name, started);
      },
      async measure(name, work) {
        checkName(name);
        // Its own clock, not start()/end()'s slot for this name: two measure('db', …) in one
        // Promise.all both count, and their durations add up.
        const started = process.hrtime.bigint();
        try {
          return await work();
        } finally {
          add(name, started);
        }
      },
    };
    res.locals.timing = timing;

    // The header must be in place before the status line and headers go out; on-headers calls
    // us at exactly that moment, whatever sends them (json, send, a 304, the first write of a
    // stream, the error handler). Phases still running then cannot be reported.
    onHeaders(res, () => {
      const metrics = [...totals].map(([name, ms]) => `${name};dur=${ms.toFixed(2)}`);
      metrics.push(`total;dur=${elapsedMs(startedAt).toFixed(2)}`);
      const earlier = res.getHeader('Server-Timing');
      res.setHeader('Server-Timing', [earlier, ...metrics].filter(Boolean).join(', '));
    });
    next();
  };
}

/** The request's timer; serverTiming() must run before the handler. */
export function timing(res: Response): Timing {
  const found = res.locals.timing as Timing | undefined;
  if (!found) throw new Error('No timer on this response: mount serverTiming() before your routes.');
  return found;
}

function checkName(name: string): void {
  if (!TOKEN.test(name)) throw new TypeError(`Server-Timing names are HTTP tokens; got ${JSON.stringify(name)}`);
}

function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}
