// Exercise 02 · indexes: write indexes.sql; the suite applies it to this file's own database
// and reads the plans of the lesson's queries. Run it with: npm test -- 02-queries/indexes
import { beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { explain, type PlanNode, planNodes, sqlStatements as statements, suiteSection, useTestDatabase } from '../../shared/testing/index.ts';
import indexesSql from './indexes.sql?raw';

const READ = suiteSection('02-queries', '5. Indexes and EXPLAIN');
const db = useTestDatabase();
let pool: pg.Pool;
let applyError: string | undefined;
/** The indexes on Post before indexes.sql ran (the primary key): the others are the file's. */
let indexesBefore = new Set<string>();

const QUERIES = {
  byAuthor: `SELECT * FROM "Post" WHERE "authorId" = 42`,
  latestByAuthor: `SELECT "id", "title", "createdAt" FROM "Post" WHERE "authorId" = 42 ORDER BY "createdAt" DESC LIMIT 10`,
  publishedListing: `SELECT "id", "title", "createdAt" FROM "Post" WHERE "status" = 'published' ORDER BY "createdAt" DESC LIMIT 20`,
};

beforeAll(async () => {
  pool = db.pool();
  indexesBefore = new Set((await indexKeys()).keys());
  try {
    for (const statement of statements(indexesSql)) await pool.query(statement);
  } catch (error) {
    applyError = (error as Error).message;
  }
  await pool.query('ANALYZE "Post"');
});

/** "Seq Scan on Post (Filter: …)", as a plan node would be quoted in psql. */
function describeNode(node: PlanNode): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  const detail = node.Filter ?? node['Index Cond'] ?? ('Sort Key' in node ? `Sort Key: ${String(node['Sort Key'])}` : '');
  return `${node['Node Type']}${using}${on}${detail ? ` (${detail})` : ''}`;
}

async function plan(query: string): Promise<{ nodes: PlanNode[]; text: string }> {
  const nodes = planNodes(await explain(pool, query));
  return { nodes, text: nodes.map(describeNode).join(' → ') };
}

describe('indexes for the lesson queries', () => {
  test('indexes.sql applies cleanly, one statement at a time', () => {
    expect(applyError, `Applying indexes.sql failed. ${READ}`).toBeUndefined();
  });

  test('builds its indexes CONCURRENTLY, so a live table keeps taking writes', () => {
    const creates = statements(indexesSql).filter((statement) => /^create\s+(unique\s+)?index/i.test(statement));
    expect(creates.length, 'indexes.sql should create at least one index').toBeGreaterThan(0);
    const blocking = creates.filter((statement) => !/\bconcurrently\b/i.test(statement));
    expect(blocking, `These lock "Post" against writes while they build; use CREATE INDEX CONCURRENTLY. ${READ}`).toEqual([]);
  });

  test("an author's posts: no sequential scan on Post", async () => {
    const { nodes, text } = await plan(QUERIES.byAuthor);
    const seq = nodes.find((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'Post');
    expect(seq && describeNode(seq), `${QUERIES.byAuthor}\n  plan: ${text}\n  expected an index on authorId. ${READ}`).toBeUndefined();
  });

  test("an author's posts come from an index that starts with authorId", async () => {
    // An index with authorId in second place still avoids a Seq Scan: Postgres can scan the
    // whole index and check authorId on every entry. Entries of one author are together only
    // when authorId comes first.
    for (const query of [QUERIES.byAuthor, QUERIES.latestByAuthor]) {
      const { nodes, text } = await plan(query);
      const used = [...new Set(nodes.map((node) => node['Index Name']).filter((name): name is string => !!name))];
      const keys = await indexKeys();
      const onPost = used.filter((name) => keys.has(name));
      expect(onPost.length, `${query}\n  plan: ${text}\n  expected an index scan on Post. ${READ}`).toBeGreaterThan(0);
      for (const name of onPost) {
        expect(
          keys.get(name)![0],
          `${query}\n  plan: ${text}\n  ${name} is (${keys.get(name)!.join(', ')}): with authorId not first, an author's ` +
            `entries are spread over the whole index, and it is read from end to end. Put the equality column first: ` +
            `("authorId", "createdAt" DESC). ${READ}`,
        ).toBe('"authorId"');
      }
    }
  });

  test("an author's latest posts: read in index order, no Sort node", async () => {
    const { nodes, text } = await plan(QUERIES.latestByAuthor);
    const sort = nodes.find((node) => node['Node Type'] === 'Sort' || node['Node Type'] === 'Incremental Sort');
    expect(
      sort && describeNode(sort),
      `${QUERIES.latestByAuthor}\n  plan: ${text}\n  expected an index on (authorId, createdAt) so rows come out already ordered. ${READ}`,
    ).toBeUndefined();
  });

  test('the published listing is served by a partial index, without sorting', async () => {
    const { nodes, text } = await plan(QUERIES.publishedListing);
    const partial = await partialIndexes();
    const used = nodes.filter((node) => node['Index Name'] && partial.has(node['Index Name']));
    expect(
      used.length,
      `${QUERIES.publishedListing}\n  plan: ${text}\n  expected an index scan on a partial index (… WHERE status = 'published'); ` +
        `partial indexes on Post: ${[...partial].join(', ') || 'none'}. An index on (status, createdAt) is not one. ${READ}`,
    ).toBeGreaterThan(0);
    expect(nodes.some((node) => node['Node Type'].includes('Sort')), `no Sort expected: ${text}`).toBe(false);
  });

  test('every index the file creates is used by one of the queries', async () => {
    const keys = await indexKeys();
    const created = [...keys.keys()].filter((name) => !indexesBefore.has(name));
    const plans = await Promise.all(Object.values(QUERIES).map((query) => plan(query)));
    const used = new Set(plans.flatMap(({ nodes }) => nodes.map((node) => node['Index Name']).filter((name): name is string => !!name)));
    const unused = created.filter((name) => !used.has(name));
    expect(
      unused.map((name) => `${name} (${keys.get(name)!.join(', ')})`),
      `indexes.sql creates these, and none of the three queries uses them:\n  ${Object.values(QUERIES)
        .map((query, i) => `${query}\n    plan: ${plans[i]!.text}`)
        .join('\n  ')}\n  The queries need two indexes; every other one costs on every write and helps no query (a full ` +
        `("createdAt") index beside the partial one, say: the listing reads the partial one). ${READ}`,
    ).toEqual([]);
  });

  test('no index is redundant (a prefix of another on the same rows)', async () => {
    const redundant = await redundantIndexes();
    expect(redundant, `Every index slows every write and takes space; these add nothing. ${READ}`).toEqual([]);
  });
});

/** Names of indexes on Post with a WHERE clause that mentions published. */
async function partialIndexes(): Promise<Set<string>> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = '"Post"'::regclass AND i.indpred IS NOT NULL
       AND pg_get_expr(i.indpred, i.indrelid) ILIKE '%published%'`,
  );
  return new Set(rows.map((row) => row.name));
}

/** The key columns of each index on Post, by name: e.g. ['"authorId"', '"createdAt" DESC']. */
async function indexKeys(): Promise<Map<string, string[]>> {
  const { rows } = await pool.query<{ name: string; keys: string[] }>(
    `SELECT c.relname AS name,
            array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) AS keys
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = '"Post"'::regclass`,
  );
  return new Map(rows.map((row) => [row.name, row.keys]));
}

/** "A (authorId) is a prefix of B (authorId, createdAt DESC)" for each such pair. */
async function redundantIndexes(): Promise<string[]> {
  const { rows } = await pool.query<{ name: string; keys: string; predicate: string | null }>(
    `SELECT c.relname AS name,
            array_to_string(array(SELECT pg_get_indexdef(i.indexrelid, k, true)
                                   FROM generate_series(1, i.indnkeyatts) k), ', ') AS keys,
            pg_get_expr(i.indpred, i.indrelid) AS predicate
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     WHERE i.indrelid = '"Post"'::regclass AND NOT i.indisunique`,
  );
  const found: string[] = [];
  for (const a of rows) {
    for (const b of rows) {
      if (a === b || a.predicate !== b.predicate) continue;
      const aKeys = a.keys.split(', ').map((key) => key.replace(/ DESC$/, ''));
      const bKeys = b.keys.split(', ').map((key) => key.replace(/ DESC$/, ''));
      if (aKeys.length < bKeys.length && aKeys.every((key, i) => key === bKeys[i])) {
        found.push(`${a.name} (${a.keys}) is a prefix of ${b.name} (${b.keys})`);
      }
    }
  }
  return found;
}
