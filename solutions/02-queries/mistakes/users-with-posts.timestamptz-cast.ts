// Known wrong (createdAt cast to timestamptz in SQL: the UTC wall time is read in the session's time zone).
// The LATERAL query of alternatives/users-with-posts.lateral.ts, with "createdAt"::timestamptz in the
// JSON so that it carries an offset. Right only where the database session runs in UTC.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

interface Row {
  id: number;
  name: string;
  posts: { id: number; title: string; createdAt: string }[];
}

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT u."id", u."name", COALESCE(latest.posts, '[]'::json) AS posts
    FROM (SELECT "id", "name" FROM "User" ORDER BY "id" OFFSET ${skip} LIMIT ${take}) u
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object('id', p."id", 'title', p."title", 'createdAt', p."createdAt"::timestamptz)
                      ORDER BY p."createdAt" DESC, p."id" DESC) AS posts
      FROM (SELECT "id", "title", "createdAt" FROM "Post" WHERE "authorId" = u."id"
            ORDER BY "createdAt" DESC, "id" DESC LIMIT ${postsPerUser}) p
    ) latest ON true
    ORDER BY u."id"`;
  // A timestamptz has its offset in JSON, so new Date() reads it without help.
  return rows.map((row) => ({
    ...row,
    posts: row.posts.map((post) => ({ ...post, createdAt: new Date(post.createdAt) })),
  }));
}
