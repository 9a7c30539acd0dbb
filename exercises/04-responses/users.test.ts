// Exercise 04 · users: every parameter checked before the query, only the allowed fields asked for.
// Run it with: npm test -- 04-responses/users
//
// The suite mounts usersRouter(prisma) under /api twice: on an app with Express 5's default query
// parser (a repeated parameter is an array) and on one with the "extended" parser (qs), where
// ?limit[a]=1 is an object. A route must survive both: it cannot choose how its app parses.
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import {
  columnsRead,
  explain,
  get,
  type LoggedQuery,
  lessonHint,
  rowsRead,
  type StartedServer,
  startServer,
  suiteSection,
  useTestDatabase,
} from '../../shared/testing/index.ts';
import { usersRouter } from './users.ts';

const PARAMS = suiteSection('04-responses', '4. Parameters are untrusted: limit, cursor, id');
const FIELDS = lessonHint('04-responses', '5. Field selection with an allow-list');
/** Cursor messages: this lesson's section, which sends the reader on to lesson 02's keyset pages. */
const KEYSET = `${PARAMS} (keyset pages: lessons/02-queries/README.md, section "3. Cursor pagination")`;

const PUBLIC = ['name', 'tier', 'createdAt'] as const;
type Field = (typeof PUBLIC)[number];
const USER_COLUMNS = ['id', 'name', 'email', 'passwordHash', 'tier', 'createdAt'] as const;
const MAX_ID = 2_147_483_647;

const db = useTestDatabase();
let pool: pg.Pool;
const servers: Record<'simple' | 'extended', StartedServer | undefined> = { simple: undefined, extended: undefined };
/** What usersRouter(prisma) threw, if it did: every request then fails saying so. */
let routerError: unknown;

beforeAll(async () => {
  pool = db.pool();
  await db.prisma().user.count(); // connected before the first request is counted
  // New versions of a few rows, written elsewhere in the table: a read without ORDER BY "id"
  // now meets them out of id order, as it would on any table that has seen updates.
  await pool.query(`UPDATE "User" SET "name" = "name" WHERE "id" IN (3, 17, 150, 1999)`);
  for (const parser of ['simple', 'extended'] as const) {
    const app = express();
    app.set('query parser', parser);
    try {
      app.use('/api', usersRouter(db.prisma()));
    } catch (error) {
      routerError = error;
    }
    servers[parser] = await startServer(app);
  }
});

afterAll(async () => {
  await servers.simple?.close();
  await servers.extended?.close();
});

interface Answer {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
  /** The SQL the route sent while answering. */
  queries: LoggedQuery[];
}

async function call(path: string, parser: 'simple' | 'extended' = 'simple'): Promise<Answer> {
  if (routerError !== undefined) {
    throw new Error(`usersRouter(prisma) must return an express Router; mounting it failed: ${String(routerError)}. ${PARAMS}`);
  }
  const { result, queries } = await db.queries.count(() => get(`${servers[parser]!.url}${path}`));
  let body: unknown = result.body;
  try {
    body = JSON.parse(result.body);
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: result.status, body, text: result.body, contentType: result.headers['content-type'] ?? '(none)', queries };
}

const shown = (answer: Answer) => answer.text.replace(/\s+/g, ' ').slice(0, 240) || '(an empty body)';
const parserNote = (parser: 'simple' | 'extended') => (parser === 'extended' ? ' (with the "extended" query parser)' : '');

/** A 400 that names the parameter, sent before any SQL. */
async function expectRefused(path: string, parameter: string, why: string, hint: string, parser: 'simple' | 'extended' = 'simple'): Promise<Answer> {
  const answer = await call(path, parser);
  expect(
    answer.status,
    `GET ${path}${parserNote(parser)} answered ${answer.status}: ${shown(answer)}. ${why}: expected 400 with ` +
      `{ error, parameter: '${parameter}' }. ${hint}`,
  ).toBe(400);
  expect(
    answer.body,
    `GET ${path}${parserNote(parser)}: the 400 must be JSON naming the parameter, { error: "…", parameter: '${parameter}' }; ` +
      `got ${shown(answer)}. ${hint}`,
  ).toMatchObject({ error: expect.stringMatching(/\S/), parameter });
  expect(
    answer.contentType.split(';')[0],
    `GET ${path}${parserNote(parser)}: a JSON body is sent with Content-Type application/json (res.json does that). ${hint}`,
  ).toBe('application/json');
  expect(
    answer.queries.map((query) => query.text.slice(0, 200)),
    `GET ${path}${parserNote(parser)} was refused, but only after this SQL was sent: check every parameter before the ` +
      `query. ${hint}`,
  ).toEqual([]);
  return answer;
}

interface PublicUser {
  id: number;
  name?: string;
  tier?: string;
  createdAt?: string;
}

interface Page {
  data: PublicUser[];
  nextCursor: string | null;
}

/** Users as the API should send them: id and the given fields, createdAt as JSON writes a Date. */
async function usersInDatabase(ids: number[], fields: readonly Field[]): Promise<PublicUser[]> {
  const { rows } = await pool.query<{ id: number; name: string; tier: string; createdAt: Date }>(
    `SELECT "id", "name", "tier"::text AS "tier", "createdAt" FROM "User" WHERE "id" = ANY($1::int[]) ORDER BY "id"`,
    [ids],
  );
  return rows.map((row) => {
    const user: PublicUser = { id: row.id };
    for (const field of fields) user[field] = field === 'createdAt' ? row.createdAt.toISOString() : row[field];
    return user;
  });
}

/** Every user id, in order. */
async function allIds(): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(`SELECT "id" FROM "User" ORDER BY "id"`);
  return rows.map((row) => row.id);
}

/** GET a listing page that must succeed: 200, { data: [...], nextCursor: string | null }. */
async function page(query: string, parser: 'simple' | 'extended' = 'simple'): Promise<Page> {
  const path = `/api/users${query}`;
  const answer = await call(path, parser);
  expect(answer.status, `GET ${path}${parserNote(parser)} answered ${answer.status}: ${shown(answer)}; expected 200 and a page. ${PARAMS}`).toBe(200);
  expect(answer.body, `GET ${path}: the body is { data: [...], nextCursor: string | null }; got ${shown(answer)}. ${PARAMS}`).toMatchObject({
    data: expect.any(Array),
  });
  const { nextCursor } = answer.body as Page;
  expect(
    nextCursor === null || (typeof nextCursor === 'string' && nextCursor !== ''),
    `GET ${path}: nextCursor must be a string the client passes back as ?cursor=, or null on the last page; got ` +
      `${nextCursor === undefined ? 'no nextCursor at all (JSON drops undefined: say null on the last page; or was id left out of the select?)' : JSON.stringify(nextCursor)}. ${KEYSET}`,
  ).toBe(true);
  return answer.body as Page;
}

/** GET a listing that must succeed, for checks of its data only (the cursor is checked elsewhere). */
async function pageData(query: string, parser: 'simple' | 'extended' = 'simple'): Promise<PublicUser[]> {
  const path = `/api/users${query}`;
  const answer = await call(path, parser);
  expect(answer.status, `GET ${path}${parserNote(parser)} answered ${answer.status}: ${shown(answer)}; expected 200 and a page. ${PARAMS}`).toBe(200);
  expect(answer.body, `GET ${path}: the body is { data: [...], nextCursor: string | null }; got ${shown(answer)}. ${PARAMS}`).toMatchObject({
    data: expect.any(Array),
  });
  const data = (answer.body as Page).data;
  const withoutId = data.filter((user) => typeof user?.id !== 'number');
  expect(
    withoutId.slice(0, 2),
    `GET ${path}: ${withoutId.length} user(s) came without an id. id is in every select, whatever fields asks for: ` +
      `clients link to users by it, and the next page's cursor is made from it. ${FIELDS}`,
  ).toEqual([]);
  return data;
}

/** The page holds exactly these users, each with id and exactly these fields, as in the database. */
async function expectUsers(data: PublicUser[], ids: number[], fields: readonly Field[], label: string): Promise<void> {
  expect(data.map((user) => user?.id), `${label}: expected the users ${describeIds(ids)}, in id order. ${PARAMS}`).toEqual(ids);
  const want = ['id', ...fields].sort();
  for (const user of data) {
    const keys = Object.keys(user).sort();
    expect(
      keys,
      `${label}: each user must be exactly { ${want.join(', ')} }: id always, and the public fields asked for ` +
        `(all three when fields is absent), nothing else. ${FIELDS}`,
    ).toEqual(want);
  }
  expect(data, `${label}: the values must be those in the database (tier as its name, createdAt as an ISO string). ${FIELDS}`).toEqual(
    await usersInDatabase(ids, fields),
  );
}

function describeIds(ids: number[]): string {
  if (ids.length === 0) return 'none';
  const consecutive = ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1);
  if (consecutive && ids.length > 3) return `${ids[0]} to ${ids.at(-1)}`;
  return ids.length > 12 ? `${ids.slice(0, 12).join(', ')}, … (${ids.length} in all)` : ids.join(', ');
}

/** Every string array anywhere in a JSON body. */
function stringArrays(value: unknown): string[][] {
  if (Array.isArray(value)) {
    const own = value.every((item) => typeof item === 'string') ? [value as string[]] : [];
    return [...own, ...value.flatMap(stringArrays)];
  }
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringArrays);
  return [];
}

const sameSet = (a: string[], b: string[]) => {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((item, i) => item === y[i]);
};

/** fields refused: a 400 naming the parameter and listing exactly the refused names. */
async function expectFieldsRefused(path: string, refused: string[], parser: 'simple' | 'extended' = 'simple'): Promise<void> {
  const answer = await expectRefused(
    path,
    'fields',
    `${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} not a public field (name, tier, createdAt)`,
    FIELDS,
    parser,
  );
  const lists = stringArrays(answer.body);
  expect(
    lists.some((list) => sameSet(list, refused)),
    `GET ${path}${parserNote(parser)}: the 400 must list the refused names, and only those, e.g. refused: ` +
      `${JSON.stringify(refused)}, so a client can tell which ones to drop; the lists in the body were ` +
      `${lists.length === 0 ? 'none' : lists.map((list) => JSON.stringify(list)).join(', ')}. ${FIELDS}`,
  ).toBe(true);
}

describe('users: parameters checked, fields allow-listed', () => {
  // Input checks first: they are quick, and a route that fails them stops here.
  test('limit: digits, clamped to 1..100 (20 by default); anything else is a 400 naming limit', async () => {
    const ids = await allIds();
    const sizes: [string, number][] = [['', 20], ['?limit=0', 1], ['?limit=1', 1], ['?limit=57', 57],
      ['?limit=100', 100], ['?limit=101', 100], ['?limit=1000', 100]];
    for (const [query, size] of sizes) {
      const data = await pageData(query);
      expect(
        data.map((user) => user.id),
        `GET /api/users${query}: expected ${size === 1 ? 'the first user' : `the first ${size} users`} in id order (${query === '' ? 'the default is 20' : 'a limit is clamped to 1..100'}), ` +
          `got ${data.length}: ${describeIds(data.map((user) => user.id))}. ${PARAMS}`,
      ).toEqual(ids.slice(0, size));
    }
    // Digits, but odd: the number they spell (clamped), or a 400.
    for (const [raw, size] of [['000', 1], ['007', 7], ['99999999999999999999', 100], ['9'.repeat(400), 100]] as const) {
      const answer = await call(`/api/users?limit=${raw}`);
      const label = `GET /api/users?limit=${raw.length > 30 ? `${raw.slice(0, 12)}… (${raw.length} digits)` : raw}`;
      expect([200, 400], `${label} answered ${answer.status}: ${shown(answer)}; expected a page of ${size}, or a 400. ${PARAMS}`).toContain(answer.status);
      if (answer.status === 200) {
        expect((answer.body as Page).data.map((user) => user.id), `${label}: the first ${size} users. ${PARAMS}`).toEqual(ids.slice(0, size));
      } else {
        await expectRefused(`/api/users?limit=${raw}`, 'limit', `${label} was refused`, PARAMS);
      }
    }
    const notDigits: [string, string][] = [
      ['-1', 'a negative limit: Prisma reads a negative take as "the rows before" and pages backwards'],
      ['-5', 'a negative limit'], ['-0', 'a minus sign'], ['-1000', 'a negative limit'],
      ['10abc', 'parseInt reads "10abc" as 10'], ['abc', 'not a number'], ['1e3', 'Number() reads "1e3" as 1000'],
      ['1e1', 'Number() reads "1e1" as 10'], ['', 'Number() reads an empty string as 0'], ['%205', 'Number() reads " 5" as 5'],
      ['5%20', 'Number() reads "5 " as 5'], ['%2B5', 'Number() reads "+5" as 5'], ['0x10', 'Number() reads "0x10" as 16'],
      ['2.5', 'not a whole number'], ['5.0', 'not written as digits only'], ['NaN', 'not a number'], ['Infinity', 'not a number'],
      ['1,2', 'not a number'], ['%00', 'a NUL character'],
    ];
    for (const [raw, why] of notDigits) {
      await expectRefused(`/api/users?limit=${raw}`, 'limit', `limit=${decodeURIComponent(raw)} is not digits only (${why})`, PARAMS);
    }
    await expectRefused('/api/users?limit=1&limit=2', 'limit', 'a repeated limit arrives as an array, ["1", "2"]', PARAMS);
    await expectRefused('/api/users?limit=5&limit=5', 'limit', 'a repeated limit arrives as an array, even with the same value twice', PARAMS);
    await expectRefused('/api/users?limit[a]=1', 'limit', 'with the extended parser, limit[a]=1 arrives as an object, { a: "1" }', PARAMS, 'extended');
    await expectRefused('/api/users?limit[]=5', 'limit', 'with the extended parser, limit[]=5 arrives as an array, ["5"]', PARAMS, 'extended');
  });

  test('id: digits from 1 to 2,147,483,647, else a 400 naming id; a missing user is a 404 with a JSON body', async () => {
    const [one] = await usersInDatabase([1], PUBLIC);
    const found = await call('/api/users/1');
    expect(found.status, `GET /api/users/1 answered ${found.status}: ${shown(found)}; expected 200 and user 1. ${PARAMS}`).toBe(200);
    expect(found.body, `GET /api/users/1: user 1 with id and every public field, nothing else. ${FIELDS}`).toEqual(one);

    for (const id of ['2001', '2147483647']) {
      const missing = await call(`/api/users/${id}`);
      expect(
        missing.status,
        `GET /api/users/${id} (no such user) answered ${missing.status}: ${shown(missing)}. A missing user is a 404, not a ` +
          `200 with null: a client cannot tell null from a user, and caches store it. ${PARAMS}`,
      ).toBe(404);
      const body = missing.body as Record<string, unknown> | null;
      expect(
        body !== null && typeof body === 'object' && !Array.isArray(body) && Object.values(body).some((value) => typeof value === 'string' && /\S/.test(value)),
        `GET /api/users/${id}: the 404 needs a JSON body saying what is wrong, e.g. { error: "…" }; got ${shown(missing)}. ${PARAMS}`,
      ).toBe(true);
      expect(missing.contentType.split(';')[0], `GET /api/users/${id}: the 404's JSON is sent with Content-Type application/json. ${PARAMS}`).toBe(
        'application/json',
      );
    }
    // 007 spells 7: user 7, or a 400 for the leading zeros.
    const padded = await call('/api/users/007');
    expect([200, 400], `GET /api/users/007 answered ${padded.status}: ${shown(padded)}; expected user 7, or a 400. ${PARAMS}`).toContain(padded.status);
    if (padded.status === 200) expect(padded.body, `GET /api/users/007: user 7. ${PARAMS}`).toEqual((await usersInDatabase([7], PUBLIC))[0]);
    else await expectRefused('/api/users/007', 'id', '007 was refused for its leading zeros', PARAMS);

    const bad: [string, string][] = [
      ['0', 'ids start at 1'], ['-1', 'a negative id'], ['1.5', 'not a whole number'], ['1e3', 'Number() reads it as 1000'],
      ['abc', 'not a number'], ['10abc', 'parseInt reads it as 10'], ['%205', 'Number() reads " 5" as 5'], ['%2B5', 'Number() reads "+5" as 5'],
      ['0x10', 'Number() reads it as 16'], ['2147483648', 'one more than User.id (a Postgres integer) can hold'],
      ['99999999999', 'beyond what User.id (a Postgres integer) can hold: the database refuses it, a 500'],
      ['9'.repeat(30), 'far beyond a Postgres integer'], ['%00', 'a NUL character'], ['1%2C2', 'a list'],
    ];
    for (const [raw, why] of bad) {
      await expectRefused(`/api/users/${raw}`, 'id', `${decodeURIComponent(raw).slice(0, 40)} is not a user id (${why})`, PARAMS);
    }
  });

  test('fields picks public fields (a list, a repeated parameter, or none for all three); id is always sent', async () => {
    const ids = (await allIds()).slice(0, 5);
    const cases: [string, readonly Field[], 'simple' | 'extended'][] = [
      ['', PUBLIC, 'simple'],
      ['fields=name', ['name'], 'simple'],
      ['fields=tier,createdAt', ['tier', 'createdAt'], 'simple'],
      ['fields=createdAt,name,tier', PUBLIC, 'simple'],
      ['fields=name&fields=tier', ['name', 'tier'], 'simple'],
      ['fields=tier,createdAt&fields=name', PUBLIC, 'simple'],
      ['fields[]=tier&fields[]=name', ['name', 'tier'], 'extended'],
      ['fields=tier', ['tier'], 'extended'],
    ];
    for (const [query, fields, parser] of cases) {
      const label = `GET /api/users?limit=5${query ? `&${query}` : ''}${parserNote(parser)}`;
      const data = await pageData(`?limit=5${query ? `&${query}` : ''}`, parser);
      await expectUsers(data, ids, fields, label);
      const one = await call(`/api/users/${ids[2]}${query ? `?${query}` : ''}`, parser);
      const oneLabel = `GET /api/users/${ids[2]}${query ? `?${query}` : ''}${parserNote(parser)}`;
      expect(one.status, `${oneLabel} answered ${one.status}: ${shown(one)}; expected 200. ${FIELDS}`).toBe(200);
      await expectUsers([one.body as PublicUser], [ids[2]!], fields, oneLabel);
    }
    // Lists written loosely: the fields they name, or a 400 for the list. Never a 500, never more.
    const loose: [string, readonly Field[] | 'id only'][] = [
      ['fields=name,,tier', ['name', 'tier']], ['fields=name,tier,', ['name', 'tier']], ['fields=,name', ['name']],
      ['fields=name,%20tier', ['name', 'tier']], ['fields=name,name', ['name']], ['fields=name&fields=', ['name']],
      ['fields=id', 'id only'], ['fields=id,tier', ['tier']],
    ];
    for (const [query, fields] of loose) {
      const path = `/api/users?limit=5&${query}`;
      const answer = await call(path);
      expect([200, 400], `GET ${path} answered ${answer.status}: ${shown(answer)}; expected the fields it names, or a 400 naming fields. ${FIELDS}`).toContain(
        answer.status,
      );
      if (answer.status === 400) {
        await expectRefused(path, 'fields', `${decodeURIComponent(query)} was refused`, FIELDS);
        continue;
      }
      await expectUsers((answer.body as Page).data, ids, fields === 'id only' ? [] : fields, `GET ${path}`);
    }
    // Naming nothing: a 400, or one of the two readings (id only, or every public field).
    const empty = await call('/api/users?limit=5&fields=');
    expect([200, 400], `GET /api/users?limit=5&fields= answered ${empty.status}: ${shown(empty)}. ${FIELDS}`).toContain(empty.status);
    if (empty.status === 400) {
      await expectRefused('/api/users?limit=5&fields=', 'fields', 'fields= names no field, and was refused', FIELDS);
    } else {
      const data = (empty.body as Page).data;
      const readAs = data.length > 0 && Object.keys(data[0]!).length === 1 ? [] : PUBLIC;
      await expectUsers(data, ids, readAs, 'GET /api/users?limit=5&fields= (read as id only, or as every public field)');
    }
  });

  test('unknown or private fields are a 400 that names them, and only them', async () => {
    const refusedAlone = ['passwordHash', 'email', 'posts', '_count', 'nickname', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    for (const name of refusedAlone) await expectFieldsRefused(`/api/users?fields=${name}`, [name]);
    await expectFieldsRefused('/api/users?fields=name,passwordHash,tier,nickname', ['passwordHash', 'nickname']);
    await expectFieldsRefused('/api/users?fields=name&fields=email', ['email']);
    await expectFieldsRefused('/api/users?fields=createdAt,posts&fields=tier,email,name', ['posts', 'email']);
    await expectFieldsRefused('/api/users/1?fields=passwordHash', ['passwordHash']);
    await expectFieldsRefused('/api/users/1?fields=name,email,constructor', ['email', 'constructor']);
    await expectFieldsRefused('/api/users?fields[]=email&fields[]=name', ['email'], 'extended');
    await expectRefused('/api/users?fields[a]=name', 'fields', 'with the extended parser, fields[a]=name arrives as an object', FIELDS, 'extended');
    await expectRefused('/api/users/1?fields[a]=name', 'fields', 'with the extended parser, fields[a]=name arrives as an object', FIELDS, 'extended');
    // A list that holds an object beside a name: check every entry, not only the first.
    for (const path of ['/api/users?fields[]=name&fields[][a]=x', '/api/users/1?fields=name&fields[a]=x']) {
      await expectRefused(path, 'fields', 'with the extended parser, this arrives as ["name", { a: "x" }]: a list with an object in it', FIELDS, 'extended');
    }
  });

  test('the SQL sent reads only the columns asked for, and never email or passwordHash', async () => {
    const cases: [string, readonly Field[]][] = [
      ['/api/users?limit=3', PUBLIC],
      ['/api/users?limit=3&fields=name', ['name']],
      ['/api/users?limit=3&fields=tier,createdAt', ['tier', 'createdAt']],
      ['/api/users/4', PUBLIC],
      ['/api/users/4?fields=createdAt', ['createdAt']],
    ];
    for (const [path, fields] of cases) {
      const answer = await call(path);
      expect(answer.status, `GET ${path} answered ${answer.status}: ${shown(answer)}. ${FIELDS}`).toBe(200);
      const reads = answer.queries.filter((query) => /^\s*(SELECT|WITH)\b/i.test(query.text));
      expect(reads.length, `GET ${path} sent no SELECT through the Prisma client it was given. ${FIELDS}`).toBeGreaterThan(0);
      const named = reads.filter((query) => /"(email|passwordHash)"/.test(query.text)).map((query) => query.text.slice(0, 300));
      expect(named, `GET ${path}: the SQL names email or passwordHash. Deleting them from the objects afterwards still reads them. ${FIELDS}`).toEqual([]);
      const allowed = new Set<string>(['id', ...fields]);
      const read = new Set<string>();
      for (const query of reads) for (const column of await columnsRead(pool, query, USER_COLUMNS)) read.add(column);
      const extra = [...read].filter((column) => !allowed.has(column));
      expect(
        extra,
        `GET ${path} asks for ${fields.join(', ')} (and id), but Postgres read these columns of User too (EXPLAIN VERBOSE of the ` +
          `SQL sent): the select must hold only the asked fields. Picking them out of full rows afterwards moves every column, ` +
          `password hashes included, into your process. ${FIELDS}`,
      ).toEqual([]);
    }
  });

  test('a malformed cursor is a 400 naming cursor: not a 500, not a silent first page', async () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const garbage = [
      '', 'abc', '!!!', '-1', '0', '1.5', 'null', 'undefined', 'NaN', '%00', '..', 'A'.repeat(4_000), '99999999999999999999',
      b64('null'), b64('[]'), b64('{}'), b64('"x"'), b64('[null]'), b64('{"id":null}'), b64('[-1]'), b64('[0]'), b64('[1.5]'),
      b64('[2147483648]'), b64('{"id":-1}'), b64('{"id":0}'), b64('-1'), b64('0'), b64('2147483648'), b64('1.5'), b64('[[]]'),
      b64('[1e300]'), b64('{"id":"x"}'), b64('["2025-01-01T00:00:00.000Z",5]'),
    ];
    for (const bad of garbage) {
      const label = bad.length > 60 ? `${bad.slice(0, 16)}… (${bad.length} characters)` : bad === '' ? '(empty)' : bad;
      await expectRefused(`/api/users?limit=5&cursor=${bad}`, 'cursor', `cursor=${label} is not a cursor this API hands out`, PARAMS);
    }
    await expectRefused('/api/users?cursor=abc&cursor=def', 'cursor', 'a repeated cursor arrives as an array', PARAMS);
    await expectRefused('/api/users?cursor[a]=1', 'cursor', 'with the extended parser, cursor[a]=1 arrives as an object', PARAMS, 'extended');
    await expectRefused('/api/users?cursor[]=x', 'cursor', 'with the extended parser, cursor[]=x arrives as an array', PARAMS, 'extended');
  });

  test('a tampered or forged cursor is a 400, or the page right after the user it still names', async () => {
    const ids = await allIds();
    const first = await page('?limit=5');
    const cursor = first.nextCursor;
    expect(cursor, `GET /api/users?limit=5: there are more users, so nextCursor is a string. ${KEYSET}`).not.toBeNull();
    const last = first.data.at(-1)!.id;
    const genuine = await page(`?limit=5&cursor=${encodeURIComponent(cursor!)}`);
    expect(
      genuine.data.map((user) => user.id),
      `Following the nextCursor of the first page (which ended with user ${last}): the 5 users right after user ${last}. The cursor ` +
        `names the last user the page sent, and the next page starts after it. ${KEYSET}`,
    ).toEqual(ids.filter((id) => id > last).slice(0, 5));
    const seen = new Set<string>([cursor!]);
    for (const forged of forgeries(cursor!, last)) {
      if (seen.has(forged.cursor)) continue;
      seen.add(forged.cursor);
      const path = `/api/users?limit=5&cursor=${encodeURIComponent(forged.cursor)}`;
      const answer = await call(path);
      const label = `The cursor ${forged.how} (${forged.cursor.slice(0, 60)})`;
      const expected =
        forged.readsAs === 'any'
          ? 'a 400, or the users right after some id'
          : forged.readsAs.length > 0
            ? `a 400, or ${forged.readsAs.map((id) => `the page after user ${id}`).join(' or ')}`
            : 'a 400: it names no user id from 1 to 2,147,483,647 in digits';
      expect([200, 400], `${label} answered ${answer.status}: ${shown(answer)}; expected ${expected}. ${PARAMS}`).toContain(answer.status);
      if (answer.status === 400) {
        await expectRefused(path, 'cursor', `${label} was refused`, PARAMS);
        continue;
      }
      const got = (answer.body as Page).data?.map((user) => user.id) ?? [];
      const after = (position: number) => ids.filter((id) => id > position).slice(0, 5);
      const fits =
        forged.readsAs === 'any'
          ? JSON.stringify(got) === JSON.stringify(got.length === 0 ? [] : after(ids[ids.indexOf(got[0]!) - 1] ?? 0))
          : forged.readsAs.some((position) => JSON.stringify(got) === JSON.stringify(after(position)));
      expect(
        fits,
        `${label} answered 200 with users ${JSON.stringify(got)}; expected ${expected}. Decode a cursor strictly: digits only, an ` +
          `id from 1 to 2,147,483,647, or a 400 (never a first page for a cursor that did not decode). ${PARAMS}`,
      ).toBe(true);
    }
  });

  test('walking every page with nextCursor gives each user once, by id; the last page says null', async () => {
    const ids = await allIds();
    let cursor: string | null = null;
    const walked: number[] = [];
    let before1900: string | null = null;
    for (let pages = 1; pages <= Math.ceil(ids.length / 100) + 1; pages += 1) {
      const query = `?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const { data, nextCursor } = await page(query);
      const want = ids.slice(walked.length, walked.length + 100);
      expect(
        data.map((user) => user.id),
        `Page ${pages} of 100 users: expected users ${describeIds(want)}${want.length === 0 ? ' (the previous page was the last: its nextCursor should have been null)' : ''}. ${KEYSET}`,
      ).toEqual(want);
      walked.push(...data.map((user) => user.id));
      if (walked.length === ids.length) {
        expect(
          nextCursor,
          `Page ${pages} holds the last of the ${ids.length} users: its nextCursor must be null, not a cursor to an empty page ` +
            `(fetch limit + 1 rows: the extra one says whether there is a next page). ${KEYSET}`,
        ).toBeNull();
        break;
      }
      expect(nextCursor, `Page ${pages}: ${ids.length - walked.length} users are left, so nextCursor is a string. ${KEYSET}`).not.toBeNull();
      cursor = nextCursor;
      if (walked.length === ids.length - 100) before1900 = cursor;
    }
    expect(walked.length, `The walk returned ${walked.length} of ${ids.length} users. ${KEYSET}`).toBe(ids.length);
    // A short last page: 100 users left, 30 at a time (30, 30, 30, 10).
    cursor = before1900;
    const tail: number[] = [];
    for (let pages = 1; pages <= 4; pages += 1) {
      const { data, nextCursor } = await page(`?limit=30&cursor=${encodeURIComponent(cursor!)}`);
      tail.push(...data.map((user) => user.id));
      if (pages < 4) {
        expect(nextCursor, `With 100 users left, page ${pages} of 30: more users follow, so nextCursor is a string. ${KEYSET}`).not.toBeNull();
      } else {
        expect(nextCursor, `With 100 users left, page 4 of 30 holds the last 10: nextCursor must be null. ${KEYSET}`).toBeNull();
      }
      cursor = nextCursor;
    }
    expect(tail, `The last 100 users, 30 at a time: each once, by id. ${KEYSET}`).toEqual(ids.slice(-100));
    // One user at a time from the start: the first cursor names user 1, the smallest id there is.
    cursor = null;
    const single: number[] = [];
    for (let pages = 1; pages <= 3; pages += 1) {
      const { data, nextCursor } = await page(`?limit=1${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      single.push(...data.map((user) => user.id));
      expect(nextCursor, `Page ${pages} of one user: more users follow, so nextCursor is a string. ${KEYSET}`).not.toBeNull();
      cursor = nextCursor;
    }
    expect(single, `Three pages of one user each, from the start: users ${describeIds(ids.slice(0, 3))}. ${KEYSET}`).toEqual(ids.slice(0, 3));
    // The cursor must work whatever fields were asked for: id is in every select.
    const named = await page('?limit=100&fields=name');
    await expectUsers(named.data, ids.slice(0, 100), ['name'], 'GET /api/users?limit=100&fields=name');
    const next = await page(`?limit=100&fields=name&cursor=${encodeURIComponent(named.nextCursor ?? '')}`);
    await expectUsers(next.data, ids.slice(100, 200), ['name'], 'The page after it, with fields=name');
  });

  test('a page reads about as many rows as it returns, on the first page and 1,900 users deep', async () => {
    let cursor: string | null = null;
    for (let pages = 0; pages < 19; pages += 1) {
      cursor = (await page(`?limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`)).nextCursor;
      expect(cursor, `Walking to the 1,900th user, page ${pages + 1} of 100: more users follow, so nextCursor is a string. ${KEYSET}`).not.toBeNull();
    }
    for (const [path, where] of [['/api/users?limit=10', 'the first page'], [`/api/users?limit=10&cursor=${encodeURIComponent(cursor!)}`, 'the page after 1,900 users']] as const) {
      const answer = await call(path);
      expect(answer.status, `GET ${path} answered ${answer.status}: ${shown(answer)}. ${KEYSET}`).toBe(200);
      let rows = 0;
      for (const query of answer.queries.filter((q) => /^\s*(SELECT|WITH)\b/i.test(q.text))) {
        rows += rowsRead(await explain(pool, query, { analyze: true }), 'User');
      }
      expect(
        rows,
        `Serving ${where} of 10 users read ${rows.toLocaleString('en-US')} rows of User (EXPLAIN ANALYZE of the SQL sent). An ` +
          `OFFSET reads and throws away every row before the page; a count(*) to decide nextCursor reads every row after it. ` +
          `Fetch limit + 1 rows after the cursor's id: the extra row says whether there is a next page. ${KEYSET}`,
      ).toBeLessThan(200);
    }
  });

  test('a cursor stays on its place when users before it, or the user it names, are deleted', async () => {
    const first = await page('?limit=5');
    expect(first.data.map((user) => user.id), `GET /api/users?limit=5: users 1 to 5. ${PARAMS}`).toEqual([1, 2, 3, 4, 5]);
    const before = await call('/api/users/5');
    expect(before.status, `GET /api/users/5 answered ${before.status}: ${shown(before)}; expected 200 and user 5. ${PARAMS}`).toBe(200);
    // User 5 is the one the cursor names; user 2 is on the page already read; user 7 is ahead.
    await pool.query(`DELETE FROM "Post" WHERE "authorId" IN (2, 5, 7)`);
    await pool.query(`DELETE FROM "User" WHERE "id" IN (2, 5, 7)`);
    const second = await page(`?limit=5&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(
      second.data.map((user) => user.id),
      `Users 2, 5 and 7 were deleted after page 1 (users 1 to 5) was read: page 2 must be the users after id 5. An offset ` +
        `skips a user for each one deleted before it; Prisma's cursor option finds nothing when its row is gone. Page with ` +
        `"id greater than the last one sent". ${KEYSET}`,
    ).toEqual([6, 8, 9, 10, 11]);
    const gone = await call('/api/users/5');
    expect(
      gone.status,
      `GET /api/users/5 after user 5 was deleted answered ${gone.status}: ${shown(gone)}; expected 404. Every request reads the ` +
        `database: a user kept in memory from an earlier request is stale. ${PARAMS}`,
    ).toBe(404);
  });

  test('ids at the top of the range: user 2,147,483,647 is found, and cursors lead to it', async () => {
    await pool.query(`INSERT INTO "User" ("id", "name", "email", "passwordHash", "tier", "createdAt")
                      VALUES (2147483646, 'Second Largest', 'big1@example.test', 'x', 'pro', '2025-06-01'),
                             (2147483647, 'Largest Id', 'big2@example.test', 'x', 'basic', '2025-06-02')`);
    const top = await call(`/api/users/${MAX_ID}`);
    expect(top.status, `GET /api/users/${MAX_ID} (that user exists) answered ${top.status}: ${shown(top)}; expected 200. ${PARAMS}`).toBe(200);
    await expectUsers([top.body as PublicUser], [MAX_ID], PUBLIC, `GET /api/users/${MAX_ID}`);
    const ids = await allIds();
    let cursor: string | null = null;
    const walked: number[] = [];
    // Pages of up to 100 until two users are left (the two largest ids), then one at a time.
    while (ids.length - walked.length > 2) {
      const limit = Math.min(100, ids.length - walked.length - 2);
      const { data, nextCursor } = await page(`?limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(data.map((user) => user.id), `A page of ${limit} users, after ${walked.length} walked. ${KEYSET}`).toEqual(
        ids.slice(walked.length, walked.length + limit),
      );
      walked.push(...data.map((user) => user.id));
      cursor = nextCursor;
      expect(cursor, `${ids.length - walked.length} users are left: nextCursor is a string. ${KEYSET}`).not.toBeNull();
    }
    const tail: number[] = [];
    while (cursor !== null && tail.length < 5) {
      const { data, nextCursor } = await page(`?limit=1&cursor=${encodeURIComponent(cursor)}`);
      tail.push(...data.map((user) => user.id));
      cursor = nextCursor;
    }
    expect([...walked, ...tail], `Every user once, by id, the largest ids last, one at a time at the end. ${KEYSET}`).toEqual(ids);
    expect(cursor, `After user ${MAX_ID}, the last, nextCursor is null. ${KEYSET}`).toBeNull();
  });

  test('a query that fails in the database is a 500: a 400 is only for a parameter the client got wrong', async () => {
    // The table is moved away for the length of this test: every query the route sends fails.
    await pool.query(`ALTER TABLE "User" RENAME TO "UserMovedAway"`);
    try {
      for (const path of ['/api/users?limit=5', '/api/users/1', '/api/users?limit=5&fields=name']) {
        const answer = await call(path);
        expect(
          answer.status >= 500 && answer.status <= 599,
          `GET ${path} while the User table was missing answered ${answer.status}: ${shown(answer)}. The query failed in ` +
            `the database: that is the server's fault, a 500 (Express 5 sends one for what an async handler throws). A 400 ` +
            `tells the client to fix a parameter it got right; a 404 says the user does not exist. Answer 400 only for the ` +
            `errors your checks raise, and pass any other to next(error). ${PARAMS}`,
        ).toBe(true);
      }
    } finally {
      await pool.query(`ALTER TABLE "UserMovedAway" RENAME TO "User"`);
    }
    expect((await call('/api/users/1')).status, `GET /api/users/1 once the User table was back. ${PARAMS}`).toBe(200);
  });
});

/** A version of a real cursor, the ids it could still be read as (digits only), and how it was made. */
interface Forgery {
  how: string;
  cursor: string;
  /** 'any': the suite cannot tell; then a 200 must still be the users right after some id. */
  readsAs: number[] | 'any';
}

/** Values a forged cursor carries instead of the id: none of them names a user id but the ones read. */
const FORGED_TEXT: [string, number[]][] = [
  ['0', []], ['-1', []], ['-0', []], ['1.5', []], ['1e1', []], [' 5', []], ['5 ', []], ['+5', []], ['0x10', []], ['', []],
  ['abc', []], ['NaN', []], ['Infinity', []], ['2147483648', []], ['99999999999999999999', []], ['007', [7]], ['12', [12]],
  [String(MAX_ID), [MAX_ID]],
];
const FORGED_JSON: [unknown, number[]][] = [
  [0, []], [-1, []], [1.5, []], [2147483648, []], [1e300, []], [null, []], [true, []], [[5], []], [{ lt: 5 }, []], ['abc', []],
  ['', []], [' 5', []], ['1e1', []], ['12', [12]], [12, [12]], [MAX_ID, [MAX_ID]],
];

/**
 * Whatever the cursor's format, versions of it a client could craft. If the suite can read where
 * the id sits (the id as digits, base64url of them, or base64url JSON holding the id), it swaps in
 * hostile values; otherwise it garbles the cursor.
 */
function forgeries(cursor: string, id: number): Forgery[] {
  const b64 = (text: string) => Buffer.from(text).toString('base64url');
  if (cursor === String(id)) {
    return [
      ...FORGED_TEXT.map(([value, readsAs]) => ({ how: `as ${JSON.stringify(value)}`, cursor: value, readsAs })),
      { how: 'with "abc" appended', cursor: `${cursor}abc`, readsAs: [] },
    ];
  }
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const garbled: Forgery[] = [
    { how: 'with "!" appended', cursor: `${cursor}!`, readsAs: 'any' }, // base64 decoders skip what is not base64
    { how: 'cut in half', cursor: cursor.slice(0, Math.ceil(cursor.length / 2)), readsAs: 'any' },
    { how: 'with its digits replaced by letters', cursor: cursor.replace(/[0-9]/g, 'x'), readsAs: 'any' },
  ];
  if (b64(text) !== cursor) return garbled;
  if (text === String(id)) {
    return [...garbled, ...FORGED_TEXT.map(([value, readsAs]) => ({ how: `reading ${JSON.stringify(value)}`, cursor: b64(value), readsAs }))];
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return garbled;
  }
  const path = leafPath(decoded, id);
  if (path === undefined) return garbled;
  return [
    ...garbled,
    ...FORGED_JSON.map(([value, readsAs]) => ({
      how: `holding ${JSON.stringify(value)} where it held ${id}`,
      cursor: b64(JSON.stringify(replaceAt(decoded, path, value))),
      readsAs,
    })),
  ];
}

/** Where in a decoded cursor the id sits (as a number or as digits), if it is there once. */
function leafPath(value: unknown, id: number, at: (string | number)[] = []): (string | number)[] | undefined {
  if (value === id || value === String(id)) return at;
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const found = leafPath(child, id, [...at, Array.isArray(value) ? Number(key) : key]);
      if (found) return found;
    }
  }
  return undefined;
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[key!] = replaceAt(copy[key!], rest, replacement);
  return copy;
}
