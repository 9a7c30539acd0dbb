// Known wrong: two statements whatever the page size, but the second reads every post in the
// table and the grouping happens in JavaScript: 50,000 rows to show 100 users' latest three.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  const [users, posts] = await Promise.all([
    prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, select: { id: true, name: true } }),
    prisma.post.findMany({
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, title: true, createdAt: true, authorId: true },
    }),
  ]);
  const byAuthor = new Map<number, UserWithPosts['posts']>();
  for (const { authorId, ...post } of posts) {
    const list = byAuthor.get(authorId) ?? [];
    if (list.length < postsPerUser) list.push(post);
    byAuthor.set(authorId, list);
  }
  return users.map((user) => ({ ...user, posts: byAuthor.get(user.id) ?? [] }));
}
