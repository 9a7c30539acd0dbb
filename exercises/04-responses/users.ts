// GET /users?limit=&cursor=&fields= and GET /users/:id?fields=: public users, one page at a time,
// with only the fields a client asked for.
import { Router } from 'express';
import type { Prisma, PrismaClient } from '../../shared/db/clients.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

// TODO: this is the popular tutorial's version: every query parameter goes into the query as it
// came. Check each one before querying, and answer 400 { error, parameter } when it is wrong:
// - limit: parseInt(limit) || 20 takes -5 (a negative take pages backwards) and "10abc". Digits
//   only, clamped to 1..100; anything else, a repeated limit included, is a 400.
// - cursor: make nextCursor an opaque string (null on the last page), decode it strictly (400),
//   and page with "id greater than" (lesson 02, section 3).
// - fields: split() throws when ?fields= is repeated (an array in Express 5), and every name a
//   client sends becomes a column: passwordHash, email, posts. Without fields, every column is
//   read and sent. Allow-list name, tier, createdAt; id always; a 400 naming the refused names.
// - id: digits from 1 to 2,147,483,647 (a 400 otherwise), and a missing user is a 404.
export function usersRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    const { limit, cursor, fields } = req.query as Record<string, string | undefined>;
    const safeLimit = Math.min(parseInt(limit ?? '') || DEFAULT_LIMIT, MAX_LIMIT);
    const select = fields ? fields.split(',').reduce((acc, field) => ({ ...acc, [field]: true }), {}) : undefined;
    const users: { id: number }[] = await prisma.user.findMany({
      take: safeLimit + 1, // one more than asked: is there a next page?
      skip: cursor ? 1 : 0,
      cursor: cursor ? { id: Number(cursor) } : undefined,
      orderBy: { id: 'asc' },
      select: select as Prisma.UserSelect | undefined,
    });
    const hasMore = users.length > safeLimit;
    const data = hasMore ? users.slice(0, -1) : users;
    const nextCursor = hasMore ? data[data.length - 1]!.id : null;
    res.json({ data, nextCursor });
  });

  router.get('/users/:id', async (req, res) => {
    const { fields } = req.query as Record<string, string | undefined>;
    const select = fields ? fields.split(',').reduce((acc, field) => ({ ...acc, [field]: true }), { id: true }) : undefined;
    const user = await prisma.user.findUnique({ where: { id: Number(req.params.id) }, select: select as Prisma.UserSelect | undefined });
    res.json(user);
  });
  return router;
}
