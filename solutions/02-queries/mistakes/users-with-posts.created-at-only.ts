// Known wrong (errata 6): the nested select is right, but posts are ordered by createdAt alone.
// Posts sharing a createdAt come out in whatever order the index or sort yields, and a
// per-user limit can cut the tie at the wrong posts.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  return prisma.user.findMany({
    skip,
    take,
    orderBy: { id: 'asc' },
    select: {
      id: true,
      name: true,
      posts: { select: { id: true, title: true, createdAt: true }, orderBy: { createdAt: 'desc' }, take: postsPerUser },
    },
  });
}
