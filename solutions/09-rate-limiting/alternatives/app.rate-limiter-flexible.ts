// Alternative: rate-limiter-flexible's RateLimiterRedis instead of express-rate-limit, behind the
// same createApp contract. One limiter per tier, each built once; the draft-8 headers, the JSON
// 429 and Retry-After written by hand; fail open with the error reported.
import express, { type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export type Tier = 'free' | 'basic' | 'pro';
export interface User {
  id: string;
  tier: Tier;
}

export interface AppOptions {
  redis: Redis;
  prefix: string;
  windowMs: number;
  limits: Record<Tier, number>;
  trustedProxies: number;
  users: ReadonlyMap<string, User>;
  onError?: (error: unknown) => void;
}

const userOf = (request: Request): User | undefined => (request as Request & { user?: User }).user;

// The library's own script counts in whole seconds (EX); this one keeps the window in milliseconds.
// ARGV: points to add, the window in whole seconds, the limit, the window in (fractional) seconds.
const INCREMENT_WITH_MS_TTL = `
redis.call('set', KEYS[1], 0, 'PX', math.floor(tonumber(ARGV[4]) * 1000), 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
return {consumed, redis.call('pttl', KEYS[1])}
`;

export function createApp({ redis, prefix, windowMs, limits, trustedProxies, users, onError = console.error }: AppOptions): express.Express {
  const app = express();
  app.set('trust proxy', trustedProxies);
  const windowSeconds = Math.ceil(windowMs / 1000);
  const limiters = Object.fromEntries(
    (Object.keys(limits) as Tier[]).map((tier) => [
      tier,
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}${tier}`,
        points: limits[tier],
        duration: windowMs / 1000,
        customIncrTtlLuaScript: INCREMENT_WITH_MS_TTL,
      }),
    ]),
  ) as Record<Tier, RateLimiterRedis>;

  const setHeaders = (response: Response, tier: Tier, state: RateLimiterRes) => {
    const name = `${limits[tier]}-per-${windowSeconds}s`;
    response.set('RateLimit-Policy', `"${name}"; q=${limits[tier]}; w=${windowSeconds}`);
    response.set('RateLimit', `"${name}"; r=${state.remainingPoints}; t=${Math.max(0, Math.ceil(state.msBeforeNext / 1000))}`);
  };

  const limit = async (request: Request, response: Response, next: NextFunction) => {
    const user = userOf(request);
    const tier = user?.tier ?? 'free';
    const key = user ? `user:${user.id}` : `ip:${ipKeyGenerator(request.ip ?? '', 56)}`;
    try {
      const state = await limiters[tier].consume(key);
      setHeaders(response, tier, state);
      next();
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) {
        onError(refusal); // Redis failed: let the request through
        return next();
      }
      setHeaders(response, tier, refusal);
      response.set('Retry-After', String(Math.max(0, Math.ceil(refusal.msBeforeNext / 1000))));
      response.status(429).json({ error: 'Too many requests: wait the number of seconds in Retry-After.' });
    }
  };

  app.get('/healthz', (_request, response) => void response.json({ ok: true }));
  app.use('/api', (request: Request, _response: Response, next: NextFunction) => {
    const token = /^Bearer (.+)$/.exec(request.get('authorization') ?? '')?.[1];
    const user = token === undefined ? undefined : users.get(token);
    if (user) (request as Request & { user?: User }).user = user;
    next();
  }, limit);
  app.get('/api/whoami', (request, response) => {
    const user = userOf(request);
    response.json({ user: user?.id ?? null, tier: user?.tier ?? 'free', ip: request.ip });
  });
  app.get('/api/items', (_request, response) => void response.json({ items: [{ id: 1, name: 'kettle' }, { id: 2, name: 'teapot' }] }));
  return app;
}
