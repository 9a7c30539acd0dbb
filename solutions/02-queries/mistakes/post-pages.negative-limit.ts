// Known wrong (errata 14): the limit is checked to be an integer and capped at 100, but never
// raised to 1: limit=-5 becomes take: -5, and Prisma pages backwards (the five OLDEST posts).
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

const encode = (post: { createdAt: Date; id: number }) => Buffer.from(JSON.stringify([post.createdAt.toISOString(), post.id])).toString('base64url');

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit = String(DEFAULT_LIMIT), cursor } = req.query;
    if (typeof rawLimit !== 'string' || !/^-?\d{1,6}$/.test(rawLimit)) return void res.status(400).json({ error: 'limit must be an integer' });
    const take = Math.min(Number(rawLimit), MAX_LIMIT) || DEFAULT_LIMIT;
    let after: { createdAt: Date; id: number } | undefined;
    if (cursor !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(String(cursor), 'base64url').toString());
      } catch {
        return void res.status(400).json({ error: 'bad cursor' });
      }
      const [iso, id] = Array.isArray(parsed) ? parsed : [];
      const createdAt = typeof iso === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(iso) ? new Date(iso) : undefined;
      if (!createdAt || Number.isNaN(createdAt.getTime()) || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) {
        return void res.status(400).json({ error: 'bad cursor' });
      }
      after = { createdAt, id };
    }
    const data = await prisma.post.findMany({
      where: after
        ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const last = data.at(-1);
    // A full page may have a next one; following the last page's cursor gives an empty page.
    res.json({ data, nextCursor: data.length === take && last ? encode(last) : null } satisfies PostPage);
  });
}
