// Known wrong: the N+1 loop made concurrent. Faster on an idle database, but it still sends
// one query per user (and takes one pool connection each while it does).
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
