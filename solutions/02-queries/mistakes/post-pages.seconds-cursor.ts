// Known wrong: a keyset on (createdAt, id), but the cursor writes createdAt as an HTTP date
// (toUTCString), which has no milliseconds. Posts a few milliseconds apart inside one second
// fall before the cursor's instant: the next page skips them. The seed's whole-minute
// timestamps hide it.
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
      const match = typeof cursor === 'string' ? /^(.+)\|([1-9]\d{0,8})$/.exec(Buffer.from(cursor, 'base64url').toString()) : null;
      const createdAt = new Date(match?.[1] ?? Number.NaN);
      if (!match || Number.isNaN(createdAt.getTime())) return void res.status(400).json({ error: 'bad cursor' });
      after = { createdAt, id: Number(match[2]) };
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
    const nextCursor = rows.length > take && last ? Buffer.from(`${last.createdAt.toUTCString()}|${last.id}`).toString('base64url') : null;
    res.json({ data, nextCursor } satisfies PostPage);
  });
}
