// Exercise 05 · products: a cache-aside product route that never serves a stale product after
// an update, on any instance. Run it with: npm test -- 05-caching/products
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lessonHint, startServer, useTestDatabase, useTestRedis, type StartedServer } from '../../shared/testing/index.ts';
import { createProductsApp, type ProductsApp } from './products.ts';

const READ = lessonHint('05-caching', '5. Cache-aside for a route');
const db = useTestDatabase();
const redis = useTestRedis();
/** Two instances of the app (two processes, in production) sharing one Redis. */
const instances: { app: ProductsApp; server: StartedServer }[] = [];

beforeAll(async () => {
  for (let i = 0; i < 2; i += 1) {
    const app = createProductsApp({ prisma: db.prisma(), redis: redis.rawClient(), namespace: `${redis.prefix}shop:` });
    instances.push({ app, server: await startServer(app.app) });
  }
  await db.prisma().product.count(); // connect before anything is counted
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the caches connect and subscribe
});

afterAll(async () => {
  for (const { app, server } of instances) {
    await server.close();
    await app.close();
  }
});

async function get(instance: 0 | 1, path: string) {
  const response = await fetch(`${instances[instance]!.server.url}${path}`);
  const text = await response.text();
  return { status: response.status, cache: response.headers.get('x-cache'), body: text ? (JSON.parse(text) as Record<string, unknown> | null) : null };
}

async function put(instance: 0 | 1, id: number, body: object) {
  const response = await fetch(`${instances[instance]!.server.url}/api/products/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('cache-aside product route', () => {
  test('200 concurrent requests for a cold product cost exactly one database query', async () => {
    // Hold the table locked while the requests arrive, as a slow or distant database would:
    // every request is in flight at once, not served one after the other.
    const locker = await db.pool({ max: 1 }).connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "Product" IN ACCESS EXCLUSIVE MODE');
    const { result, statements } = await db.queries.count(async () => {
      const responses = Promise.all(Array.from({ length: 200 }, () => get(0, '/api/products/123')));
      await new Promise((resolve) => setTimeout(resolve, 750));
      await locker.query('COMMIT');
      return responses;
    });
    locker.release();
    const productQueries = statements.filter((sql) => sql.includes('"Product"'));
    expect(
      productQueries.length,
      `200 requests arrived together for product 123; the database was asked ${productQueries.length} times. ${READ}`,
    ).toBe(1);
    expect(result.every((response) => response.status === 200 && response.body?.id === 123)).toBe(true);
    const { rows } = await db.pool().query<{ name: string }>('SELECT "name" FROM "Product" WHERE "id" = 123');
    expect(result[0]!.body?.name).toBe(rows[0]!.name);
  });

  test('X-Cache says where the answer came from', async () => {
    expect((await get(0, '/api/products/124')).cache).toBe('miss');
    expect((await get(0, '/api/products/124')).cache, 'the same instance again: its memory').toBe('memory');
    expect((await get(1, '/api/products/124')).cache, 'the other instance: Redis').toBe('redis');
    expect((await get(1, '/api/products/124')).cache).toBe('memory');
  });

  test('a missing product is a 404, every time, on every instance; a malformed id is a 400', async () => {
    for (const instance of [0, 1, 0] as const) {
      const { status } = await get(instance, '/api/products/999999');
      expect(status, `Product 999999 does not exist: 404, not 200 with null. ${READ}`).toBe(404);
    }
    expect((await get(0, '/api/products/abc')).status).toBe(400);
  });

  test('after a PUT has answered, no instance serves the old product', async () => {
    for (const [round, writer] of [[1, 0], [2, 1], [3, 0]] as const) {
      await get(0, '/api/products/125');
      await get(1, '/api/products/125'); // both instances now hold it in memory
      const name = `Renamed, round ${round}`;
      const updated = await put(writer, 125, { name });
      expect(updated.status).toBe(200);
      expect(updated.body.name).toBe(name);
      for (const reader of [0, 1] as const) {
        const { body, cache } = await get(reader, '/api/products/125');
        expect(
          body?.name,
          `Round ${round}: instance ${writer} saved "${name}", then instance ${reader} answered "${String(body?.name)}" ` +
            `(X-Cache: ${cache}). Invalidate after writing, on every instance. ${READ}`,
        ).toBe(name);
      }
    }
  });

  test('a PUT for a missing product is a 404', async () => {
    expect((await put(0, 999999, { name: 'ghost' })).status).toBe(404);
  });

  test('every key the route wrote expires in Redis', async () => {
    const keys = await redis.keys();
    expect(keys.length).toBeGreaterThan(0);
    const raw = redis.rawClient();
    const forever = [];
    for (const key of keys) if ((await raw.pttl(key)) < 0) forever.push(key);
    expect(forever, `Keys without an expiry live until Redis runs out of memory. ${READ}`).toEqual([]);
  });
});
