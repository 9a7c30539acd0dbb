// Known wrong (createdAt arrives as an ISO string, not the Date that PublicUser promises).
// The hand-written SQL of alternatives/public-users.raw-sql.ts, with createdAt formatted by to_char:
// the right instant, the wrong type (the generic on $queryRaw is a cast, not a check).
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.$queryRaw<PublicUser[]>`
    SELECT "id", "name", "tier"::text AS "tier", to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt" FROM "User" ORDER BY "id" OFFSET ${skip} LIMIT ${take}`;
}
