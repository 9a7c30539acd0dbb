// Known wrong (errata 6): a keyset on createdAt alone. Posts that share a createdAt with the
// last row of a page are skipped by the next one (or, with <=, repeated).
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit = String(DEFAULT_LIMIT), cursor } = req.query;
    if (typeof rawLimit !== 'string' || !/^\d+$/.test(rawLimit)) return void res.status(400).json({ error: 'bad limit' });
    const after = cursor === undefined ? undefined : new Date(String(cursor));
    if (after && Number.isNaN(after.getTime())) return void res.status(400).json({ error: 'bad cursor' });
    if (cursor !== undefined && typeof cursor !== 'string') return void res.status(400).json({ error: 'bad cursor' });
    const take = Math.min(Math.max(Number(rawLimit), 1), MAX_LIMIT);
    const rows = await prisma.post.findMany({
      where: after ? { createdAt: { lt: after } } : undefined,
      orderBy: { createdAt: 'desc' },
      take: take + 1,
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, take);
    res.json({ data, nextCursor: rows.length > take ? data.at(-1)!.createdAt.toISOString() : null } satisfies PostPage);
  });
}
