// Another correct approach: the same nested select with relationLoadStrategy 'query'. Two
// statements whatever the page size (the users, then the posts of those users with
// authorId IN (…)); Prisma keeps the latest posts per user in memory. It reads every post of the
// page's users, which the lesson measures as slower than 'join' for a few posts each, but it
// is not N+1.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { UserWithPosts, UsersWithPostsOptions } from '../users-with-posts.ts';

export type { UserWithPosts, UsersWithPostsOptions };

export async function usersWithLatestPosts(
  prisma: PrismaClient,
  { skip = 0, take, postsPerUser }: UsersWithPostsOptions,
): Promise<UserWithPosts[]> {
  return prisma.user.findMany({
    relationLoadStrategy: 'query',
    skip,
    take,
    orderBy: { id: 'asc' },
    select: {
      id: true,
      name: true,
      posts: { select: { id: true, title: true, createdAt: true }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: postsPerUser },
    },
  });
}
