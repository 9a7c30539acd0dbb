// GET /posts?limit=&cursor=: posts newest first, one page at a time, with an opaque cursor.
import { Router } from 'express';
import type { PrismaClient } from '../../shared/db/clients.ts';

export interface PostSummary {
  id: number;
  title: string;
  authorId: number;
  createdAt: Date;
}

export interface PostPage {
  data: PostSummary[];
  /** Pass back as ?cursor= for the next page; null on the last one. */
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    // TODO: three bugs from a popular tutorial live here.
    // - parseInt accepts "10abc" and negative numbers (a negative take pages backwards);
    // - a cursor that is not a number reaches Prisma and comes back as a 500;
    // - createdAt is not unique: ordering by it alone repeats or skips rows that share one.
    const limit = Math.min(parseInt(String(req.query.limit)) || DEFAULT_LIMIT, MAX_LIMIT);
    const cursor = req.query.cursor === undefined ? undefined : parseInt(String(req.query.cursor));
    const rows = await prisma.post.findMany({
      take: limit + 1,
      skip: cursor ? 1 : 0,
      cursor: cursor ? { id: cursor } : undefined,
      orderBy: { createdAt: 'desc' },
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, limit);
    const page: PostPage = { data, nextCursor: rows.length > limit ? String(data.at(-1)!.id) : null };
    res.json(page);
  });
}
