// Known wrong (values pasted into the SQL text with quotes doubled by hand, instead of sent as parameters).
// mistakes/batch-updates.pasted-values.ts with its quotes escaped: every title lands, today. But the
// SQL is still built from data: one escaping rule of many (encodings, standard_conforming_strings,
// a value that is not a string) stands between a title and the statement.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const values = updates.map((u) => `(${Number(u.id)}, ${quote(u.title)}, ${quote(u.status)})`).join(', ');
  return prisma.$executeRawUnsafe(`
    UPDATE "Post" AS p SET "title" = v.title, "status" = v.status::"PostStatus"
    FROM (VALUES ${values}) AS v(id, title, status)
    WHERE p."id" = v.id`);
}
