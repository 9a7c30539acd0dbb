// WRONG (timezone): json_agg serializes a TIMESTAMP (without time zone) as "2024-05-01T10:00:00.123"
// with no "Z"; new Date() parses that as LOCAL time. On a server with TZ=UTC it is right; on any
// other zone (TZ=Europe/Berlin, a dev laptop) every post's createdAt is shifted by the UTC offset:
// the API returns different dates than the table holds (and than findMany returns).
import type { PrismaClient } from '../../../shared/db/clients.ts';

export interface UserWithPosts {
  id: number;
  name: string;
  posts: { id: number; title: string; createdAt: Date }[];
}

export interface UsersWithPostsOptions {
  skip?: number;
  take: number;
  postsPerUser: number;
}

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
    SELECT u."id", u."name", COALESCE(p.posts, '[]'::json) AS posts
    FROM (SELECT "id", "name" FROM "User" ORDER BY "id" LIMIT ${take} OFFSET ${skip}) AS u
    LEFT JOIN LATERAL (
      SELECT json_agg(json_build_object(
               'id', x."id", 'title', x."title",
               'createdAt', x."createdAt")
             ORDER BY x."createdAt" DESC, x."id" DESC) AS posts
      FROM (SELECT "id", "title", "createdAt" FROM "Post"
            WHERE "authorId" = u."id"
            ORDER BY "createdAt" DESC, "id" DESC
            LIMIT ${postsPerUser}) AS x
    ) AS p ON true
    ORDER BY u."id"`;
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    posts: row.posts.map((post) => ({ id: post.id, title: post.title, createdAt: new Date(post.createdAt) })),
  }));
}
