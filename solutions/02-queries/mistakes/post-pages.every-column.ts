// Known wrong: the keyset is right, but without a select each post carries every column
// (content, status): the response is not { id, title, authorId, createdAt } and reads far more.
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit = String(DEFAULT_LIMIT), cursor } = req.query;
    if (typeof rawLimit !== 'string' || !/^\d{1,6}$/.test(rawLimit)) return void res.status(400).json({ error: 'bad limit' });
    const take = Math.min(Math.max(Number(rawLimit), 1), MAX_LIMIT);
    let after: { createdAt: Date; id: number } | undefined;
    if (cursor !== undefined) {
      const match = typeof cursor === 'string' ? /^(\d{1,15})_([1-9]\d{0,8})$/.exec(cursor) : null;
      if (!match) return void res.status(400).json({ error: 'bad cursor' });
      after = { createdAt: new Date(Number(match[1])), id: Number(match[2]) };
    }
    const rows = await prisma.post.findMany({
      where: after
        ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
    });
    const data = rows.slice(0, take);
    const last = data.at(-1);
    res.json({ data, nextCursor: rows.length > take && last ? `${last.createdAt.getTime()}_${last.id}` : null });
  });
}
