// Known wrong (the page of users is OFFSET/LIMIT without ORDER BY "id": it pages through the table's physical order).
// The LATERAL query of alternatives/users-with-posts.lateral.ts; the outer ORDER BY sorts the page,
// but the wrong users may be on it.
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
    FROM (SELECT "id", "name" FROM "User" OFFSET ${skip} LIMIT ${take}) u
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
