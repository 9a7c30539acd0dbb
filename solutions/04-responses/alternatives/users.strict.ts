// Another correct approach, stricter where the contract leaves the choice: a fields list with an
// empty entry or spaces is a 400 (not tidied), "id" is not a name a client may ask for (it is
// always sent), a limit or id with a leading zero or more than six digits is a 400 (not read as
// the number), and the cursor is base64url of { "after": id }.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Prisma, PrismaClient } from '../../../shared/db/clients.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
const MAX_ID = 2_147_483_647;
const ASKABLE = new Set(['name', 'tier', 'createdAt']);

type Refusal = { parameter: string; error: string; refused?: string[] };

export function usersRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/users', async (req, res, next) => {
    const limit = req.query.limit === undefined ? DEFAULT_LIMIT : strictNumber(req.query.limit, 6);
    if (limit === undefined) return refuse(res, { parameter: 'limit', error: 'limit: digits, no leading zero, once' });
    const after = req.query.cursor === undefined ? 0 : decodeCursor(req.query.cursor);
    if (after === undefined) return refuse(res, { parameter: 'cursor', error: 'unknown cursor' });
    const select = selectFor(req.query.fields);
    if ('parameter' in select) return refuse(res, select);
    try {
      const rows = await prisma.user.findMany({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: Math.min(Math.max(limit, 1), MAX_LIMIT) + 1, select });
      const size = Math.min(Math.max(limit, 1), MAX_LIMIT);
      const data = rows.slice(0, size);
      res.json({ data, nextCursor: rows.length > size ? encodeCursor(data[size - 1]!.id) : null });
    } catch (error) {
      next(error);
    }
  });

  router.get('/users/:id', async (req, res, next) => {
    const id = strictNumber(req.params.id, 10);
    if (id === undefined || id < 1 || id > MAX_ID) return refuse(res, { parameter: 'id', error: 'not a user id' });
    const select = selectFor(req.query.fields);
    if ('parameter' in select) return refuse(res, select);
    try {
      const user = await prisma.user.findUnique({ where: { id }, select });
      if (user) res.json(user);
      else res.status(404).json({ error: 'no such user' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function refuse(res: Response, refusal: Refusal): void {
  res.status(400).json(refusal);
}

/** "0" or digits without a leading zero, at most `maxDigits` of them. */
function strictNumber(raw: unknown, maxDigits: number): number | undefined {
  if (typeof raw !== 'string' || !new RegExp(`^(0|[1-9]\\d{0,${maxDigits - 1}})$`).test(raw)) return undefined;
  return Number(raw);
}

function selectFor(raw: Request['query'][string]): Prisma.UserSelect | Refusal {
  if (raw === undefined) return { id: true, name: true, tier: true, createdAt: true };
  const entries = Array.isArray(raw) ? raw : [raw];
  if (!entries.every((entry) => typeof entry === 'string')) return { parameter: 'fields', error: 'fields is a list of names' };
  const names = (entries as string[]).flatMap((entry) => entry.split(','));
  const refused = names.filter((name) => !ASKABLE.has(name));
  if (refused.length > 0 || names.length === 0) return { parameter: 'fields', error: 'ask for name, tier or createdAt', refused };
  return Object.fromEntries([['id', true], ...names.map((name) => [name, true])]);
}

function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ after: id })).toString('base64url');
}

function decodeCursor(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/^[\w-]{1,64}$/.test(raw)) return undefined;
  try {
    const { after, ...rest } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { after?: unknown };
    if (Object.keys(rest).length > 0 || typeof after !== 'number' || !Number.isInteger(after) || after < 1 || after > MAX_ID) return undefined;
    return after;
  } catch {
    return undefined;
  }
}
