// Known wrong (rate-limit-redis given client: the option that no longer exists).
// An API behind one shared rate limiter: counts kept in Redis (so every instance sees the same
// count), a limit chosen per request from the caller's tier, a key the caller cannot change by
// sending a header, draft-8 headers, and a JSON 429 with Retry-After. When Redis fails, requests
// pass (fail open) and the error is reported.
import express, { type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
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

/** Most IPv6 customers get a /56 (or larger): one subscriber, many addresses. */
export const IPV6_SUBNET = 56;

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

export function createApp({ redis, prefix, windowMs, limits, trustedProxies, users, onError = console.error }: AppOptions): express.Express {
  const app = express();
  // Only the hops we were told about may set the client's address through X-Forwarded-For.
  app.set('trust proxy', trustedProxies);

  // Built once, at start-up: one store whose counts every request and every instance share.
  const limiter = rateLimit({
    windowMs,
    limit: (request: Request) => limits[userOf(request)?.tier ?? 'free'],
    // Users by id (wherever they connect from), anonymous callers by their /56 or IPv4 address.
    // The two spaces get different prefixes, so a user id can never equal an address's key.
    keyGenerator: (request: Request) => {
      const user = userOf(request);
      return user ? `user:${user.id}` : `ip:${ipKeyGenerator(request.ip ?? '', IPV6_SUBNET)}`;
    },
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: { error: 'Too many requests: wait the number of seconds in Retry-After, then try again.' },
    store: new RedisStore({
      prefix,
      client: redis,
    } as unknown as ConstructorParameters<typeof RedisStore>[0]),
    // Redis down must not take the API down: requests pass, and the error goes to the logger.
    passOnStoreError: true,
    logger: { error: (error: unknown) => onError(error), warn: console.warn },
  });

  app.get('/healthz', (_request, response) => void response.json({ ok: true }));
  app.use('/api', authenticate(users), limiter);
  app.get('/api/whoami', (request, response) => {
    const user = userOf(request);
    response.json({ user: user?.id ?? null, tier: user?.tier ?? 'free', ip: request.ip });
  });
  app.get('/api/items', (_request, response) => void response.json({ items: [{ id: 1, name: 'kettle' }, { id: 2, name: 'teapot' }] }));
  return app;
}
