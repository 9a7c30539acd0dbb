// Another correct approach: hand-written SQL naming exactly the public columns (the enum cast
// to text, so tier arrives as its name).
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.$queryRaw<PublicUser[]>`
    SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" ORDER BY "id" OFFSET ${skip} LIMIT ${take}`;
}
