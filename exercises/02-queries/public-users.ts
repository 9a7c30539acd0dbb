// A public user listing: only the columns a client may see leave the database.
import type { PrismaClient } from '../../shared/db/clients.ts';

export interface PublicUser {
  id: number;
  name: string;
  tier: string;
  createdAt: Date;
}

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  // TODO: this reads (and returns) every column, email and passwordHash included. Ask the
  // database for the public fields only.
  return prisma.user.findMany({
    skip,
    take,
    orderBy: { id: 'asc' },
  });
}
