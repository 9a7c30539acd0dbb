// Known wrong: the cursor is base64url of JSON, as the lesson suggests, but decoding only
// checks that it parses. A crafted cursor with a string id, an object, or an id beyond int4
// reaches Prisma and comes back as a 500.
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
    const take = Math.min(Math.max(Number(rawLimit), 1), MAX_LIMIT);
    let after: { createdAt: Date; id: number } | undefined;
    if (cursor !== undefined) {
      try {
        const [iso, id] = JSON.parse(Buffer.from(String(cursor), 'base64url').toString()) as [string, number];
        after = { createdAt: new Date(iso), id };
      } catch {
        return void res.status(400).json({ error: 'bad cursor' });
      }
      if (Number.isNaN(after.createdAt.getTime())) return void res.status(400).json({ error: 'bad cursor' });
    }
    const rows = await prisma.post.findMany({
      where: after
        ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, take);
    const last = data.at(-1);
    const nextCursor = rows.length > take && last ? Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url') : null;
    res.json({ data, nextCursor } satisfies PostPage);
  });
}
