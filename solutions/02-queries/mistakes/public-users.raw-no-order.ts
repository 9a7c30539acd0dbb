// Known wrong (no ORDER BY: OFFSET/LIMIT page through the table's physical order, which an UPDATE changes).
// Hand-written SQL naming exactly the public columns, as in alternatives/public-users.raw-sql.ts,
// but without ORDER BY "id". (Prisma's findMany with skip/take and no orderBy is not this
// mistake: Prisma adds ORDER BY the primary key itself.)
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.$queryRaw<PublicUser[]>`
    SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" OFFSET ${skip} LIMIT ${take}`;
}
