// Known wrong (chunks of 200 rows: atomic and few statements for 500, but 110 for 22,000 where 2 would do).
// alternatives/batch-updates.values.ts with a chunk far below what the 65,535-parameter limit allows.
import { Prisma, type PostStatus, type PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

const CHUNK = 200; // 3 parameters a row; Postgres allows 65,535 per statement

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
