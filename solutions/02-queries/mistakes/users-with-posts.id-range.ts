// WRONG: "OFFSET is slow, so page by id range": users WHERE id > skip AND id <= skip + take.
// That assumes ids are dense. After any user is deleted (or an insert's sequence value is lost
// to a rolled-back transaction) a page returns fewer than `take` users, and the next page does
// not pick up the missing ones: with user 7 deleted, skip 0/take 20 gives 19 users (user 21,
// the 20th user, is missing from the first page), and skip N no longer means "N users skipped".
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
  return prisma.user.findMany({
    where: { id: { gt: skip, lte: skip + take } },
    orderBy: { id: 'asc' },
    select: {
      id: true,
      name: true,
      posts: {
        select: { id: true, title: true, createdAt: true },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: postsPerUser,
      },
    },
  });
}
