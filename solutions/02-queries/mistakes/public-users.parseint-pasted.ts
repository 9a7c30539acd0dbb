// Known wrong (skip/take go through parseInt(…) || default and are pasted into the SQL text: take 0 gives 10 users).
// Safe from injection (parseInt keeps only the leading digits), but not what the caller asked for,
// and still SQL built from arguments.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  const offset = parseInt(String(skip), 10) || 0;
  const limit = parseInt(String(take), 10) || 10;
  return prisma.$queryRawUnsafe<PublicUser[]>(
    `SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" ORDER BY "id" OFFSET ${offset} LIMIT ${limit}`,
  );
}
