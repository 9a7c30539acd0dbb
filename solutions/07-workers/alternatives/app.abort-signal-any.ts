// Another correct route: one controller for the client's leaving and one for the deadline,
// joined with AbortSignal.any(); the deadline's timer is still cleared once the request is
// answered (AbortSignal.timeout() could not be, and would abort an answered request's signal later).
// The route in front of the pool: POST /api/hash checks its input before any CPU is spent,
// answers 503 with Retry-After when the pool is full or the task overran its deadline, stops the
// task when the client goes away, and never sends a stack to the client.
import express, { type ErrorRequestHandler } from 'express';
import { PoolBusyError, type HashPool, type StretchInput } from '../pool.ts';

export interface AppOptions {
  pool: HashPool;
  /** Most rounds a request may ask for; DEFAULT_MAX_ROUNDS when left out. */
  maxRounds?: number;
  /** A task unfinished after this long is aborted and answered 503; DEFAULT_TIMEOUT_MS when left out. */
  timeoutMs?: number;
}

export const DEFAULT_MAX_ROUNDS = 100_000;
export const DEFAULT_TIMEOUT_MS = 5_000;
export const MAX_PASSWORD_LENGTH = 1_024;
export const MAX_SALT_LENGTH = 64;
/** express.json()'s limit: a password of MAX_PASSWORD_LENGTH characters fits with room to spare. */
export const BODY_LIMIT = '16kb';
/** What a 503 tells the client to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 1;

/** The task's input, or what is wrong with the body (naming the field). */
function parseInput(body: unknown, maxRounds: number): StretchInput | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const { password, salt, rounds } = body as Record<string, unknown>;
  if (typeof password !== 'string' || password.length < 1 || password.length > MAX_PASSWORD_LENGTH) {
    return `"password" must be a string of 1 to ${MAX_PASSWORD_LENGTH} characters`;
  }
  if (typeof salt !== 'string' || salt.length < 1 || salt.length > MAX_SALT_LENGTH) return `"salt" must be a string of 1 to ${MAX_SALT_LENGTH} characters`;
  if (!Number.isInteger(rounds) || (rounds as number) < 1 || (rounds as number) > maxRounds) return `"rounds" must be a whole number from 1 to ${maxRounds}`;
  // Only the three fields go to the thread: nothing else the client sent.
  return { password, salt, rounds: rounds as number };
}

export function createApp({ pool, maxRounds = DEFAULT_MAX_ROUNDS, timeoutMs = DEFAULT_TIMEOUT_MS }: AppOptions): express.Express {
  const app = express();

  app.get('/api/ping', (_request, response) => {
    response.json({ ok: true });
  });

  app.post('/api/hash', express.json({ limit: BODY_LIMIT }), async (request, response) => {
    const input = parseInput(request.body, maxRounds);
    if (typeof input === 'string') {
      response.status(400).json({ error: input });
      return;
    }
    const gone = new AbortController();
    // 'close' before the response was sent: the client went away, nobody wants the result.
    response.on('close', () => {
      if (!response.writableFinished) gone.abort();
    });
    const overran = new AbortController();
    const timer = setTimeout(() => overran.abort(), timeoutMs);
    try {
      response.json({ hash: await pool.run(input, AbortSignal.any([gone.signal, overran.signal])) });
    } catch (error) {
      if (overran.signal.aborted || error instanceof PoolBusyError) {
        response
          .status(503)
          .set('Retry-After', String(RETRY_AFTER_SECONDS))
          .json({ error: overran.signal.aborted ? `the hash took longer than ${timeoutMs} ms` : 'the server is busy: try again shortly' });
      } else if (!gone.signal.aborted) {
        console.error('hash failed:', error);
        response.status(500).json({ error: 'the hash could not be computed' });
      }
    } finally {
      clearTimeout(timer);
    }
  });

  // express.json()'s refusals (malformed JSON 400, too large 413, an unknown charset 415) keep
  // their status and short message; anything else is a 500 that shows nothing of the error.
  const onError: ErrorRequestHandler = (error: { status?: number; expose?: boolean; message?: string }, _request, response, _next) => {
    const status = error.status !== undefined && error.status >= 400 && error.status < 500 ? error.status : 500;
    response.status(status).json({ error: status < 500 && error.expose ? error.message : 'internal error' });
  };
  app.use(onError);
  return app;
}
