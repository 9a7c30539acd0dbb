// An API behind one shared rate limiter: counts kept in Redis (so every instance sees the same
// count), a limit chosen per request from the caller's tier, a key the caller cannot change by
// sending a header, draft-8 headers, and a JSON 429 with Retry-After. When Redis fails, requests
// pass (fail open) and the error is reported.
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';

export type Tier = 'free' | 'basic' | 'pro';
export interface User {
  id: string;
  tier: Tier;
}

export interface AppOptions {
  /** The app's Redis client: the limiter's counts live there, under `prefix`. */
  redis: Redis;
  /** Every Redis key the limiter writes starts with it. */
  prefix: string;
  /** The length of a window, in milliseconds. */
  windowMs: number;
  /** Requests per window for each tier; anonymous callers get `free`. */
  limits: Record<Tier, number>;
  /** How many proxies in front of the app add to X-Forwarded-For: 0 when clients connect directly. */
  trustedProxies: number;
  /** Bearer tokens and the user each one stands for. */
  users: ReadonlyMap<string, User>;
  /** Told about every Redis error the limiter meets (the request is let through); console.error when left out. */
  onError?: (error: unknown) => void;
}

/** The user a request's `Authorization: Bearer <token>` stands for, if any. */
const userOf = (request: Request): User | undefined => (request as Request & { user?: User }).user;

function authenticate(users: ReadonlyMap<string, User>) {
  return (request: Request, _response: Response, next: NextFunction) => {
    const token = /^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1];
    const user = token === undefined ? undefined : users.get(token);
    // An unknown token is an anonymous caller: trying tokens must not escape the IP's limit.
    if (user) (request as Request & { user?: User }).user = user;
    next();
  };
}

export function createApp({ windowMs, limits, users }: AppOptions): express.Express {
  const app = express();

  // TODO: the tutorial's tiered limiter. It builds a new limiter (with a new in-memory store) for
  // every request, so nothing is ever counted twice; each instance would count on its own anyway;
  // `max` and `standardHeaders: true` send the old draft's headers; and the key is the raw address,
  // or a user id that could equal one.
  function tieredLimiter(request: Request, response: Response, next: NextFunction) {
    const tier = userOf(request)?.tier ?? 'free';
    return rateLimit({
      windowMs,
      max: limits[tier],
      standardHeaders: true,
      keyGenerator: (req: Request) => userOf(req)?.id ?? req.ip ?? '',
      validate: false,
    })(request, response, next);
  }

  app.get('/healthz', (_request, response) => void response.json({ ok: true }));
  app.use('/api', authenticate(users), tieredLimiter);
  app.get('/api/whoami', (request, response) => {
    const user = userOf(request);
    response.json({ user: user?.id ?? null, tier: user?.tier ?? 'free', ip: request.ip });
  });
  app.get('/api/items', (_request, response) => void response.json({ items: [{ id: 1, name: 'kettle' }, { id: 2, name: 'teapot' }] }));
  return app;
}
