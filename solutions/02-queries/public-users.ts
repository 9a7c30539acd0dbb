// A public user listing: only the columns a client may see leave the database.
import type { PrismaClient } from '../../shared/db/clients.ts';

export interface PublicUser {
  id: number;
  name: string;
  tier: string;
  createdAt: Date;
}

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  // An allow-list: a column added to User later (a phone number, a token) stays private until
  // someone decides to publish it.
  return prisma.user.findMany({
    skip,
    take,
    orderBy: { id: 'asc' },
    select: { id: true, name: true, tier: true, createdAt: true },
  });
}
