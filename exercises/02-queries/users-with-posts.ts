// A page of users, each with their latest posts: the classic N+1, fixed.
import type { PrismaClient } from '../../shared/db/clients.ts';

export interface UserWithPosts {
  id: number;
  name: string;
  posts: { id: number; title: string; createdAt: Date }[];
}

export interface UsersWithPostsOptions {
  /** Users to skip and to return, ordered by id. */
  skip?: number;
  take: number;
  /** Latest posts per user, newest first (ties: higher id first). */
  postsPerUser: number;
}

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  const users = await prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, select: { id: true, name: true } });

  // TODO: one query per user: 100 users, 101 queries. Load the posts of the whole page at
  // once, so the number of queries no longer grows with the page size.
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
