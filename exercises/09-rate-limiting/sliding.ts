// A sliding-window rate limiter: a caller may make `limit` requests in ANY `windowMs`, not just
// in each fixed window, so no burst of 2 × limit fits across a window's edge. Each key is a
// Redis sorted set of the times of its accepted requests; one Lua script trims the old ones,
// counts and adds, all in one atomic step and one round trip, with Redis's own clock.
import type { Redis } from 'ioredis';

export interface SlidingWindowOptions {
  /** The app's Redis client. */
  redis: Redis;
  /** Every Redis key the limiter writes starts with it. */
  prefix: string;
  /** The window's length in milliseconds (a whole number, at least 1). */
  windowMs: number;
  /** Requests allowed in any window (a whole number, at least 1). */
  limit: number;
}

export interface Decision {
  allowed: boolean;
  /** Requests still allowed in the window after this one (0 when refused). */
  remaining: number;
  /** When refused: milliseconds until a request would be allowed again (at least 1). 0 when allowed. */
  retryAfterMs: number;
}

export interface SlidingWindowLimiter {
  /** Counts one request for `key` if it is allowed; a refused request is not counted. */
  hit(key: string): Promise<Decision>;
}

export function createSlidingWindowLimiter({ redis, prefix, windowMs, limit }: SlidingWindowOptions): SlidingWindowLimiter {
  return {
    // TODO: this is a fixed window, counted in two round trips. A client can spend the whole limit
    // just before the window ends and again just after (2 × limit in a moment), and every refused
    // request still counts. Replace it with the sliding window: one Lua script, sent by EVALSHA.
    async hit(key) {
      const count = await redis.incr(`${prefix}${key}`);
      if (count === 1) await redis.pexpire(`${prefix}${key}`, windowMs);
      const ttl = await redis.pttl(`${prefix}${key}`);
      return { allowed: count <= limit, remaining: Math.max(0, limit - count), retryAfterMs: count <= limit ? 0 : ttl };
    },
  };
}
