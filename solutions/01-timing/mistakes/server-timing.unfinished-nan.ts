// Known wrong: every started phase goes into the header, finished or not. A phase still open
// when the headers go out is written as "dur=NaN", which DevTools cannot read.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Timing } from '../server-timing.ts';

export type { Timing };

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const phases = new Map<string, { from: number; ms: number; to?: number }>();
    const timing: Timing = {
      start: (name) => {
        if (!TOKEN.test(name)) throw new TypeError(`not a token: ${name}`);
        const phase = phases.get(name);
        phases.set(name, { from: performance.now(), ms: phase?.ms ?? 0 });
      },
      end: (name) => {
        const phase = phases.get(name);
        if (!phase) return;
        phase.to = performance.now();
        phase.ms += phase.to - phase.from;
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
    onHeaders(res, () => {
      const metrics = [...phases].map(([name, phase]) => `${name};dur=${(phase.to === undefined ? Number.NaN : phase.ms).toFixed(2)}`);
      res.setHeader('Server-Timing', [...metrics, `total;dur=${(performance.now() - startedAt).toFixed(2)}`].join(', '));
    });
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
