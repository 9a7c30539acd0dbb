// Known wrong: the tutorial's "select only needed fields", which still selects email.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.user.findMany({
    skip,
    take,
    orderBy: { id: 'asc' },
    select: { id: true, name: true, email: true, tier: true, createdAt: true },
  });
}
