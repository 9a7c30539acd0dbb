// Known wrong: Prisma's own cursor option. Rows come back right (the order ends with id), but
// Prisma writes the position as "createdAt = x AND id <= y OR createdAt < x", which Postgres
// cannot use to start an index scan: each page steps over every row before it, like OFFSET.
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit = String(DEFAULT_LIMIT), cursor: rawCursor } = req.query;
    if (typeof rawLimit !== 'string' || !/^-?\d+$/.test(rawLimit)) {
      return void res.status(400).json({ error: 'limit must be an integer' });
    }
    if (rawCursor !== undefined && (typeof rawCursor !== 'string' || !/^[1-9]\d{0,9}$/.test(rawCursor))) {
      return void res.status(400).json({ error: 'invalid cursor' });
    }
    const limit = Math.min(Math.max(Number(rawLimit), 1), MAX_LIMIT);
    const cursor = rawCursor === undefined ? undefined : Number(rawCursor);
    if (cursor !== undefined && !(await prisma.post.findUnique({ where: { id: cursor }, select: { id: true } }))) {
      return void res.status(400).json({ error: 'cursor refers to no post' });
    }
    const rows = await prisma.post.findMany({
      take: limit + 1,
      ...(cursor === undefined ? {} : { cursor: { id: cursor }, skip: 1 }),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, limit);
    res.json({ data, nextCursor: rows.length > limit ? String(data.at(-1)!.id) : null } satisfies PostPage);
  });
}
