// Another correct approach: the cursor is base64url of a JSON object { t: epoch ms, id }, read
// back leniently but safely (an id sent as a digit string is accepted and converted), and a limit
// of 0 is refused with a 400 (above 100 it is clamped). The keyset condition is the
// same as the solution's, written with AND.
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { PostSummary, PostPage } from '../post-pages.ts';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../post-pages.ts';

export type { PostSummary, PostPage };
export { DEFAULT_LIMIT, MAX_LIMIT };

interface Position {
  createdAt: Date;
  id: number;
}

const MAX_MS = Date.UTC(9999, 11, 31);
const MAX_ID = 2_147_483_647;

function readCursor(raw: unknown): Position | undefined {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]{1,100}$/.test(raw)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { t, id } = value as { t?: unknown; id?: unknown };
  const ms = typeof t === 'number' ? t : Number.NaN;
  const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d{1,10}$/.test(id) ? Number(id) : Number.NaN;
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS || !Number.isInteger(n) || n < 1 || n > MAX_ID) return undefined;
  return { createdAt: new Date(ms), id: n };
}

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const { limit: rawLimit, cursor: rawCursor } = req.query;
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : typeof rawLimit === 'string' && /^\d{1,6}$/.test(rawLimit) ? Number(rawLimit) : 0;
    if (limit < 1) return void res.status(400).json({ error: 'limit must be a whole number, at least 1' });
    const take = Math.min(limit, MAX_LIMIT);
    const after = rawCursor === undefined ? undefined : readCursor(rawCursor);
    if (rawCursor !== undefined && !after) return void res.status(400).json({ error: 'unknown cursor' });

    const rows = await prisma.post.findMany({
      where: after && {
        AND: [{ createdAt: { lte: after.createdAt } }, { OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }],
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: take + 1,
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, take);
    const last = data.at(-1);
    const nextCursor = rows.length > take && last ? Buffer.from(JSON.stringify({ t: last.createdAt.getTime(), id: last.id })).toString('base64url') : null;
    res.json({ data, nextCursor } satisfies PostPage);
  });
}
