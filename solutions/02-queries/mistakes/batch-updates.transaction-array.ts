// Known wrong (errata 7): $transaction([...updates]) is atomic, but it is still one UPDATE
// (one round trip) per row, plus BEGIN and COMMIT.
import type { PostStatus, PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  const results = await prisma.$transaction(
    updates.map(({ id, title, status }) => prisma.post.update({ where: { id }, data: { title, status } })),
  );
  return results.length;
}
