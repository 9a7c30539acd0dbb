// Known wrong: offset pagination dressed as a cursor (the cursor is the number of rows to
// skip). Deep pages scan everything before them, and rows inserted between requests shift
// every later page.
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit = String(DEFAULT_LIMIT), cursor: rawCursor = '0' } = req.query;
    if (typeof rawLimit !== 'string' || !/^\d+$/.test(rawLimit)) return void res.status(400).json({ error: 'bad limit' });
    if (typeof rawCursor !== 'string' || !/^\d+$/.test(rawCursor)) return void res.status(400).json({ error: 'bad cursor' });
    const take = Math.min(Math.max(Number(rawLimit), 1), MAX_LIMIT);
    const skip = Number(rawCursor);
    const rows = await prisma.post.findMany({
      skip,
      take: take + 1,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, take);
    res.json({ data, nextCursor: rows.length > take ? String(skip + take) : null } satisfies PostPage);
  });
}
