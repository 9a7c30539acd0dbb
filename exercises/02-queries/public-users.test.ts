// Exercise 02 · public-users: select only what you send.
// Run it with: npm test -- 02-queries/public-users
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { lessonHint, planNodes, useTestDatabase, type LoggedQuery, type PlanNode } from '../../shared/testing/index.ts';
import { listPublicUsers } from './public-users.ts';

const READ = lessonHint('02-queries', '2. Select only what you send');
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

  test('is measurably smaller than the full rows', async () => {
    const publicJson = JSON.stringify(await listPublicUsers(db.prisma(), { take: 100 }));
    const fullJson = JSON.stringify(await db.prisma().user.findMany({ take: 100, orderBy: { id: 'asc' } }));
    const ratio = Buffer.byteLength(publicJson) / Buffer.byteLength(fullJson);
    expect(ratio, `100 public users are ${(ratio * 100).toFixed(0)}% of the full rows' size; expected under 60%. ${READ}`).toBeLessThan(0.6);
  });
});
