// Known wrong: one UPDATE … FROM (VALUES …) for the whole batch, the values pasted into the SQL
// text with $executeRawUnsafe. Fast on plain titles; a title like O'Reilly breaks the statement
// (or worse, rewrites it), and an empty batch is a syntax error.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  const values = updates.map((u) => `(${Number(u.id)}, '${u.title}', '${u.status}')`).join(', ');
  return prisma.$executeRawUnsafe(`
    UPDATE "Post" AS p SET "title" = v.title, "status" = v.status::"PostStatus"
    FROM (VALUES ${values}) AS v(id, title, status)
    WHERE p."id" = v.id`);
}
