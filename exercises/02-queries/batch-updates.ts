// Apply many different updates at once: all or nothing, in a fixed number of round trips.
import type { PostStatus, PrismaClient } from '../../shared/db/clients.ts';

export interface PostUpdate {
  id: number;
  title: string;
  status: PostStatus;
}

/** Returns how many posts were updated. */
export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  // TODO: one UPDATE per row: 500 updates are 500 round trips, and if the 400th fails the
  // first 399 stay applied. Make it atomic, in a number of statements that does not grow
  // with the batch.
  let updated = 0;
  for (const { id, title, status } of updates) {
    await prisma.post.update({ where: { id }, data: { title, status } });
    updated += 1;
  }
  return updated;
}
