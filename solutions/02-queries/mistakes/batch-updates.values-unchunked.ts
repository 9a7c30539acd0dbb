// Known wrong: UPDATE … FROM (VALUES …) with every value a bound parameter, in one statement
// whatever the batch size. Right for hundreds of rows; past 65,535 parameters (21,845 rows at
// 3 a row) Postgres's protocol cannot carry the statement and the whole batch fails.
import { Prisma, type PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  const rows = updates.map((u) => Prisma.sql`(${u.id}::int, ${u.title}::text, ${u.status}::"PostStatus")`);
  return prisma.$executeRaw`
    UPDATE "Post" AS p SET "title" = v.title, "status" = v.status
    FROM (VALUES ${Prisma.join(rows)}) AS v(id, title, status)
    WHERE p."id" = v.id`;
}
