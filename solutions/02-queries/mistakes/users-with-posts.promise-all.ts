// Known wrong: the N+1 loop made concurrent. Faster on an idle database, but it still sends
// one query per user (and takes one pool connection each while it does).
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  const users = await prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, select: { id: true, name: true } });
  return Promise.all(
    users.map(async (user) => ({
      ...user,
      posts: await prisma.post.findMany({
        where: { authorId: user.id },
        select: { id: true, title: true, createdAt: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: postsPerUser,
      }),
    })),
  );
}
