// Another correct approach: one hand-written SQL statement. A LATERAL subquery picks each
// user's latest posts with its own LIMIT, and json_agg nests them into one row per user.
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
      SELECT json_agg(json_build_object('id', p."id", 'title', p."title", 'createdAt', p."createdAt")
                      ORDER BY p."createdAt" DESC, p."id" DESC) AS posts
      FROM (SELECT "id", "title", "createdAt" FROM "Post" WHERE "authorId" = u."id"
            ORDER BY "createdAt" DESC, "id" DESC LIMIT ${postsPerUser}) p
    ) latest ON true
    ORDER BY u."id"`;
  // json_build_object writes a timestamp without its zone; the column holds UTC.
  return rows.map((row) => ({
    ...row,
    posts: row.posts.map((post) => ({ ...post, createdAt: new Date(`${post.createdAt}Z`) })),
  }));
}
