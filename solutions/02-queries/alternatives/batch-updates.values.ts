// Another correct approach: UPDATE … FROM (VALUES (…), (…)), the rows written into the
// statement as a VALUES list (Prisma.join keeps every value a bound parameter). Long batches
// are split into chunks inside one transaction: atomic, and a few round trips per 1,000 rows.
import { Prisma, type PostStatus, type PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

const CHUNK = 1_000; // 3 parameters a row; Postgres allows 65,535 per statement

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  return prisma.$transaction(async (tx) => {
    let updated = 0;
    for (let start = 0; start < updates.length; start += CHUNK) {
      const rows = updates.slice(start, start + CHUNK).map((u) => Prisma.sql`(${u.id}::int, ${u.title}::text, ${u.status}::"PostStatus")`);
      updated += await tx.$executeRaw`
        UPDATE "Post" AS p SET "title" = v.title, "status" = v.status
        FROM (VALUES ${Prisma.join(rows)}) AS v(id, title, status)
        WHERE p."id" = v.id`;
    }
    return updated;
  });
}
