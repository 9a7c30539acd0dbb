// Known wrong (errata 4): include instead of select. The page is one statement and the posts
// are right, but every user carries email and passwordHash, and every post all its columns.
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
    include: { posts: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: postsPerUser } },
  });
}
