// CORRECT, different style: no on-headers; wraps res.writeHead by hand (merging any headers
// passed to writeHead itself), uses performance.now(), a per-request Map of sums and a
// per-request Map of open starts; measure() keeps its own start per call.
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  start(name: string): void;
  end(name: string): void;
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

const cleanName = (name: string): string => {
  const cleaned = String(name).replace(/[^!#$%&'*+\-.^_`|~0-9A-Za-z]/g, '_');
  return cleaned === '' ? '_' : cleaned;
};

/** The headers handed to writeHead, as name-value pairs: an object, or a flat array of names and values. */
function headerPairs(given: object): [string, unknown][] {
  if (!Array.isArray(given)) return Object.entries(given);
  const flat = given as unknown[];
  return Array.from({ length: Math.floor(flat.length / 2) }, (_, i) => [String(flat[2 * i]), flat[2 * i + 1]]);
}

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const t0 = performance.now();
    const open = new Map<string, number>();
    const sums = new Map<string, number>();

    const timing: Timing = {
      start(name) {
        open.set(cleanName(name), performance.now());
      },
      end(name) {
        const key = cleanName(name);
        const began = open.get(key);
        if (began === undefined) return;
        open.delete(key);
        sums.set(key, (sums.get(key) ?? 0) + (performance.now() - began));
      },
      async measure(name, work) {
        // Its own start, so two overlapping measures of the same name both count.
        const key = cleanName(name);
        const began = performance.now();
        try {
          return await work();
        } finally {
          sums.set(key, (sums.get(key) ?? 0) + (performance.now() - began));
        }
      },
    };
    res.locals.timing = timing;

    const original = res.writeHead;
    let done = false;
    res.writeHead = function (this: Response, ...args: unknown[]) {
      if (!done) {
        done = true;
        // Headers handed to writeHead win over setHeader ones in Node: fold them in first.
        const idx = typeof args[1] === 'string' ? 2 : 1;
        const given = args[idx];
        if (given && typeof given === 'object') {
          for (const [k, v] of headerPairs(given)) {
            if (k) this.setHeader(k, v as string);
          }
          args.length = idx;
        }
        const entries = [...sums].map(([k, ms]) => `${k};dur=${ms.toFixed(2)}`);
        entries.push(`total;dur=${(performance.now() - t0).toFixed(2)}`);
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
