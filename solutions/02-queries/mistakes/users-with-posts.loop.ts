// Known wrong: the N+1 loop (the starter's code, kept so the benchmark has a stable "before"):
// one query for the users, then one more per user.
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
