// WRONG: hand-written SQL without ORDER BY: the pages follow the table's physical order, which
// is id order only until rows are updated (an update writes the row's new version elsewhere in
// the table). Then users come out of order, and "id greater than the last one sent" skips those
// that came out early. (Prisma adds ORDER BY "id" by itself when take has no orderBy; raw SQL
// does not.)
import { Router, type NextFunction, type Request, type Response } from 'express';
import { Prisma, type PrismaClient } from '../../../shared/db/clients.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
const MAX_ID = 2_147_483_647;

/** The allow-list is this map: a name that is not a key has no SQL to become. */
const COLUMNS = {
  id: Prisma.sql`"id"`,
  name: Prisma.sql`"name"`,
  tier: Prisma.sql`"tier"::text AS "tier"`,
  createdAt: Prisma.sql`"createdAt"`,
} as const;
type FieldName = keyof typeof COLUMNS;
const PUBLIC_FIELDS: FieldName[] = ['name', 'tier', 'createdAt'];

interface UserRow {
  id: number;
  name?: string;
  tier?: string;
  createdAt?: Date;
}

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
    const after = req.query.cursor === undefined ? 0 : decodeCursor(req.query.cursor);
    const columns = columnList(req.query.fields);
    const users = await prisma.$queryRaw<UserRow[]>`
      SELECT ${columns} FROM "User" WHERE "id" > ${after} LIMIT ${limit + 1}`;
    const hasMore = users.length > limit;
    const data = hasMore ? users.slice(0, -1) : users;
    res.json({ data, nextCursor: hasMore ? encodeCursor(data[data.length - 1]!.id) : null });
  });

  router.get('/users/:id', async (req, res) => {
    const id = parseDigits(req.params.id, 'id', MAX_ID);
    if (id < 1) throw new BadParameter('id', 'a user id starts at 1');
    const columns = columnList(req.query.fields);
    const [user] = await prisma.$queryRaw<UserRow[]>`SELECT ${columns} FROM "User" WHERE "id" = ${id}`;
    if (!user) return void res.status(404).json({ error: 'not found', id });
    res.json(user);
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof BadParameter)) return next(error);
    res.status(400).json({ error: error.message, parameter: error.parameter, ...error.details });
  });
  return router;
}

/** Digits only, at most `max`; anything else is a 400 naming the parameter. */
function parseDigits(raw: unknown, parameter: string, max: number): number {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) > max) {
    throw new BadParameter(parameter, `${parameter} must be a whole number from 0 to ${max}, in digits`);
  }
  return Number(raw);
}

function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new BadParameter('limit', 'limit must be written in digits, once');
  return Math.min(Math.max(Number(raw), 1), MAX_LIMIT);
}

function columnList(raw: unknown): Prisma.Sql {
  let names: string[] = PUBLIC_FIELDS;
  if (raw !== undefined) {
    const entries = [raw].flat();
    if (!entries.every((entry): entry is string => typeof entry === 'string')) {
      throw new BadParameter('fields', 'fields must be a comma-separated list');
    }
    names = entries.join(',').split(',').map((name) => name.trim()).filter(Boolean);
    const refused = names.filter((name) => !Object.hasOwn(COLUMNS, name));
    if (refused.length > 0) throw new BadParameter('fields', 'unknown or private fields', { refused });
    if (names.length === 0) throw new BadParameter('fields', 'fields names no field', { refused });
  }
  const wanted = new Set<FieldName>(['id', ...(names as FieldName[])]);
  return Prisma.join([...wanted].map((name) => COLUMNS[name]));
}

function encodeCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

function decodeCursor(raw: unknown): number {
  const text = typeof raw === 'string' && /^[A-Za-z0-9_-]{1,16}$/.test(raw) ? Buffer.from(raw, 'base64url').toString('latin1') : '';
  const id = /^\d{1,10}$/.test(text) ? Number(text) : 0;
  if (id < 1 || id > MAX_ID) throw new BadParameter('cursor', 'cursor was not given out by this API');
  return id;
}
