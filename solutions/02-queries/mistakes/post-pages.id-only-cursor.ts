// Known wrong (the cursor holds only the last post's id and looks its createdAt up: once that post is deleted, the next page is empty).
// Otherwise the raw row-comparison keyset: digits-only limit clamped to 1..100, a strict decode.
import { Router } from 'express';
import { Prisma, type PrismaClient } from '../../../shared/db/clients.ts';

export interface PostSummary {
  id: number;
  title: string;
  authorId: number;
  createdAt: Date;
}

export interface PostPage {
  /** Pass back as ?cursor= for the next page; null on the last one. */
  data: PostSummary[];
  nextCursor: string | null;
}

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

type Position = { createdAt: string; id: number };

/** Digits only, then clamp to 1..MAX_LIMIT; null means 400. */
function parseLimit(raw: unknown): number | null {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (typeof raw !== 'string' || !/^[0-9]+$/.test(raw)) return null;
  return Math.min(Math.max(Number(raw), 1), MAX_LIMIT);
}

function encodeCursor(p: PostSummary): string {
  return Buffer.from(JSON.stringify([p.id])).toString('base64url');
}

function decodeCursor(raw: unknown): Position | null {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  let value: unknown;
  try { value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')); } catch { return null; }
  if (!Array.isArray(value) || value.length !== 1) return null;
  const [id] = value as unknown[];
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2147483647) return null;
  return { createdAt: '', id };
}

function fetchPage(prisma: PrismaClient, after: Position | null, take: number): Promise<PostSummary[]> {
  const where = after ? Prisma.sql`WHERE ("createdAt", "id") < (SELECT "createdAt", "id" FROM "Post" WHERE "id" = ${after.id}::int)` : Prisma.empty;
  return prisma.$queryRaw<PostSummary[]>`
    SELECT "id", "title", "authorId", "createdAt" FROM "Post"
    ${where}
    ORDER BY "createdAt" DESC, "id" DESC
    LIMIT ${take}::int`;
}

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const limit = parseLimit(req.query.limit);
    if (limit === null) {
      res.status(400).json({ error: 'limit must be an integer between 1 and 100' });
      return;
    }
    let after: Position | null = null;
    if (req.query.cursor !== undefined) {
      after = decodeCursor(req.query.cursor);
      if (after === null) {
        res.status(400).json({ error: 'invalid cursor' });
        return;
      }
    }
    const rows = await fetchPage(prisma, after, limit + 1);
    const data = rows.slice(0, limit);
    const page: PostPage = { data, nextCursor: rows.length > limit ? encodeCursor(data.at(-1)!) : null };
    res.json(page);
  });
}
