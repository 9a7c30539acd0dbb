// WRONG: zod with z.coerce.number(), the schema most tutorials show for query parameters.
// Coercion is Number(): "" is 0 (a page of one), " 5" is 5, "1e3" is 1000, "0x10" is 16, and a
// repeated ?limit=7 ... &limit= is whatever Number() makes of the array. Validation that accepts
// everything Number() accepts is no validation.
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Prisma, PrismaClient } from '../../../shared/db/clients.ts';

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;
const MAX_ID = 2_147_483_647;

const digits = z.string().regex(/^\d+$/);
const Limit = z.coerce.number().int().min(0).transform((n) => Math.min(Math.max(n, 1), MAX_LIMIT));
const UserId = z.coerce.number().int().min(1).max(MAX_ID);
const Fields = z.union([z.string(), z.array(z.string())]).transform((value) =>
  [value].flat().flatMap((entry) => entry.split(',')).map((name) => name.trim()).filter((name) => name !== ''),
);
const FieldName = z.enum(['id', 'name', 'tier', 'createdAt']);
const PUBLIC = { id: true, name: true, tier: true, createdAt: true } satisfies Prisma.UserSelect;

class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** schema.parse, with a failure reported as a 400 naming the parameter. */
function read<T>(schema: z.ZodType<T>, value: unknown, parameter: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadParameter(parameter, `${parameter}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

function selectFor(raw: unknown): Prisma.UserSelect {
  if (raw === undefined) return PUBLIC;
  const names = read(Fields, raw, 'fields');
  const refused = names.filter((name) => !FieldName.safeParse(name).success);
  if (refused.length > 0 || names.length === 0) {
    throw new BadParameter('fields', 'ask for name, tier or createdAt', { refused, allowed: FieldName.options });
  }
  return Object.fromEntries([['id', true], ...names.map((name) => [name, true])]) as Prisma.UserSelect;
}

export function usersRouter(prisma: PrismaClient): Router {
  const router = Router();

  router.get('/users', async (req, res) => {
    const limit = req.query.limit === undefined ? DEFAULT_LIMIT : read(Limit, req.query.limit, 'limit');
    const after = req.query.cursor === undefined ? undefined : read(UserId, req.query.cursor, 'cursor');
    const select = selectFor(req.query.fields);
    const rows = await prisma.user.findMany({
      where: after === undefined ? undefined : { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: limit + 1,
      select,
    });
    const data = rows.slice(0, limit);
    res.json({ data, nextCursor: rows.length > limit ? String(data[data.length - 1]!.id) : null });
  });

  router.get('/users/:id', async (req, res) => {
    const id = read(UserId, req.params.id, 'id');
    const user = await prisma.user.findUnique({ where: { id }, select: selectFor(req.query.fields) });
    if (user === null) return void res.status(404).json({ error: `user ${id} does not exist` });
    res.json(user);
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof BadParameter)) return next(error);
    res.status(400).json({ error: error.message, parameter: error.parameter, ...error.details });
  });
  return router;
}
