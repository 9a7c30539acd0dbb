// Known wrong: the one-statement LATERAL query, but an inner JOIN LATERAL: a user without posts
// has no row to join, and silently drops off the page (the seed has no such user).
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

interface Row {
  id: number;
  name: string;
  postId: number;
  title: string;
  createdAt: Date;
}

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  const rows = await prisma.$queryRaw<Row[]>`
    SELECT u."id", u."name", p."id" AS "postId", p."title", p."createdAt"
    FROM (SELECT "id", "name" FROM "User" ORDER BY "id" OFFSET ${skip} LIMIT ${take}) u
    JOIN LATERAL (
      SELECT "id", "title", "createdAt" FROM "Post" WHERE "authorId" = u."id"
      ORDER BY "createdAt" DESC, "id" DESC LIMIT ${postsPerUser}
    ) p ON true
    ORDER BY u."id", p."createdAt" DESC, p."id" DESC`;
  const users = new Map<number, UserWithPosts>();
  for (const row of rows) {
    const user = users.get(row.id) ?? { id: row.id, name: row.name, posts: [] };
    user.posts.push({ id: row.postId, title: row.title, createdAt: row.createdAt });
    users.set(row.id, user);
  }
  return [...users.values()];
}
