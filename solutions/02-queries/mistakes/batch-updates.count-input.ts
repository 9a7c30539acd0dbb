// WRONG: returns updates.length instead of the rows the UPDATE changed. An update for an id
// that does not exist (a deleted post) is silently skipped by the join, yet reported as
// updated: the caller is told 3 posts changed when 2 did, and never learns the third is gone.
import type { PostStatus, PrismaClient } from '../../../shared/db/clients.ts';

export interface PostUpdate {
  id: number;
  title: string;
  status: PostStatus;
}

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  await prisma.$executeRaw`
    UPDATE "Post" AS p
    SET "title" = u.title, "status" = u.status::"PostStatus"
    FROM unnest(${updates.map((u) => u.id)}::int[], ${updates.map((u) => u.title)}::text[], ${updates.map((u) => u.status)}::text[])
      AS u(id, title, status)
    WHERE p."id" = u.id`;
  return updates.length;
}
