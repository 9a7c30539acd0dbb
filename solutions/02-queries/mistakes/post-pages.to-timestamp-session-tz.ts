// WRONG (time zone): the cursor time is turned back into a timestamp in SQL with
// to_timestamp(ms / 1000.0)::timestamp. to_timestamp gives a timestamptz, and the cast to
// "timestamp" happens in the session TimeZone. On a database whose timezone is not UTC
// (ALTER DATABASE … SET timezone = 'Europe/Berlin', or a server installed with local time),
// every cursor lands an hour (or two) off: the next page repeats or skips an hour of posts.
import { Router } from 'express';
import { Prisma, type PrismaClient } from '../../../shared/db/clients.ts';

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
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const encode = (p: PostSummary) => Buffer.from(`${p.createdAt.getTime()}:${p.id}`).toString('base64url');

function decode(raw: unknown): { createdAt: Date; id: number } | null {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(raw)) return null;
  const text = Buffer.from(raw, 'base64url').toString('latin1');
  const m = /^(\d{1,15}):(\d{1,10})$/.exec(text);
  if (!m) return null;
  const ms = Number(m[1]);
  const id = Number(m[2]);
  if (ms > MAX_MS || id < 1 || id > 2147483647) return null;
  return { createdAt: new Date(ms), id };
}

export function postsRouter(prisma: PrismaClient): Router {
  return Router().get('/posts', async (req, res) => {
    const rawLimit = req.query.limit;
    if (rawLimit !== undefined && (typeof rawLimit !== 'string' || !/^[0-9]{1,9}$/.test(rawLimit))) {
      res.status(400).json({ error: 'limit: digits only' });
      return;
    }
    const limit = rawLimit === undefined ? DEFAULT_LIMIT : Math.max(1, Math.min(MAX_LIMIT, Number(rawLimit)));
    const cursor = req.query.cursor === undefined ? null : decode(req.query.cursor);
    if (req.query.cursor !== undefined && !cursor) {
      res.status(400).json({ error: 'cursor: not one this API issued' });
      return;
    }
    const after = cursor
      ? Prisma.sql`WHERE ("createdAt", "id") < (to_timestamp(${cursor.createdAt.getTime()}::float8 / 1000.0)::timestamp, ${cursor.id}::int)`
      : Prisma.empty;
    const rows = await prisma.$queryRaw<PostSummary[]>`
      SELECT "id", "title", "authorId", "createdAt" FROM "Post"
      ${after}
      ORDER BY "createdAt" DESC, "id" DESC
      LIMIT ${limit + 1}`;
    const data = rows.slice(0, limit);
    res.json({ data, nextCursor: rows.length > limit ? encode(data.at(-1)!) : null } satisfies PostPage);
  });
}
