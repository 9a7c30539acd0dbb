// Another correct approach: Prisma's omit, a deny-list. Shorter, but a private column added
// to User later is published until someone remembers to add it here.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.user.findMany({ skip, take, orderBy: { id: 'asc' }, omit: { email: true, passwordHash: true } });
}
