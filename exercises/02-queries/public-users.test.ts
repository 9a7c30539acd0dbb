// Exercise 02 · public-users: select only what you send.
// Run it with: npm test -- 02-queries/public-users
import { beforeAll, describe, expect, test } from 'vitest';
import { lessonHint, useTestDatabase } from '../../shared/testing/index.ts';
import { listPublicUsers } from './public-users.ts';

const READ = lessonHint('02-queries', '2. Select only what you send');
const PRIVATE = ['email', 'passwordHash'];
const db = useTestDatabase();

beforeAll(async () => {
  await db.prisma().user.count();
});

describe('public user listing', () => {
  test('returns id, name, tier and createdAt of the page, by id', async () => {
    const users = await listPublicUsers(db.prisma(), { skip: 10, take: 50 });
    expect(users.map((user) => user.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    for (const user of users) {
      expect(Object.keys(user).sort(), `Each user is { id, name, tier, createdAt }; no more, no less. ${READ}`).toEqual(
        ['createdAt', 'id', 'name', 'tier'],
      );
    }
  });

  test('never reads email or passwordHash from the database', async () => {
    const { statements } = await db.queries.count(() => listPublicUsers(db.prisma(), { take: 20 }));
    const leaking = statements.filter((sql) => PRIVATE.some((column) => sql.includes(`"${column}"`)));
    expect(
      leaking,
      `The SQL asked for private columns. Removing them after the query still moves them over the wire and into ` +
        `memory, one mistake away from a response. ${READ}`,
    ).toEqual([]);
  });

  test('is measurably smaller than the full rows', async () => {
    const publicJson = JSON.stringify(await listPublicUsers(db.prisma(), { take: 100 }));
    const fullJson = JSON.stringify(await db.prisma().user.findMany({ take: 100, orderBy: { id: 'asc' } }));
    const ratio = Buffer.byteLength(publicJson) / Buffer.byteLength(fullJson);
    expect(ratio, `100 public users are ${(ratio * 100).toFixed(0)}% of the full rows' size; expected under 60%. ${READ}`).toBeLessThan(0.6);
  });
});
