// Another correct approach: hand-written SQL with a row-value comparison. Postgres compares
// (createdAt, id) as a pair and starts the index scan right at the cursor. The cursor is
// "<epoch ms>.<id>", checked strictly before use.
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

const CURSOR = /^(\d{1,15})\.([1-9]\d{0,9})$/;
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const MAX_ID = 2_147_483_647;

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit, cursor: rawCursor } = req.query;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : typeof rawLimit === 'string' && /^\d+$/.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (Number.isNaN(limit)) return void res.status(400).json({ error: 'limit must be a whole number' });
    const take = Math.min(Math.max(limit, 1), MAX_LIMIT);
    const found = rawCursor === undefined ? undefined : typeof rawCursor === 'string' ? CURSOR.exec(rawCursor) : null;
    // In range too: an instant Postgres can store, an id that fits Post.id (int4).
    const match = found && Number(found[1]) <= MAX_MS && Number(found[2]) <= MAX_ID ? found : found === undefined ? undefined : null;
    if (match === null) return void res.status(400).json({ error: 'invalid cursor' });

    const rows = match
      ? await prisma.$queryRaw<PostSummary[]>`
          SELECT "id", "title", "authorId", "createdAt" FROM "Post"
          WHERE ("createdAt", "id") < (${new Date(Number(match[1]))}::timestamp(3), ${Number(match[2])}::int)
          ORDER BY "createdAt" DESC, "id" DESC LIMIT ${take + 1}`
      : await prisma.$queryRaw<PostSummary[]>`
          SELECT "id", "title", "authorId", "createdAt" FROM "Post"
          ORDER BY "createdAt" DESC, "id" DESC LIMIT ${take + 1}`;
    const data = rows.slice(0, take);
    const last = data.at(-1);
    res.json({ data, nextCursor: rows.length > take && last ? `${last.createdAt.getTime()}.${last.id}` : null } satisfies PostPage);
  });
}
