// Exercise 02 · users-with-posts: a page of users with their latest posts, in a number of
// queries that does not depend on the page size. Run it with: npm test -- 02-queries/users-with-posts
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { lessonHint, useTestDatabase } from '../../shared/testing/index.ts';
import { usersWithLatestPosts, type UserWithPosts } from './users-with-posts.ts';

const READ = lessonHint('02-queries', '1. N+1: one query per row');
const db = useTestDatabase();
let pool: pg.Pool;

beforeAll(async () => {
  pool = db.pool();
  // The index exercise 5 asks for, made here so every approach runs in reasonable time:
  // without it each user's "latest posts" is a scan of all 50,000 posts.
  await pool.query(`CREATE INDEX users_with_posts_latest ON "Post" ("authorId", "createdAt" DESC, "id" DESC)`);
  await db.prisma().user.count(); // connect before anything is counted
});

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
      expect(
        normalise(actual),
        `skip ${skip}, take ${take}, ${postsPerUser} posts each: users by id, posts newest first (ties by id, highest first), ` +
          `users without posts included with posts: []`,
      ).toEqual(normalise(expected));
    }
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
  });
});
