// useTestRedis(): Redis clients whose keys all start with this file's own prefix. After the
// file its keys are deleted one by one (SCAN + UNLINK), never FLUSHALL/FLUSHDB: the server may
// hold a learner's other data.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Redis, RedisOptions } from 'ioredis';
import { provided } from './context.ts';
import { lazy } from './lazy.ts';
import { refusedPort } from './refused-port.ts';

export interface TestRedis {
  /** Every key this file writes starts with it, e.g. "wb:run:file:". */
  readonly prefix: string;
  readonly url: string;
  /** A client that adds the prefix to every key itself (ioredis keyPrefix). */
  client(options?: RedisOptions): Redis;
  /** A client without the prefix, for code that takes a prefix of its own. */
  rawClient(options?: RedisOptions): Redis;
  /** This file's keys, full names. */
  keys(): Promise<string[]>;
  /**
   * A client of a Redis that is down: it points at a loopback port where nothing listens, fails
   * each command at once (no offline queue), and keeps trying to connect. Its connection errors
   * are expected, so they are not reported as unhandled.
   */
  downClient(): Promise<Redis>;
}

export function useTestRedis(): TestRedis {
  const url = lazy(() => provided('redisUrl'));
  const prefix = lazy(() => `wb:${provided('runId')}:${randomBytes(4).toString('hex')}:`);
  const clients: Redis[] = [];
  // ioredis is imported when a file asks for Redis, not when it imports the harness: most suite
  // files never use Redis, and the import costs every worker about 0.2 s.
  let RedisClient: typeof Redis | undefined;
  beforeAll(async () => {
    ({ Redis: RedisClient } = await import('ioredis'));
  });
  const connect = (options: RedisOptions = {}) => {
    if (!RedisClient) throw new Error('Redis clients exist from beforeAll on: use them inside hooks and tests.');
    const client = new RedisClient(url(), { maxRetriesPerRequest: 1, ...options });
    clients.push(client);
    return client;
  };

  const redis: TestRedis = {
    get prefix() {
      return prefix();
    },
    get url() {
      return url();
    },
    client: (options) => connect({ ...options, keyPrefix: prefix() + (options?.keyPrefix ?? '') }),
    rawClient: (options) => connect(options),
    downClient: async () => {
      if (!RedisClient) throw new Error('Redis clients exist from beforeAll on: use them inside hooks and tests.');
      // Not through connect(): a URL given to ioredis wins over the port in its options.
      const client = new RedisClient({ host: '127.0.0.1', port: await refusedPort(), enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 500 });
      client.on('error', () => {});
      clients.push(client);
      return client;
    },
    keys: async () => {
      const client = connect();
      try {
        return await scanKeys(client, prefix());
      } finally {
        client.disconnect();
      }
    },
  };

  afterAll(async () => {
    if (!RedisClient) return; // the file never got as far as its set-up: it wrote no key
    const cleaner = new RedisClient(url());
    try {
      const keys = await scanKeys(cleaner, prefix());
      for (let i = 0; i < keys.length; i += 500) await cleaner.unlink(...keys.slice(i, i + 500));
    } finally {
      cleaner.disconnect();
      for (const client of clients) client.disconnect();
    }
  });
  return redis;
}

export async function scanKeys(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

