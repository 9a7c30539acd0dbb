// Exercise 05 · products: a cache-aside product route that never serves a stale product after
// an update, on any instance. Run it with: npm test -- 05-caching/products
import type pg from 'pg';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollUntil, type StartedServer, startServer, suiteSection, useTestDatabase, useTestRedis, watchCommands } from '../../shared/testing/index.ts';
import { createProductsApp, type ProductsApp } from './products.ts';

const READ = suiteSection('05-caching', '5. Cache-aside for a route');
const db = useTestDatabase();
const redis = useTestRedis();
/** Two instances of the app (two processes, in production) sharing one Redis. */
const instances: { app: ProductsApp; server: StartedServer }[] = [];
/** The Redis connection each instance was given (its cache may open more of its own). */
const givenClients: Redis[] = [];
/** One pool for the test's own queries (db.pool() opens a new pool on every call). */
let ownPool: pg.Pool | undefined;
const sql = () => (ownPool ??= db.pool({ max: 2 }));

beforeAll(async () => {
  try {
    for (let i = 0; i < 2; i += 1) {
      givenClients.push(redis.rawClient());
      const app = createProductsApp({ prisma: db.prisma(), redis: givenClients[i]!, namespace: `${redis.prefix}shop:` });
      instances.push({ app, server: await startServer(app.app) });
    }
  } catch (error) {
    setupFailure = error; // every test then fails with it (a failing beforeAll would only skip them)
  }
  await db.prisma().product.count(); // connect before anything is counted
  await new Promise((resolve) => setTimeout(resolve, 200)); // let the caches connect and subscribe
});

afterAll(async () => {
  for (const { app, server } of instances) {
    await server.close();
    await app?.close?.();
  }
});

let setupFailure: unknown;
/** The URL of instance 0 or 1, or the reason the app could not be created. */
function urlOf(instance: 0 | 1): string {
  const started = instances[instance];
  if (!started) throw new Error(`createProductsApp() did not give a startable app: ${String(setupFailure)}. ${READ}`);
  return started.server.url;
}

async function get(instance: 0 | 1, path: string) {
  const response = await fetch(`${urlOf(instance)}${path}`);
  const text = await response.text();
  let body: Record<string, unknown> | null = null;
  try {
    body = text ? (JSON.parse(text) as Record<string, unknown> | null) : null;
  } catch {
    // not JSON (an error page): the status says what went wrong
  }
  return { status: response.status, cache: response.headers.get('x-cache'), body };
}

/** Backends of this file's database waiting for a lock (a row or a table another connection holds). */
async function lockWaiters(): Promise<number> {
  const { rows } = await sql().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return rows[0]!.n;
}

/**
 * What `reader` serves for a product once a PUT on `writer` has answered. The writer's own
 * instance cleared its memory before answering: it is read at once. Another instance hears of the
 * change by pub/sub, within milliseconds but not necessarily before the writer's client has its
 * answer: it is read again until `fresh` holds, for up to 5 s (its memory would keep the old
 * product for 60 s), and the caller's assertion judges the last answer.
 */
async function servedAfterPut(writer: 0 | 1, reader: 0 | 1, id: number, fresh: (body: Record<string, unknown> | null) => boolean) {
  const path = `/api/products/${id}`;
  let answer = await get(reader, path);
  if (reader !== writer) {
    await pollUntil(async () => {
      if (fresh(answer.body)) return true;
      answer = await get(reader, path);
      return fresh(answer.body);
    }, 5_000);
  }
  return answer;
}

/** How long after the PUT an instance's answer was judged, for the failure message. */
const afterPut = (writer: 0 | 1, reader: 0 | 1) =>
  reader === writer ? 'after the PUT answered' : 'for 5 s after the PUT answered (time enough for an invalidation message)';

/** Product queries (the statements naming the table) among those the harness logged. */
const productQueries = (statements: string[]) => statements.filter((sql) => sql.includes('"Product"'));

async function put(instance: 0 | 1, id: number | string, body: object) {
  const response = await fetch(`${urlOf(instance)}/api/products/${id}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let answer: Record<string, unknown> = {};
  try {
    answer = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (an error page): the status says what went wrong
  }
  return { status: response.status, body: answer };
}

describe('cache-aside product route', () => {
  test('200 concurrent requests for a cold product cost exactly one database query', async () => {
    // Hold the table locked while the requests arrive, as a slow or distant database would:
    // every request is in flight at once, not served one after the other.
    const locker = await db.pool({ max: 1 }).connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE "Product" IN ACCESS EXCLUSIVE MODE');
    const commands = watchCommands(givenClients[0]!);
    const { result, statements } = await db.queries.count(async () => {
      const responses = Promise.all(Array.from({ length: 200 }, () => get(0, '/api/products/123')));
      await new Promise((resolve) => setTimeout(resolve, 750));
      await locker.query('COMMIT');
      return responses;
    }).finally(() => commands.stop());
    locker.release();
    const fills = commands.count('set') + commands.count('setex') + commands.count('psetex');
    expect(
      fills,
      `200 requests for one cold product wrote it to Redis ${fills} times: share the whole load (cache lookup, database, ` +
        `fill) per key, not only the database query, or every request still does its own fill. ${READ}`,
    ).toBeLessThanOrEqual(2);
    const productQueries = statements.filter((sql) => sql.includes('"Product"'));
    expect(
      productQueries.length,
      `200 requests arrived together for product 123; the database was asked ${productQueries.length} times. ${READ}`,
    ).toBe(1);
    expect(result.every((response) => response.status === 200 && response.body?.id === 123)).toBe(true);
    const { rows } = await sql().query<{ name: string }>('SELECT "name" FROM "Product" WHERE "id" = 123');
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

  test('after a PUT has answered, its instance serves the new product at once, and the other as soon as it hears', async () => {
    for (const [round, writer] of [[1, 0], [2, 1], [3, 0]] as const) {
      await get(0, '/api/products/125');
      await get(1, '/api/products/125'); // both instances now hold it in memory
      const name = `Renamed, round ${round}`;
      const updated = await put(writer, 125, { name });
      expect(updated.status).toBe(200);
      expect(updated.body.name).toBe(name);
      for (const reader of [0, 1] as const) {
        const { body, cache } = await servedAfterPut(writer, reader, 125, (served) => served?.name === name);
        expect(
          body?.name,
          `Round ${round}: instance ${writer} saved "${name}", then instance ${reader} answered "${String(body?.name)}" ` +
            `${afterPut(writer, reader)} (X-Cache: ${cache}). Invalidate after writing, on every instance. ${READ}`,
        ).toBe(name);
      }
    }
  });

  test('a stampede on two cold products at once: one query each, and every request gets its own product', async () => {
    const locker = await db.pool({ max: 1 }).connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "Product" IN ACCESS EXCLUSIVE MODE');
      const ids = [130, 131];
      const { result, statements } = await db.queries.count(async () => {
        // Interleaved: 130, 131, 130, 131, … while the first loads wait on the lock.
        const requested = Array.from({ length: 100 }, () => ids).flat();
        const responses = Promise.all(requested.map((id) => get(0, `/api/products/${id}`).then((response) => ({ id, response }))));
        await pollUntil(async () => (await lockWaiters()) >= ids.length, 3_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await locker.query('COMMIT');
        return responses;
      });
      const wrong = result.filter(({ id, response }) => response.status !== 200 || response.body?.id !== id);
      expect(
        wrong.slice(0, 3).map(({ id, response }) => ({ asked: id, status: response.status, got: response.body?.id })),
        `${wrong.length} of 200 requests got another product (or an error): deduplicate per product key. ${READ}`,
      ).toEqual([]);
      const queries = productQueries(statements).length;
      // Prisma may batch two findUnique calls into one statement: one or two, never more.
      expect(queries, `100 requests each for two cold products: one database query per product, saw ${queries}. ${READ}`).toBeLessThanOrEqual(2);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      locker.release();
    }
  });

  test('a missing product is looked up once, then answered from the cache on every instance', async () => {
    const { result, statements } = await db.queries.count(async () => {
      const answers: string[] = [];
      for (const instance of [0, 0, 1, 1, 0] as const) {
        const { status, cache } = await get(instance, '/api/products/999998');
        answers.push(`${status} ${cache}`);
      }
      return answers;
    });
    expect(
      result,
      `Product 999998 does not exist, read on instances 0, 0, 1, 1, 0: a 404 each time, with X-Cache saying where the ` +
        `"no such product" came from, as for a product (a cached null is a value: if (value) takes it for a miss). ${READ}`,
    ).toEqual(['404 miss', '404 memory', '404 redis', '404 memory', '404 memory']);
    const queries = productQueries(statements).length;
    expect(
      queries,
      `Five requests for product 999998, which does not exist, queried the database ${queries} times: cache "no such ` +
        `product" too (as null, briefly), so a flood of bad ids stays off the database. ${READ}`,
    ).toBe(1);
  });

  test('"no such product" is cached for less time than a product', async () => {
    expect((await get(0, '/api/products/133')).status).toBe(200);
    expect((await get(0, '/api/products/999997')).status).toBe(404);
    const keys = await redis.keys();
    const raw = redis.rawClient();
    const ttlOf = async (suffix: string) => {
      const key = keys.find((name) => name.endsWith(suffix));
      expect(key, `No Redis key ending in "${suffix}" after reading it. ${READ}`).toBeDefined();
      return raw.pttl(key!);
    };
    const missing = await ttlOf('product:999997');
    const found = await ttlOf('product:133');
    expect(missing, `"no such product" must expire (PTTL ${missing}). ${READ}`).toBeGreaterThan(0);
    expect(
      missing,
      `"no such product" is cached for ${missing} ms, a product for ${found} ms: cache a missing product briefly, or a ` +
        `product created just after someone asked for it stays a 404 for as long as a product is cached. ${READ}`,
    ).toBeLessThan(found);
  });

  test('a read that arrives while a PUT waits for its row does not put the old product back', async () => {
    const id = 132;
    await get(0, `/api/products/${id}`);
    await get(1, `/api/products/${id}`); // cached everywhere, old name
    const name = 'Renamed while a read raced it';
    const locker = await db.pool({ max: 1 }).connect();
    try {
      // Hold the row, as a slow transaction would: the PUT's UPDATE waits for it.
      await locker.query('BEGIN');
      await locker.query('SELECT "id" FROM "Product" WHERE "id" = $1 FOR UPDATE', [id]);
      let answered = false;
      const putting = put(0, id, { name }).finally(() => (answered = true));
      await pollUntil(async () => answered || (await lockWaiters()) > 0, 5_000);
      // Reads while the write waits (they may answer the old name: it is not committed yet).
      await get(0, `/api/products/${id}`);
      await get(1, `/api/products/${id}`);
      await locker.query('COMMIT');
      const updated = await putting;
      expect(updated.status).toBe(200);
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      locker.release();
    }
    for (const reader of [0, 1] as const) {
      const { body, cache } = await servedAfterPut(0, reader, id, (served) => served?.name === name);
      expect(
        body?.name,
        `A read arrived while the PUT on instance 0 waited for the row; ${afterPut(0, reader)}, instance ${reader} still answered ` +
          `"${String(body?.name)}" (X-Cache: ${cache}). Write the database first, then invalidate: invalidating first ` +
          `lets that read put the old row back. ${READ}`,
      ).toBe(name);
    }
  });

  test('a database that fails is a 500, not "no such product", and nothing of it is cached', async () => {
    const id = 141;
    // The table is away for a moment (this file's own database): every query for a product fails.
    await sql().query('ALTER TABLE "Product" RENAME TO "Product_away"');
    let during: { status: number; cache: string | null };
    try {
      during = await get(0, `/api/products/${id}`);
    } finally {
      await sql().query('ALTER TABLE "Product_away" RENAME TO "Product"');
    }
    expect(
      during.status,
      `The database failed while product ${id} was looked up: that is a 500 (the product may well exist), not a 404. ${READ}`,
    ).toBe(500);
    for (const instance of [0, 1] as const) {
      const after = await get(instance, `/api/products/${id}`);
      expect(
        `${after.status} ${String(after.body?.id)}`,
        `The database is back: instance ${instance} answered ${after.status} for product ${id}, which exists. A failure must ` +
          `not be cached as "no such product". ${READ}`,
      ).toBe(`200 ${id}`);
    }
  });

  test('a malformed or out-of-range id is a 400 and never reaches the database', async () => {
    const ids = ['abc', '1abc', 'abc1', '0', '-1', '1.5', '2147483648', '3000000000', '9999999999', '99999999999999999999'];
    const { result, statements } = await db.queries.count(async () => {
      const statuses: Record<string, number> = {};
      for (const id of ids) statuses[id] = (await get(0, `/api/products/${encodeURIComponent(id)}`)).status;
      return statuses;
    });
    expect(
      result,
      `Ids must be validated before they reach Prisma (/^[1-9]\\d*$/, and within the column's range: Product.id is a ` +
        `signed 32-bit int, 1 to 2147483647, so 3000000000 cannot exist and Prisma would throw on it). ${READ}`,
    ).toEqual(Object.fromEntries(ids.map((id) => [id, 400])));
    expect(productQueries(statements), `no query for an id that cannot exist. ${READ}`).toEqual([]);
    const largest = await get(0, '/api/products/2147483647');
    expect(largest.status, `2147483647 is the largest id the column holds: a valid id, and no such product (404). ${READ}`).toBe(404);
  });

  test('PUT rejects a malformed body with 400 and leaves the row alone; a valid price is saved and served', async () => {
    const id = 134;
    const { rows: before } = await sql().query<{ name: string; price: string }>('SELECT "name", "price"::text FROM "Product" WHERE "id" = $1', [id]);
    for (const body of [{ price: 'abc' }, { price: '1x' }, { price: 'x1' }, { price: '123456789' }, { name: 42 }, { name: 'ok', price: 'abc' }]) {
      const { status } = await put(0, id, body);
      expect(status, `PUT ${JSON.stringify(body)}: a body the column cannot hold is a 400, not ${status}. ${READ}`).toBe(400);
    }
    expect((await put(0, 'abc', { name: 'x' })).status, 'PUT on a malformed id: 400').toBe(400);
    const { rows: after } = await sql().query<{ name: string; price: string }>('SELECT "name", "price"::text FROM "Product" WHERE "id" = $1', [id]);
    expect(after, 'rejected PUTs changed the row').toEqual(before);
    for (const price of ['19.99', '20']) {
      const saved = await put(1, id, { price });
      expect(saved.status, `PUT { price: "${price}" } is valid`).toBe(200);
      expect(Number(saved.body.price), 'the PUT answers the saved product').toBe(Number(price));
      expect(saved.body.name, 'a PUT of the price alone keeps the name').toBe(before[0]!.name);
      for (const reader of [0, 1] as const) {
        const { body } = await servedAfterPut(1, reader, id, (served) => Number(served?.price) === Number(price));
        expect(Number(body?.price), `instance ${reader}, ${afterPut(1, reader)} on instance 1 with { price: "${price}" }. ${READ}`).toBe(Number(price));
      }
    }
  });

  test('close() closes the connections the app\'s cache opened', async () => {
    const connectionName = `wb-products-close-${process.pid}-${Date.now()}`;
    const own = createProductsApp({ prisma: db.prisma(), redis: redis.rawClient({ connectionName }), namespace: `${redis.prefix}shop:` });
    const server = await startServer(own.app);
    try {
      expect((await fetch(`${server.url}/api/products/124`)).status).toBe(200);
    } finally {
      await server.close();
      await own.close();
    }
    const admin = redis.rawClient();
    const named = async () =>
      String(await admin.call('CLIENT', 'LIST'))
        .split('\n')
        .filter((line) => line.includes(` name=${connectionName} `)).length;
    for (let waited = 0; (await named()) > 1 && waited < 2_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await named(), `close() must close what the app opened (its cache's subscriber); 1 connection, the one passed in, may stay. ${READ}`).toBeLessThanOrEqual(1);
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
