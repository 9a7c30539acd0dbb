// Known wrong: the tutorial's "select only needed fields", which still selects email.
import type { PrismaClient } from '../../../shared/db/clients.ts';

export interface PublicUser {
  id: number;
  name: string;
  tier: string;
  createdAt: Date;
}

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.user.findMany({
    skip,
    take,
    orderBy: { id: 'asc' },
    select: { id: true, name: true, email: true, tier: true, createdAt: true },
  });
}
