// WRONG: the cursor carries createdAt as epoch milliseconds ([ms, id]) and checks only that
// ms is a safe integer. A forged cursor [-62167219200000, 5] (0000-01-01, a valid JS Date but
// no such year in Postgres) or [-8640000000000000, 5] (year -271821) is accepted and sent to
// Postgres, which rejects the timestamp: a 500 with Prisma's error page instead of a 400.
import { Router } from 'express';
import type { PrismaClient } from '../../../shared/db/clients.ts';

export interface PostSummary {
  id: number;
  title: string;
  authorId: number;
  createdAt: Date;
}

export interface PostPage {
  data: PostSummary[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;


function encodeCursor(post: PostSummary): string {
  return Buffer.from(JSON.stringify([post.createdAt.getTime(), post.id])).toString('base64url');
}

function decodeCursor(raw: unknown): { createdAt: Date; id: number } | null {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  if (Buffer.from(text).toString('base64url') !== raw) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [c, id] = value;
  if (!Number.isSafeInteger(c)) return null;
  const createdAt = new Date(c);
  if (Number.isNaN(createdAt.getTime())) return null;
  if (!Number.isSafeInteger(id) || id < 1 || id > 2147483647) return null;
  return { createdAt, id };
}

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    let limit = DEFAULT_LIMIT;
    if (req.query.limit !== undefined) {
      if (typeof req.query.limit !== 'string' || !/^\d{1,6}$/.test(req.query.limit)) {
        res.status(400).json({ error: 'limit must be a whole number' });
        return;
      }
      limit = Math.min(Math.max(Number(req.query.limit), 1), MAX_LIMIT);
    }
    let cursor: { createdAt: Date; id: number } | null = null;
    if (req.query.cursor !== undefined) {
      cursor = decodeCursor(req.query.cursor);
      if (!cursor) {
        res.status(400).json({ error: 'invalid cursor' });
        return;
      }
    }
    const rows = await prisma.post.findMany({
      where: cursor
        ? {
            createdAt: { lte: cursor.createdAt },
            OR: [{ createdAt: { lt: cursor.createdAt } }, { id: { lt: cursor.id } }],
          }
        : undefined,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      select: { id: true, title: true, authorId: true, createdAt: true },
    });
    const data = rows.slice(0, limit);
    const page: PostPage = { data, nextCursor: rows.length > limit ? encodeCursor(data.at(-1)!) : null };
    res.json(page);
  });
}
