// The observation helpers suites rely on: the query log sees Prisma's and pg's statements,
// and the loop and heap helpers see what they claim to.
import { expect, test } from 'vitest';
import QueryStream from 'pg-query-stream';
import { eventLoopDelayDuring, heapGrowthMb, tableColumnsRead, useTestDatabase } from '../index.ts';

const db = useTestDatabase();

test('the query log counts the statements of one call, from Prisma and from pg alike', async () => {
  const prisma = db.prisma();
  await prisma.user.count(); // connect outside the counted call
  const viaPrisma = await db.queries.count(() => prisma.user.findMany({ take: 5, orderBy: { id: 'asc' } }));
  expect(viaPrisma.result.map((user) => user.id)).toEqual([1, 2, 3, 4, 5]);
  expect(viaPrisma.count).toBe(1);
  expect(viaPrisma.statements[0]).toMatch(/SELECT .* FROM "public"\."User"/);

  const pool = db.pool();
  const viaPg = await db.queries.count(async () => {
    await pool.query('SELECT 1');
    await pool.query('SELECT $1::int', [2]);
  });
  expect(viaPg.statements).toEqual(['SELECT 1', 'SELECT $1::int']);
});

test('a QueryStream is logged as its statement, and tableColumnsRead sees what Postgres read for it', async () => {
  const pool = db.pool();
  const client = await pool.connect();
  try {
    const sql = 'SELECT "id", "title" FROM "Post" WHERE "id" < $1 ORDER BY "id"';
    const { result, queries } = await db.queries.count(async () => {
      const ids: number[] = [];
      for await (const row of client.query(new QueryStream(sql, [4]))) ids.push((row as { id: number }).id);
      return ids;
    });
    expect(result).toEqual([1, 2, 3]);
    expect(queries.map((query) => [query.text, query.values.map(String)])).toEqual([[sql, ['4']]]);
    const columns = ['id', 'title', 'content', 'status'];
    expect(await tableColumnsRead(pool, queries, 'Post', columns)).toEqual({ statements: 1, read: ['id', 'title'] });
    const star = await db.queries.count(() => client.query('SELECT * FROM "Post" WHERE "id" = 1'));
    const declared = await db.queries.count(async () => {
      await client.query('BEGIN');
      await client.query('DECLARE c CURSOR FOR SELECT "id", "status" FROM "Post" ORDER BY "id"');
      await client.query('COMMIT');
    });
    expect(await tableColumnsRead(pool, star.queries, 'Post', columns)).toEqual({ statements: 1, read: columns });
    expect(await tableColumnsRead(pool, declared.queries, 'Post', columns)).toEqual({ statements: 1, read: ['id', 'status'] });
  } finally {
    client.release();
  }
});

test('the seed is there, deterministic, with real createdAt ties among posts', async () => {
  const { rows } = await db.pool().query<{ users: string; posts: string; categories: string; products: string; tied: string }>(`
    SELECT (SELECT count(*) FROM "User") AS users, (SELECT count(*) FROM "Post") AS posts,
           (SELECT count(*) FROM "Category") AS categories, (SELECT count(*) FROM "Product") AS products,
           (SELECT count(*) FROM (SELECT "createdAt" FROM "Post" GROUP BY 1 HAVING count(*) > 1) t) AS tied`);
  expect(rows[0]).toMatchObject({ users: '2000', posts: '50000', categories: '50', products: '5000' });
  expect(Number(rows[0]!.tied)).toBeGreaterThan(1000);
});

test('eventLoopDelayDuring sees a 100 ms block', async () => {
  const { delay } = await eventLoopDelayDuring(async () => {
    const until = performance.now() + 100;
    while (performance.now() < until) {
      // block
    }
  });
  expect(delay.maxMs).toBeGreaterThanOrEqual(80);
});

test('heapGrowthMb sees memory that is kept, not memory that is dropped', async () => {
  const kept: number[][] = [];
  const grown = await heapGrowthMb(async () => {
    for (let i = 0; i < 40; i += 1) kept.push(new Array(65_536).fill(i)); // ~20 MiB of doubles
  });
  const dropped = await heapGrowthMb(async () => {
    for (let i = 0; i < 40; i += 1) new Array(65_536).fill(i);
  });
  expect(grown).toBeGreaterThan(15);
  expect(dropped).toBeLessThan(5);
  expect(kept).toHaveLength(40);
});
