// CORRECT, different style: a Timer class per request, on-headers for the moment, and
// res.appendHeader() (Node >= 18.3) so entries already set by the handler stay untouched:
// ours go out as a second Server-Timing field line, which HTTP defines as equal to one
// comma-joined header. Names are cleaned to HTTP token characters.
import onHeaders from 'on-headers';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  start(name: string): void;
  end(name: string): void;
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const NOT_TCHAR = /[^A-Za-z0-9!#$%&'*+.^_`|~-]+/g;

class RequestTimer implements Timing {
  private readonly open = new Map<string, bigint>();
  private readonly totals = new Map<string, bigint>();
  readonly began = process.hrtime.bigint();

  private static key(name: string): string {
    return String(name).replace(NOT_TCHAR, '-') || '-';
  }

  private add(key: string, ns: bigint): void {
    this.totals.set(key, (this.totals.get(key) ?? 0n) + ns);
  }

  start(name: string): void {
    this.open.set(RequestTimer.key(name), process.hrtime.bigint());
  }

  end(name: string): void {
    const key = RequestTimer.key(name);
    const t = this.open.get(key);
    if (t === undefined) return;
    this.open.delete(key);
    this.add(key, process.hrtime.bigint() - t);
  }

  async measure<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const key = RequestTimer.key(name);
    const t = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.add(key, process.hrtime.bigint() - t);
    }
  }

  header(): string {
    const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(3);
    const parts = [...this.totals].map(([k, ns]) => `${k};dur=${ms(ns)}`);
    parts.push(`total;dur=${ms(process.hrtime.bigint() - this.began)}`);
    return parts.join(', ');
  }
}

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const timer = new RequestTimer();
    res.locals.timing = timer;
    onHeaders(res, function (this: Response) {
      this.appendHeader('Server-Timing', timer.header());
    });
    next();
  };
}

export function timing(res: Response): Timing {
  const found = res.locals.timing as Timing | undefined;
  if (!found) throw new Error('No timer on this response: mount serverTiming() before your routes.');
  return found;
}
