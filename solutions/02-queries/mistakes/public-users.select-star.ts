// Known wrong: hand-written SQL with SELECT *, the private fields dropped in JavaScript. The SQL
// text never names email or passwordHash, yet Postgres reads and sends both for every row.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PublicUser } from '../public-users.ts';

export type { PublicUser };

export async function listPublicUsers(prisma: PrismaClient, { skip = 0, take }: { skip?: number; take: number }): Promise<PublicUser[]> {
  const rows = await prisma.$queryRaw<(PublicUser & Record<string, unknown>)[]>`
    SELECT * FROM "User" ORDER BY "id" OFFSET ${skip} LIMIT ${take}`;
  return rows.map(({ id, name, tier, createdAt }) => ({ id, name, tier, createdAt }));
}
