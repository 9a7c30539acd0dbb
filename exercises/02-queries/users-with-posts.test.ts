// Exercise 02 · users-with-posts: a page of users with their latest posts, in a number of
// queries that does not depend on the page size. Run it with: npm test -- 02-queries/users-with-posts
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { explain, rowsRead, suiteSection, useTestDatabase } from '../../shared/testing/index.ts';
import { usersWithLatestPosts, type UserWithPosts } from './users-with-posts.ts';

const READ = suiteSection('02-queries', '1. N+1: one query per row');
const db = useTestDatabase();
let pool: pg.Pool;

// This file runs in a time zone far from UTC (+13:45): an answer that reads the database's UTC
// timestamps as local time (new Date() of a string without a zone) shows every post shifted,
// as it would on a learner's or a server's machine that is not set to UTC.
const DATABASE_ZONE = 'Pacific/Chatham';
const zoneBefore = process.env.TZ;
process.env.TZ = 'Pacific/Chatham';
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

beforeAll(async () => {
  pool = db.pool();
  // The database's sessions run in that zone too (set before Prisma connects, so its sessions
  // start in it): SQL that converts the UTC timestamps through timestamptz ("createdAt"::timestamptz,
  // AT TIME ZONE) reads them as this zone's wall time, as on a server installed with local time.
  await pool.query(`ALTER DATABASE "${db.name}" SET timezone TO '${DATABASE_ZONE}'`);
  // The index exercise 5 asks for, made here so every approach runs in reasonable time:
  // without it each user's "latest posts" is a scan of all 50,000 posts. (Without "id" in it:
  // an index that already breaks ties by id would hide an order that forgets to.)
  await pool.query(`CREATE INDEX users_with_posts_latest ON "Post" ("authorId", "createdAt" DESC)`);
  await pool.query('ANALYZE "Post"');
  await db.prisma().user.count(); // connect before anything is counted
});

/**
 * Users the seed never has, after its last one: one whose posts share a createdAt (inserted in
 * an order unlike their ids) or differ by a millisecond, one with no posts, one with fewer posts
 * than asked for. Returns their ids.
 */
async function addUnusualUsers(): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO "User" ("name", "email", "passwordHash")
     SELECT 'Unusual ' || n, 'unusual' || n || '@example.test', 'x' FROM generate_series(1, 3) n RETURNING "id"`,
  );
  const [tied, none, few] = rows.map((row) => row.id).sort((a, b) => a - b) as [number, number, number];
  // Rewriting two users moves their rows to the end of the table: only an ORDER BY "id" still
  // returns them in id order.
  await pool.query(`UPDATE "User" SET "name" = "name" || '' WHERE "id" IN (1996, 1997)`);
  const at = '2025-12-31 10:00:00';
  const posts: [number, number, string][] = [
    // id, author, createdAt: six posts at the same instant, inserted out of id order...
    ...[3, 0, 5, 1, 4, 2].map((n): [number, number, string] => [900_000 + n, tied, `${at}.000`]),
    // ...and three a millisecond around it.
    [900_010, tied, `${at}.002`],
    [900_011, tied, `${at}.001`],
    [900_012, tied, '2025-12-31 09:59:59.999'],
    [900_020, few, '2025-12-30 08:00:00.500'],
    [900_021, few, '2025-12-30 08:00:00.499'],
  ];
  for (const [id, authorId, createdAt] of posts) {
    await pool.query(`INSERT INTO "Post" ("id", "title", "content", "authorId", "createdAt") VALUES ($1, $2, 'x', $3, $4)`, [
      id,
      `unusual ${id}`,
      authorId,
      createdAt,
    ]);
  }
  return [tied, none, few];
}

/** The expected answer, computed independently with a window function. */
async function reference(skip: number, take: number, postsPerUser: number): Promise<UserWithPosts[]> {
  const users = await pool.query<{ id: number; name: string }>(
    `SELECT "id", "name" FROM "User" ORDER BY "id" OFFSET $1 LIMIT $2`,
    [skip, take],
  );
  const posts = await pool.query<{ authorId: number; id: number; title: string; createdAt: Date }>(
    `SELECT "authorId", "id", "title", "createdAt" FROM (
       SELECT p.*, row_number() OVER (PARTITION BY "authorId" ORDER BY "createdAt" DESC, "id" DESC) AS n
       FROM "Post" p WHERE "authorId" = ANY($1)
     ) ranked WHERE n <= $2 ORDER BY "authorId", "createdAt" DESC, "id" DESC`,
    [users.rows.map((user) => user.id), postsPerUser],
  );
  return users.rows.map((user) => ({
    id: user.id,
    name: user.name,
    posts: posts.rows.filter((post) => post.authorId === user.id).map(({ id, title, createdAt }) => ({ id, title, createdAt })),
  }));
}

/** Each user is exactly { id, name, posts }, each post exactly { id, title, createdAt }. */
function expectExactFields(users: UserWithPosts[]): void {
  for (const user of users) {
    expect(Object.keys(user).sort(), `user ${user.id}: exactly { id, name, posts }, nothing more (no email, no passwordHash). ${READ}`).toEqual([
      'id',
      'name',
      'posts',
    ]);
    for (const post of user.posts) {
      expect(Object.keys(post).sort(), `a post of user ${user.id}: exactly { id, title, createdAt }. ${READ}`).toEqual(['createdAt', 'id', 'title']);
    }
  }
}

/**
 * Where the page holds the same posts as the reference, each createdAt must be the instant the
 * database holds (a timestamp without zone is UTC): says which post is shifted, and by how much.
 */
function expectSameInstants(actual: UserWithPosts[], expected: UserWithPosts[]): void {
  const want = new Map(expected.flatMap((user) => user.posts.map((post) => [post.id, new Date(post.createdAt).getTime()] as const)));
  for (const user of actual) {
    for (const post of user.posts) {
      const instant = want.get(post.id);
      const got = new Date(post.createdAt).getTime();
      if (instant === undefined || got === instant) continue;
      const hours = (got - instant) / 3_600_000;
      expect(
        Number.isNaN(got) ? String(post.createdAt) : new Date(got).toISOString(),
        `post ${post.id} of user ${user.id}: createdAt must be the instant the database holds ` +
          `(${new Date(instant).toISOString()})${Number.isNaN(got) ? '' : `, not ${Math.abs(hours)} hours ${hours < 0 ? 'earlier' : 'later'}`}. The column is a ` +
          `timestamp without zone, in UTC: a JSON string of it (json_build_object, to_json) has no "Z", and ` +
          `new Date() reads such a string as local time; a cast to timestamptz reads it in the session's time zone ` +
          `(here ${DATABASE_ZONE}). ${READ}`,
      ).toBe(new Date(instant).toISOString());
    }
  }
}

/** Compares ids, titles and instants (whatever Date/string form the answer uses). */
function normalise(users: UserWithPosts[]) {
  return users.map((user) => ({
    id: user.id,
    name: user.name,
    posts: user.posts.map((post) => ({ id: post.id, title: post.title, createdAt: new Date(post.createdAt).getTime() })),
  }));
}

describe('users with their latest posts', () => {
  test('returns the same users and posts as a reference query', async () => {
    for (const [skip, take, postsPerUser] of [[0, 20, 3], [1_990, 20, 5], [500, 7, 1]] as const) {
      const actual = await usersWithLatestPosts(db.prisma(), { skip, take, postsPerUser });
      const expected = await reference(skip, take, postsPerUser);
      expectSameInstants(actual, expected);
      expect(
        normalise(actual),
        `skip ${skip}, take ${take}, ${postsPerUser} posts each: users by id, posts newest first (ties by id, highest first), ` +
          `users without posts included with posts: []. ${READ}`,
      ).toEqual(normalise(expected));
      expectExactFields(actual);
    }
  });

  test('users without posts, ties on createdAt and milliseconds: the same as the reference query', async () => {
    const [tied, none, few] = await addUnusualUsers();
    for (const postsPerUser of [5, 1]) {
      const actual = await usersWithLatestPosts(db.prisma(), { skip: 1_995, take: 10, postsPerUser });
      const expected = await reference(1_995, 10, postsPerUser);
      expect(expected.map((user) => user.id)).toEqual(expect.arrayContaining([tied, none, few]));
      expectSameInstants(actual, expected);
      expect(
        normalise(actual),
        `users 1996 to ${few}, ${postsPerUser} posts each. User ${none} has no posts: it is still on the page, with ` +
          `posts: []. User ${tied}'s posts share a createdAt or differ by one millisecond: newest first, ties by id ` +
          `(highest first), exactly ${postsPerUser} of them. User ${few} has only 2. ${READ}`,
      ).toEqual(normalise(expected));
      expectExactFields(actual);
    }
  });

  test('skip counts users, not ids: with a user deleted, the pages around the gap stay full', async () => {
    // Ids have gaps in real tables (deleted users, sequence values lost to rolled-back inserts).
    const gone = 1_203;
    await pool.query(`DELETE FROM "Post" WHERE "authorId" = $1`, [gone]);
    await pool.query(`DELETE FROM "User" WHERE "id" = $1`, [gone]);
    for (const [skip, take] of [[1_190, 20], [1_200, 5], [1_210, 5]] as const) {
      const actual = await usersWithLatestPosts(db.prisma(), { skip, take, postsPerUser: 2 });
      const expected = await reference(skip, take, 2);
      expect(
        actual.map((user) => user.id),
        `User ${gone} was deleted. skip ${skip}, take ${take} means "after the first ${skip} users (by id), the next ` +
          `${take}": ${take} users, whatever their ids. Paging by id arithmetic (id > skip) assumes ids without gaps. ${READ}`,
      ).toEqual(expected.map((user) => user.id));
      expect(normalise(actual), `skip ${skip}, take ${take}, with user ${gone} deleted: the same as the reference query. ${READ}`).toEqual(
        normalise(expected),
      );
    }
  });

  test("reads only the page's users and their posts", async () => {
    const [skip, take, postsPerUser] = [100, 20, 3];
    const { queries, result } = await db.queries.count(() => usersWithLatestPosts(db.prisma(), { skip, take, postsPerUser }));
    expect(result).toHaveLength(take);
    const { rows } = await pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "Post" WHERE "authorId" IN (SELECT "id" FROM "User" ORDER BY "id" OFFSET $1 LIMIT $2)`,
      [skip, take],
    );
    const theirPosts = rows[0]!.count;
    let postRows = 0;
    let userRows = 0;
    for (const query of queries.filter((q) => /^\s*(SELECT|WITH)\b/i.test(q.text))) {
      const plan = await explain(pool, query, { analyze: true });
      postRows += rowsRead(plan, 'Post');
      userRows += rowsRead(plan, 'User');
    }
    expect(
      postRows,
      `A page of ${take} users read ${postRows.toLocaleString('en-US')} rows of Post; those users have ${theirPosts} posts in ` +
        `all. Load the posts of the page's users only (and let the database keep the latest ${postsPerUser} each), ` +
        `not every post. ${READ}`,
    ).toBeLessThanOrEqual(2 * theirPosts + 50);
    expect(
      userRows,
      `A page of ${take} users after ${skip} read ${userRows.toLocaleString('en-US')} rows of User: ask the database for the ` +
        `page (skip/take), do not load every user. ${READ}`,
    ).toBeLessThanOrEqual(2 * (skip + take) + 50);
  });

  test('the number of SQL statements does not grow with the page size', async () => {
    const prisma = db.prisma();
    const small = await db.queries.count(() => usersWithLatestPosts(prisma, { take: 5, postsPerUser: 3 }));
    const large = await db.queries.count(() => usersWithLatestPosts(prisma, { take: 100, postsPerUser: 3 }));
    expect(small.result).toHaveLength(5);
    expect(large.result).toHaveLength(100);
    expect(
      large.count,
      `5 users took ${small.count} statements, 100 users took ${large.count}: the page costs one query per user (N+1). ` +
        `Running them with Promise.all sends just as many. ${READ}`,
    ).toBe(small.count);
    expect(large.count, `A page should take a handful of statements, not ${large.count}. ${READ}`).toBeLessThanOrEqual(3);
    // Past 100 too: a page split into groups of users (one statement per 100, say) still grows.
    const larger = await db.queries.count(() => usersWithLatestPosts(prisma, { take: 250, postsPerUser: 3 }));
    expect(larger.result).toHaveLength(250);
    expect(
      larger.count,
      `5 users took ${small.count} statements, 250 users took ${larger.count}: the count still grows with the page size. ` +
        `Sending the posts query once per group of users (per 100, say) is N+1 in bigger steps: load the posts of the ` +
        `whole page in one go. ${READ}`,
    ).toBe(small.count);
  });

  test('postsPerUser: 0 gives every user of the page, each with posts: []', async () => {
    const actual = await usersWithLatestPosts(db.prisma(), { skip: 40, take: 10, postsPerUser: 0 });
    const expected = await reference(40, 10, 0);
    expect(
      normalise(actual),
      `skip 40, take 10, postsPerUser: 0 asks for the latest 0 posts of each user: the 10 users by id, each with ` +
        `posts: []. 0 is a number like any other, not a missing value (postsPerUser || 5 turns it into 5). ${READ}`,
    ).toEqual(normalise(expected));
    expectExactFields(actual);
  });

  test("a page is in id order, whatever the table's physical order", async () => {
    // An UPDATE writes a new version of each row elsewhere in the table (even one that sets a
    // column to itself): users 1 to 5 now come after the others in a scan. Only ORDER BY "id"
    // (in the query that picks the page, not just around it) still pages by id.
    await pool.query(`UPDATE "User" SET "name" = "name" WHERE "id" <= 5`);
    for (const [skip, take] of [[0, 5], [0, 12], [3, 4]] as const) {
      const actual = await usersWithLatestPosts(db.prisma(), { skip, take, postsPerUser: 2 });
      const expected = await reference(skip, take, 2);
      expect(
        actual.map((user) => user.id),
        `skip ${skip}, take ${take}, after users 1 to 5 were updated (a scan of the table now meets them after the others): ` +
          `the users ${expected[0]?.id} to ${expected.at(-1)?.id}, by id. OFFSET/LIMIT without ORDER BY "id" pages through ` +
          `whatever order the table happens to be in; sorting the page afterwards does not bring the right users back. ${READ}`,
      ).toEqual(expected.map((user) => user.id));
      expect(normalise(actual), `skip ${skip}, take ${take}: the same as the reference query. ${READ}`).toEqual(normalise(expected));
    }
  });
});
