// WRONG: the error handler answers 400 for whatever reaches it, so a query that fails in the
// database (a table gone, a connection lost) tells the client to fix a parameter it got right,
// and monitoring that counts 5xx never hears of the outage.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Prisma, PrismaClient } from '../../../shared/db/clients.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
/** What a client may ask for by name. id is always sent: links and cursors are made of it. */
export const PUBLIC_FIELDS = ['name', 'tier', 'createdAt'] as const;
/** User.id is a Postgres integer (int4): a larger number would reach the database and fail there. */
const MAX_ID = 2_147_483_647;

type QueryValue = Request['query'][string];
type FieldName = 'id' | (typeof PUBLIC_FIELDS)[number];

/** A query or path parameter refused before any SQL was sent: answered as a 400 below. */
class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function usersRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    const limit = parseLimit(req.query.limit);
    const after = req.query.cursor === undefined ? undefined : decodeCursor(req.query.cursor);
    const select = parseFields(req.query.fields);
    // Keyset pagination by id (lesson 02, section 3): "the users after this id". One row more
    // than asked tells whether there is a next page, so a cursor never leads to an empty one.
    const users = await prisma.user.findMany({
      take: limit + 1,
      where: after === undefined ? undefined : { id: { gt: after } },
      orderBy: { id: 'asc' },
      select,
    });
    const hasMore = users.length > limit;
    const data = hasMore ? users.slice(0, -1) : users;
    const nextCursor = hasMore ? encodeCursor(data[data.length - 1]!.id) : null;
    res.json({ data, nextCursor });
  });

  router.get('/users/:id', async (req, res) => {
    const id = parseId(req.params.id);
    const select = parseFields(req.query.fields);
    const user = await prisma.user.findUnique({ where: { id }, select });
    if (user === null) return void res.status(404).json({ error: `there is no user ${id}` });
    res.json(user);
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (!(error instanceof BadParameter)) return void res.status(400).json({ error: String(error) });
    res.status(400).json({ error: error.message, parameter: error.parameter, ...error.details });
  });
  return router;
}

/** Absent → 20; digits → clamped to 1..100; anything else (-5, 10abc, 1e3, '', ' 5', a list) → 400. */
function parseLimit(raw: QueryValue): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
    throw new BadParameter('limit', `limit must be a whole number written in digits (at most ${MAX_LIMIT}), given once`);
  }
  return Math.min(Math.max(Number(raw), 1), MAX_LIMIT);
}

/** A path segment that is a user id: digits, 1 to 2,147,483,647. */
function parseId(raw: string): number {
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(id >= 1 && id <= MAX_ID)) throw new BadParameter('id', `a user id is a whole number from 1 to ${MAX_ID}`);
  return id;
}

/**
 * ?fields=name,tier (or repeated: ?fields=name&fields=tier) → the select for those columns, id
 * always in it. No fields → every public field. Empty entries ("name,,tier", a trailing comma) and
 * spaces around a name are skipped; a name outside the allow-list is a 400 naming it, and so is
 * a fields parameter that names nothing at all.
 */
function parseFields(raw: QueryValue): Prisma.UserSelect {
  const select: Prisma.UserSelect = { id: true };
  if (raw === undefined) {
    for (const field of PUBLIC_FIELDS) select[field] = true;
    return select;
  }
  const entries = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  if (entries.length === 0 || !entries.every((entry) => typeof entry === 'string')) {
    throw new BadParameter('fields', 'fields is a comma-separated list of field names: ?fields=name,tier');
  }
  const names = entries.flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== '');
  const refused = [...new Set(names.filter((name) => !isFieldName(name)))];
  if (refused.length > 0) {
    throw new BadParameter('fields', `these are not fields you can ask for: ${refused.join(', ')}`, { refused, allowed: PUBLIC_FIELDS });
  }
  if (names.length === 0) {
    throw new BadParameter('fields', 'fields names no field: leave it out to get every public field', { refused, allowed: PUBLIC_FIELDS });
  }
  for (const name of names) select[name as FieldName] = true;
  return select;
}

/** An array lookup, not `name in object`: "constructor" and "toString" are in every object. */
function isFieldName(name: string): name is FieldName {
  return name === 'id' || (PUBLIC_FIELDS as readonly string[]).includes(name);
}

/** Opaque to clients (base64url of JSON), so its format can change without breaking them. */
function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify([id])).toString('base64url');
}

/** Exactly what encodeCursor writes, with an id that fits User.id; anything else is a 400. */
function decodeCursor(raw: QueryValue): number {
  const invalid = new BadParameter('cursor', 'cursor is not one this API gave out: start again without it');
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(raw)) throw invalid;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const id: unknown = Array.isArray(decoded) && decoded.length === 1 ? decoded[0] : undefined;
  if (!Number.isSafeInteger(id) || (id as number) < 1 || (id as number) > MAX_ID) throw invalid;
  return id as number;
}
