// Alternative: the sliding window through ioredis's defineCommand (which sends EVAL once per
// connection, then EVALSHA, and falls back on NOSCRIPT by itself), with the member made unique by
// a random id from the client instead of Redis's microseconds and a count.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface SlidingWindowOptions {
  redis: Redis;
  prefix: string;
  windowMs: number;
  limit: number;
}
export interface Decision {
  allowed: boolean;
  remaining: number;
  retryAfterMs: number;
}
export interface SlidingWindowLimiter {
  hit(key: string): Promise<Decision>;
}

const LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, now - window)
local used = redis.call('ZCARD', KEYS[1])
if used >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, 0, math.max(1, tonumber(first[2]) + window - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return {1, tonumber(ARGV[2]) - used - 1, 0}
`;

type WithCommand = Redis & { slidingWindowHit(key: string, windowMs: number, limit: number, member: string): Promise<[number, number, number]> };

export function createSlidingWindowLimiter({ redis, prefix, windowMs, limit }: SlidingWindowOptions): SlidingWindowLimiter {
  for (const [name, value] of [['windowMs', windowMs], ['limit', limit]] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive whole number`);
  }
  const client = redis as WithCommand;
  if (typeof client.slidingWindowHit !== 'function') redis.defineCommand('slidingWindowHit', { numberOfKeys: 1, lua: LUA });
  return {
    async hit(key) {
      const [allowed, remaining, retryAfterMs] = await client.slidingWindowHit(prefix + key, windowMs, limit, randomUUID());
      return { allowed: allowed === 1, remaining, retryAfterMs };
    },
  };
}
