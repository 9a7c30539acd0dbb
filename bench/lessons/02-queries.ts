// Lesson 02's numbers: N+1 against one query, Prisma's two relation strategies, offset and
// cursor pages deep in the table, and batched writes. Each case runs against the same fresh
// clone of the seed (with the indexes exercise 5 asks for); one measurement of a case is the
// median of 7 runs after warm-up, and compare() repeats it in interleaved rounds.
import type { BenchContext } from '../context.ts';
import { createPool, createPrisma } from '../../shared/db/clients.ts';
import { QueryLog, logQueries } from '../../shared/testing/query-log.ts';
import { sqlStatements } from '../../shared/testing/sql.ts';
import { timedCase } from '../measure.ts';
import type { Compare } from '../run.ts';
import { usersWithLatestPosts as nPlusOne } from '../../solutions/02-queries/mistakes/users-with-posts.loop.ts';
import { usersWithLatestPosts as concurrentNPlusOne } from '../../solutions/02-queries/mistakes/users-with-posts.promise-all.ts';
import { usersWithLatestPosts as onePage } from '../../solutions/02-queries/users-with-posts.ts';
import { usersWithLatestPosts as lateral } from '../../solutions/02-queries/alternatives/users-with-posts.lateral.ts';
import { applyPostUpdates as updateLoop } from '../../solutions/02-queries/mistakes/batch-updates.loop.ts';
import { applyPostUpdates as transactionArray } from '../../solutions/02-queries/mistakes/batch-updates.transaction-array.ts';
import { applyPostUpdates as batched } from '../../solutions/02-queries/batch-updates.ts';
import { readFile } from 'node:fs/promises';

export default async function bench({ databaseUrl }: BenchContext, compare: Compare): Promise<void> {
  const log = new QueryLog();
  const pool = logQueries(createPool(databaseUrl, { max: 10 }), log);
  const prisma = createPrisma(pool);
  try {
    const indexes = await readFile(new URL('../../solutions/02-queries/indexes.sql', import.meta.url), 'utf8');
    for (const statement of sqlStatements(indexes)) await pool.query(statement);
    await pool.query(`CREATE INDEX IF NOT EXISTS bench_post_keyset ON "Post" ("createdAt" DESC, "id" DESC)`);
    await pool.query('ANALYZE');

    // 1. A page of users with their 5 latest posts.
    for (const take of [10, 100]) {
      const options = { take, postsPerUser: 5 };
      const solution = "nested select, relationLoadStrategy 'join' (the solution)";
      await compare(
        {
          id: `users-with-posts-${take}`,
          title: `${take} users with their 5 latest posts (users-with-posts)`,
          unit: 'ms per page',
          higherIsBetter: false,
          cases: [
            { label: 'N+1 loop', run: timedCase(log, () => nPlusOne(prisma, options)) },
            { label: 'N+1 with Promise.all', run: timedCase(log, () => concurrentNPlusOne(prisma, options)) },
            {
              label: "nested select, relationLoadStrategy 'query'",
              run: timedCase(log, () =>
                prisma.user.findMany({
                  take, orderBy: { id: 'asc' }, relationLoadStrategy: 'query',
                  select: { id: true, name: true, posts: { select: { id: true, title: true, createdAt: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 5 } },
                })),
            },
            { label: solution, run: timedCase(log, () => onePage(prisma, options)) },
            { label: 'raw SQL, LATERAL + json_agg', run: timedCase(log, () => lateral(prisma, options)) },
          ],
        },
        solution,
      );
    }

    // 2. The page after 40,000 posts (and the first page, for scale).
    const { rows: [deep] } = await pool.query<{ id: number; createdAt: Date }>(
      `SELECT "id", "createdAt" FROM "Post" ORDER BY "createdAt" DESC, "id" DESC OFFSET 39999 LIMIT 1`,
    );
    const select = { id: true, title: true, authorId: true, createdAt: true } as const;
    const orderBy = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
    const solution = 'keyset with createdAt <= c AND (…) (the solution)';
    const depthCases = [
      ['first page (any method)', () => prisma.post.findMany({ take: 101, orderBy, select })],
      ['OFFSET 40000', () => prisma.post.findMany({ skip: 40_000, take: 101, orderBy, select })],
      ["Prisma's cursor option (cursor: { id }, skip: 1)", () => prisma.post.findMany({ cursor: { id: deep!.id }, skip: 1, take: 101, orderBy, select })],
      ['keyset written as an OR', () => prisma.post.findMany({
        where: { OR: [{ createdAt: { lt: deep!.createdAt } }, { createdAt: deep!.createdAt, id: { lt: deep!.id } }] }, take: 101, orderBy, select })],
      [solution, () => prisma.post.findMany({
        where: { createdAt: { lte: deep!.createdAt }, OR: [{ createdAt: { lt: deep!.createdAt } }, { id: { lt: deep!.id } }] }, take: 101, orderBy, select })],
      ['raw SQL row comparison', () => prisma.$queryRaw`SELECT "id", "title", "authorId", "createdAt" FROM "Post"
        WHERE ("createdAt", "id") < (${deep!.createdAt}::timestamp(3), ${deep!.id}::int) ORDER BY "createdAt" DESC, "id" DESC LIMIT 101`],
    ] as const;
    await compare(
      {
        id: 'deep-page',
        title: 'A page of 100 posts, 40,000 posts deep (post-pages)',
        unit: 'ms per page',
        higherIsBetter: false,
        cases: depthCases.map(([label, work]) => ({ label, run: timedCase(log, work) })),
      },
      solution,
    );

    // 3. 500 updates, each row its own title and status.
    let round = 0;
    const updates = () => {
      round += 1;
      return Array.from({ length: 500 }, (_, i) => ({ id: 10_000 + i, title: `bench ${round} ${i}`, status: 'published' as const }));
    };
    const batchedLabel = 'one UPDATE … FROM unnest(…) (the solution)';
    await compare(
      {
        id: 'batch-updates',
        title: '500 updates, each row its own title and status (batch-updates)',
        unit: 'ms per batch',
        higherIsBetter: false,
        cases: ([['one update per row', updateLoop], ['$transaction([...updates])', transactionArray], [batchedLabel, batched]] as const).map(([label, apply]) => ({
          label,
          run: timedCase(log, () => apply(prisma, updates()), { runs: 9, warmup: 3 }),
        })),
      },
      batchedLabel,
    );
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}
