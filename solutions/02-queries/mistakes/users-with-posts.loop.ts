// Known wrong: the N+1 loop (the starter's code, kept so the benchmark has a stable "before"):
// one query for the users, then one more per user.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  const users = await prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, select: { id: true, name: true } });

  const result: UserWithPosts[] = [];
  for (const user of users) {
    const posts = await prisma.post.findMany({
      where: { authorId: user.id },
      select: { id: true, title: true, createdAt: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: postsPerUser,
    });
    result.push({ ...user, posts });
  }
  return result;
}
