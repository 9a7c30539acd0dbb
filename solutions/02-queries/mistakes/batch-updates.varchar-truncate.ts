// WRONG (silent data loss): the titles array is cast to varchar(100)[] ("titles are short").
// An explicit cast to varchar(n) TRUNCATES silently instead of failing: a 150-character title
// is saved cut at 100 characters, with no error, and the count says it was updated.
import type { PostStatus, PrismaClient } from '../../../shared/db/clients.ts';

export interface PostUpdate {
  id: number;
  title: string;
  status: PostStatus;
}

export async function applyPostUpdates(prisma: PrismaClient, updates: PostUpdate[]): Promise<number> {
  if (updates.length === 0) return 0;
  return prisma.$executeRaw`
    UPDATE "Post" AS p
    SET "title" = u.title, "status" = u.status::"PostStatus"
    FROM unnest(${updates.map((u) => u.id)}::int[], ${updates.map((u) => u.title)}::varchar(100)[], ${updates.map((u) => u.status)}::text[])
      AS u(id, title, status)
    WHERE p."id" = u.id`;
}
