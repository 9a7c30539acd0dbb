// WRONG: limit parsed with Number() + Number.isInteger instead of "digits only". '10abc' is
// rejected, but '' is 0 (so ?limit= answers a page of ONE post instead of the default 20 or a
// 400), '0x10' is 16, '1e2' is 100, ' 7 ' is 7. A client whose form sends an empty limit gets
// one post per page.
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

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function encodeCursor(post: PostSummary): string {
  return Buffer.from(JSON.stringify([post.createdAt.toISOString(), post.id])).toString('base64url');
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
  if (typeof c !== 'string' || !ISO.test(c)) return null;
  const createdAt = new Date(c);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== c) return null;
  // Postgres has no year 0 (1 BC): keep to years 1..9999, which the ISO pattern already caps.
  if (createdAt.getUTCFullYear() < 1) return null;
  if (!Number.isSafeInteger(id) || id < 1 || id > 2147483647) return null;
  return { createdAt, id };
}

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    let limit = DEFAULT_LIMIT;
    if (req.query.limit !== undefined) {
      const n = Number(req.query.limit);
      if (typeof req.query.limit !== 'string' || !Number.isInteger(n) || n < 0) {
        res.status(400).json({ error: 'limit must be a whole number' });
        return;
      }
      limit = Math.min(Math.max(n, 1), MAX_LIMIT);
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
