// Known wrong (the posts are loaded one statement per 100 users: past 100, the statement count grows with the page size).
// The users, then each group of 100 users' latest posts through unnest + CROSS JOIN LATERAL.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

const CHUNK = 100;
export async function usersWithLatestPosts(prisma: PrismaClient, { skip = 0, take, postsPerUser }: UsersWithPostsOptions): Promise<UserWithPosts[]> {
  const users = await prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, select: { id: true, name: true } });
  const byAuthor = new Map<number, { id: number; title: string; createdAt: Date }[]>();
  for (let i = 0; i < users.length; i += CHUNK) {
    const ids = users.slice(i, i + CHUNK).map((u) => u.id);
    const rows = await prisma.$queryRaw<{ authorId: number; id: number; title: string; createdAt: Date }[]>`
      SELECT p."authorId", p."id", p."title", p."createdAt"
      FROM unnest(${ids}::int[]) AS a(id)
      CROSS JOIN LATERAL (SELECT "authorId", "id", "title", "createdAt" FROM "Post" WHERE "authorId" = a.id
                          ORDER BY "createdAt" DESC, "id" DESC LIMIT ${postsPerUser}::int) AS p`;
    for (const { authorId, ...p } of rows) {
      const list = byAuthor.get(authorId) ?? [];
      list.push(p);
      byAuthor.set(authorId, list);
    }
  }
  return users.map((u) => ({ ...u, posts: byAuthor.get(u.id) ?? [] }));
}
