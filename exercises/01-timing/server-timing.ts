// Server-Timing: how long the request took on the server, and in which phases, sent to the
// client in a header that browser DevTools show under "Timing".
import type { NextFunction, Request, RequestHandler, Response } from 'express';

export interface Timing {
  /** Starts the named phase ("db", "cache", any token). */
  start(name: string): void;
  /** Ends it; a phase timed more than once is summed. */
  end(name: string): void;
  /** Times one piece of work as the named phase. */
  measure<T>(name: string, work: () => T | Promise<T>): Promise<T>;
}

export function serverTiming(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const startedAt = process.hrtime.bigint();

    // TODO: record phases. These do nothing yet, so no phase ever reaches the header.
    const timing: Timing = {
      start() {},
      end() {},
      async measure(_name, work) {
        return work();
      },
    };
    res.locals.timing = timing;

    // TODO: this is where many tutorials put it, and it never works: by 'finish' the headers
    // are long gone, so setHeader throws ERR_HTTP_HEADERS_SENT. Set the header at the moment
    // the headers are written instead, with every finished phase and the total.
    res.on('finish', () => {
      res.setHeader('Server-Timing', `total;dur=${elapsedMs(startedAt).toFixed(2)}`);
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

function elapsedMs(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}
