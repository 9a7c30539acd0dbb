// Known wrong: chunks of 1,000 rows so that no statement exceeds Postgres's 65,535 parameters,
// but each chunk is its own statement outside any transaction. A failure in the last chunk
// leaves every earlier chunk applied: not all or nothing.
import { Prisma, type PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

const CHUNK = 1_000;

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  let updated = 0;
  for (let start = 0; start < updates.length; start += CHUNK) {
    const rows = updates.slice(start, start + CHUNK).map((u) => Prisma.sql`(${u.id}::int, ${u.title}::text, ${u.status}::"PostStatus")`);
    updated += await prisma.$executeRaw`
      UPDATE "Post" AS p SET "title" = v.title, "status" = v.status
      FROM (VALUES ${Prisma.join(rows)}) AS v(id, title, status)
      WHERE p."id" = v.id`;
  }
  return updated;
}
