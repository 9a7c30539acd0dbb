// WRONG (security): $queryRawUnsafe with skip/take pasted into the SQL text. The types say number,
// but the route that calls this passes req.query values straight through (`take: req.query.take`
// cast as any): ?take=1 UNION SELECT id, email, "passwordHash", now() FROM "User" -- returns every
// user's email and password hash through the "public" listing. Also a new SQL text per page, so
// no plan reuse.
import type { PrismaClient } from '../../../shared/db/clients.ts';

export interface PublicUser {
  id: number;
  name: string;
  tier: string;
  createdAt: Date;
}

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  return prisma.$queryRawUnsafe<PublicUser[]>(
    `SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" ORDER BY "id" LIMIT ${take} OFFSET ${skip}`,
  );
}
