// Known wrong (errata 1): phases are recorded correctly, but the header is set in
// res.on('finish'), after the headers were sent. Node throws ERR_HTTP_HEADERS_SENT and the
// client never sees the header.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Timing } from '../server-timing.ts';

export type { Timing };

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = performance.now();
    const opened = new Map<string, number>();
    const phases: string[] = [];
    const timing: Timing = {
      start: (name) => void opened.set(name, performance.now()),
      end: (name) => void phases.push(`${name};dur=${(performance.now() - opened.get(name)!).toFixed(2)}`),
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
    res.on('finish', () => {
      res.setHeader('Server-Timing', [...phases, `total;dur=${(performance.now() - startedAt).toFixed(2)}`].join(', '));
    });
    next();
  };
}

export function timing(res: Response): Timing {
  return res.locals.timing as Timing;
}
