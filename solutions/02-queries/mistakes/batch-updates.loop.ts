// Known wrong: the per-row loop with awaits. One round trip per row, and not atomic: a failure
// halfway leaves the first half applied.
import type { PostStatus, PrismaClient } from '../../../shared/db/clients.ts';
import type { PostUpdate } from '../batch-updates.ts';

export type { PostUpdate };

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  for (const { id, title, status } of updates) {
    await prisma.post.update({ where: { id }, data: { title, status } });
  }
  return updates.length;
}
