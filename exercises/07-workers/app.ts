// The route in front of the pool: POST /api/hash checks its input before any CPU is spent,
// answers 503 with Retry-After when the pool is full or the task overran its deadline, stops the
// task when the client goes away, and never sends a stack to the client.
import express from 'express';
import stretch, { type HashPool } from './pool.ts';

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

export function createApp(_options: AppOptions): express.Express {
  const app = express();
  app.use(express.json());

  app.get('/api/ping', (_request, response) => {
    response.json({ ok: true });
  });

  // TODO: the tutorial's route: the hash runs on the event loop (every other request waits for it),
  // the body goes to it unchecked (a billion rounds is a denial of service), and an error sends
  // Express's default page. Validate the body (400 naming the field), run the task in the pool
  // with a signal that aborts when the client goes away or the deadline passes, and answer 503
  // with Retry-After when the pool is full or the deadline passed, 500 without a stack on errors.
  app.post('/api/hash', (request, response) => {
    response.json({ hash: stretch(request.body) });
  });

  return app;
}
