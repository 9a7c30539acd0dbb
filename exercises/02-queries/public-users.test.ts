// Exercise 02 · public-users: select only what you send.
// Run it with: npm test -- 02-queries/public-users
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { type LoggedQuery, type PlanNode, planNodes, suiteSection, useTestDatabase } from '../../shared/testing/index.ts';
import { listPublicUsers } from './public-users.ts';

const READ = suiteSection('02-queries', '2. Select only what you send');
const PRIVATE = ['email', 'passwordHash'];
const db = useTestDatabase();
let pool: pg.Pool;

beforeAll(async () => {
  pool = db.pool();
  await db.prisma().user.count();
});

/** The columns each plan node hands up (EXPLAIN VERBOSE's "Output"), for one statement as sent. */
async function outputsOf(query: LoggedQuery): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode & { Output?: string[] } }] }>(
    `EXPLAIN (VERBOSE, FORMAT JSON) ${query.text}`,
    query.values,
  );
  return planNodes(rows[0]!['QUERY PLAN'][0].Plan).flatMap((node) => (node as { Output?: string[] }).Output ?? []);
}

describe('public user listing', () => {
  test('returns id, name, tier and createdAt of the page, by id', async () => {
    const users = await listPublicUsers(db.prisma(), { skip: 10, take: 50 });
    expect(users.map((user) => user.id), `skip 10, take 50: users 11 to 60, by id. ${READ}`).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    for (const user of users) {
      expect(Object.keys(user).sort(), `Each user is { id, name, tier, createdAt }; no more, no less. ${READ}`).toEqual(
        ['createdAt', 'id', 'name', 'tier'],
      );
      expect(
        user.createdAt instanceof Date && !Number.isNaN(user.createdAt.getTime()),
        `user ${user.id}: createdAt must be a Date (PublicUser says createdAt: Date), not ${JSON.stringify(user.createdAt)} ` +
          `(${typeof user.createdAt}). A string cast to the type still compiles, and breaks the caller that does ` +
          `user.createdAt.getTime(). ${READ}`,
      ).toBe(true);
    }
    const { rows } = await pool.query<{ id: number; name: string; tier: string; createdAt: Date }>(
      `SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" ORDER BY "id" OFFSET 10 LIMIT 50`,
    );
    expect(
      users.map((user) => ({ ...user, createdAt: new Date(user.createdAt).getTime() })),
      `Each user's values as in the database (tier as its name, createdAt the same instant). ${READ}`,
    ).toEqual(rows.map((row) => ({ ...row, createdAt: row.createdAt.getTime() })));
  });

  test('never reads email or passwordHash from the database', async () => {
    const { statements, queries } = await db.queries.count(() => listPublicUsers(db.prisma(), { take: 20 }));
    const leaking = statements.filter((sql) => PRIVATE.some((column) => sql.includes(`"${column}"`)));
    expect(
      leaking,
      `The SQL asked for private columns. Removing them after the query still moves them over the wire and into ` +
        `memory, one mistake away from a response. ${READ}`,
    ).toEqual([]);
    // The SQL text may not name them (SELECT *, u.*): ask Postgres which columns each step reads.
    const read: string[] = [];
    for (const query of queries.filter((q) => /^\s*(SELECT|WITH)\b/i.test(q.text))) {
      read.push(...(await outputsOf(query)).filter((column) => /\bemail\b|passwordhash/i.test(column)));
    }
    expect(
      [...new Set(read)],
      `Postgres read these private columns for your query (EXPLAIN VERBOSE): a SELECT * (or a row without a select) ` +
        `still sends them to Node. ${READ}`,
    ).toEqual([]);
  });

  test('skip and take never become SQL text: a caller that passes a string cannot change what is read', async () => {
    // The types say number, but a route may hand over req.query values unchecked. Prisma's
    // skip/take and bound parameters ($1) keep such a value data: it is refused, or read as a
    // number. Pasted into the SQL text, it is code.
    const MARK = 'probe_02_public_users';
    const hostile: { skip?: unknown; take: unknown; how: string }[] = [
      { take: `ALL /* ${MARK} */`, how: 'take "ALL /* … */" (every row)' },
      {
        take: `1 UNION SELECT "id", "email", "passwordHash", "createdAt" FROM "User" -- ${MARK}`,
        how: 'take "1 UNION SELECT … email, passwordHash …"',
      },
      { skip: `0 /* ${MARK} */`, take: 5, how: 'skip "0 /* … */"' },
    ];
    const { rows: secrets } = await pool.query<{ email: string; passwordHash: string }>(`SELECT "email", "passwordHash" FROM "User"`);
    const privateValues = new Set(secrets.flatMap((row) => [row.email, row.passwordHash]));
    for (const { skip, take, how } of hostile) {
      const from = db.queries.queries.length;
      let result: unknown;
      try {
        result = await listPublicUsers(db.prisma(), { skip, take } as unknown as { skip?: number; take: number });
      } catch {
        result = undefined; // refusing a value that is not a number is fine
      }
      const pasted = db.queries.statements.slice(from).filter((sql) => sql.includes(MARK));
      expect(
        pasted.map((sql) => sql.slice(0, 300)),
        `listPublicUsers with ${how}: that text reached the SQL itself. Never build SQL from arguments ($queryRawUnsafe ` +
          `with \${…}): let Prisma take skip/take, or send them as parameters ($queryRaw\`… LIMIT \${take}\`). ${READ}`,
      ).toEqual([]);
      const leaked = (Array.isArray(result) ? (result as Record<string, unknown>[]) : [])
        .flatMap((row) => Object.values(row ?? {}))
        .filter((value) => typeof value === 'string' && privateValues.has(value));
      expect(leaked.slice(0, 3), `listPublicUsers with ${how} returned private values (emails, password hashes). ${READ}`).toEqual([]);
    }
  });

  test('every call reads the current rows: a renamed user shows up renamed', async () => {
    const args = { skip: 0, take: 5 };
    const before = await listPublicUsers(db.prisma(), args);
    expect(before.map((user) => user.id), `skip 0, take 5: users 1 to 5, by id. ${READ}`).toEqual([1, 2, 3, 4, 5]);
    await pool.query(`UPDATE "User" SET "name" = 'Renamed One' WHERE "id" = 1`);
    await pool.query(`UPDATE "User" SET "tier" = CASE WHEN "tier" = 'free' THEN 'pro'::"Tier" ELSE 'free'::"Tier" END WHERE "id" = 2`);
    const after = await listPublicUsers(db.prisma(), args);
    const { rows } = await pool.query<{ id: number; name: string; tier: string; createdAt: Date }>(
      `SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" ORDER BY "id" LIMIT 5`,
    );
    expect(
      after.map((user) => ({ ...user, createdAt: new Date(user.createdAt).getTime() })),
      `After user 1 was renamed and user 2 changed tier, the same call must return the rows as they are now, by id ` +
        `(a page kept in memory from the first call is stale, and grows with every skip/take a client asks for). ${READ}`,
    ).toEqual(rows.map((row) => ({ ...row, createdAt: row.createdAt.getTime() })));
  });

  test('is measurably smaller than the full rows', async () => {
    const publicJson = JSON.stringify(await listPublicUsers(db.prisma(), { take: 100 }));
    const fullJson = JSON.stringify(await db.prisma().user.findMany({ take: 100, orderBy: { id: 'asc' } }));
    const ratio = Buffer.byteLength(publicJson) / Buffer.byteLength(fullJson);
    expect(ratio, `100 public users are ${(ratio * 100).toFixed(0)}% of the full rows' size; expected under 60%. ${READ}`).toBeLessThan(0.6);
  });

  test('take 0 is an empty page, and skip/take are honoured as given', async () => {
    for (const skip of [0, 30]) {
      const none = await listPublicUsers(db.prisma(), { skip, take: 0 });
      expect(
        Array.isArray(none) ? none.map((user) => user.id) : none,
        `skip ${skip}, take 0 asks for no users: the answer is [], not a default page (take || 10 turns 0 into 10). ${READ}`,
      ).toEqual([]);
    }
    const one = await listPublicUsers(db.prisma(), { skip: 1_999, take: 1 });
    expect(one.map((user) => user.id), `skip 1999, take 1: user 2000 only. ${READ}`).toEqual([2_000]);
  });

  test("a page is in id order, whatever the table's physical order", async () => {
    // An UPDATE writes a new version of each row elsewhere in the table (even one that sets a
    // column to itself): a scan now meets users 1 to 5 after the others. Only ORDER BY "id"
    // still pages by id.
    await pool.query(`UPDATE "User" SET "name" = "name" WHERE "id" <= 5`);
    for (const [skip, take] of [[0, 5], [2, 6]] as const) {
      const users = await listPublicUsers(db.prisma(), { skip, take });
      expect(
        users.map((user) => user.id),
        `skip ${skip}, take ${take}, after users 1 to 5 were updated: users ${skip + 1} to ${skip + take}, by id. Without ` +
          `an order (orderBy: { id: 'asc' }, ORDER BY "id"), skip and take page through whatever order the table happens ` +
          `to be in. ${READ}`,
      ).toEqual(Array.from({ length: take }, (_, i) => skip + i + 1));
    }
  });
});
