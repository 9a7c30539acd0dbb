// Known wrong (limit=0 falls back to the default page of 20 posts: clamped into 1..100, 0 is 1 post, or a 400).
// GET /posts?limit=&cursor=: posts newest first, one page at a time, with an opaque cursor.
import { Router, type Request } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';

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

class BadRequest extends Error {}

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    let limit: number;
    let after: Position | undefined;
    try {
      limit = parseLimit(req.query.limit);
      after = req.query.cursor === undefined ? undefined : decodeCursor(req.query.cursor);
    } catch (error) {
      if (error instanceof BadRequest) return void res.status(400).json({ error: error.message });
      throw error;
    }
    // Keyset pagination: "the rows after this (createdAt, id)". The id makes the order total,
    // so rows sharing a createdAt are neither repeated nor skipped, and rows inserted meanwhile
    // cannot shift the pages that follow. `createdAt <= …` is what lets Postgres start the
    // index scan at the cursor (the OR alone would be checked row by row from the top: an
    // OFFSET in disguise). One row more than asked tells whether there is a next page.
    const rows = await prisma.post.findMany({
      where: after
        ? { createdAt: { lte: after.createdAt }, OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }] }
        : undefined,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, limit);
    const last = data.at(-1);
    const page: PostPage = { data, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    res.json(page);
  });
}

/** Absent → the default; digits → clamped to 1..MAX_LIMIT; anything else (-5, 10abc, a list) → 400. */
function parseLimit(raw: Request['query'][string]): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (typeof raw !== 'string' || !/^\d{1,6}$/.test(raw)) throw new BadRequest('limit must be a whole number from 1 to 100');
  return Math.min(Number(raw) || DEFAULT_LIMIT, MAX_LIMIT);
}

interface Position {
  createdAt: Date;
  id: number;
}

function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

const ISO_INSTANT = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const MAX_ID = 2_147_483_647;

function decodeCursor(raw: Request['query'][string]): Position {
  const invalid = new BadRequest('cursor is not one this API gave out; start again without it');
  if (typeof raw !== 'string' || raw.length > 200) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid;
  const [iso, id] = parsed as [unknown, unknown];
  // Exactly what encodeCursor writes: an ISO instant (years 0001-9999, which Postgres can
  // store) and a positive id that fits Post.id (a 32-bit integer). Anything else would reach
  // the database and come back as a 500.
  const createdAt = typeof iso === 'string' && ISO_INSTANT.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== iso) throw invalid;
  if (!Number.isSafeInteger(id) || (id as number) < 1 || (id as number) > MAX_ID) throw invalid;
  return { createdAt, id: id as number };
}
