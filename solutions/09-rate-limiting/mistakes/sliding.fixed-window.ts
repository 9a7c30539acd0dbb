// Known wrong (a fixed window, atomic and in one script: a burst of 2 × limit fits across its edge).
// A sliding-window rate limiter: a caller may make `limit` requests in ANY `windowMs`, not just
// in each fixed window, so no burst of 2 × limit fits across a window's edge. Each key is a
// Redis sorted set of the times of its accepted requests; one Lua script trims the old ones,
// counts and adds, all in one atomic step and one round trip, with Redis's own clock.
import { createHash } from 'node:crypto';
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

// Scores are milliseconds with a fractional part (Redis's TIME is in microseconds); members
// must be unique, or two requests in one microsecond would count once.
const SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local count = tonumber(redis.call('GET', key) or '0')
if count < limit then
  redis.call('INCR', key)
  if count == 0 then redis.call('PEXPIRE', key, window) end
  return {1, limit - count - 1, 0}
end
return {0, 0, math.max(1, redis.call('PTTL', key))}
`;
const isNoScript = (error: unknown) => error instanceof Error && error.message.startsWith('NOSCRIPT');

export function createSlidingWindowLimiter({ redis, prefix, windowMs, limit }: SlidingWindowOptions): SlidingWindowLimiter {
  if (!Number.isInteger(windowMs) || windowMs < 1) throw new RangeError(`windowMs must be a whole number of milliseconds, at least 1 (got ${windowMs})`);
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number, at least 1 (got ${limit})`);
  // Redis names a cached script by the SHA-1 of its text.
  const sha = createHash('sha1').update(SCRIPT).digest('hex');

  return {
    async hit(key) {
      const args = [1, `${prefix}${key}`, windowMs, limit] as const;
      let reply: unknown;
      try {
        reply = await redis.evalsha(sha, ...args);
      } catch (error) {
        // Redis restarted or its script cache was flushed: EVAL sends the script and caches it again.
        if (!isNoScript(error)) throw error;
        reply = await redis.eval(SCRIPT, ...args);
      }
      const [allowed, remaining, retryAfterMs] = reply as [number, number, number];
      return { allowed: allowed === 1, remaining, retryAfterMs };
    },
  };
}
