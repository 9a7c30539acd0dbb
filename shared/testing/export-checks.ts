// Checks both export suites make after a whole download: the route's connection is back in its
// pool as it should be, and the SQL it sent read only the columns the download holds.
import type pg from 'pg';
import { expect } from 'vitest';
import { tableColumnsRead } from './plans.ts';
import { returnedClients } from './pool-observation.ts';
import type { LoggedQuery } from './query-log.ts';

/** Whose words the messages use: "export" or "download", and the lesson section to read. */
interface Wording {
  what: string;
  hint: string;
}

/** After a whole download (nothing checked out): a healthy connection was kept in `pool`, with no listener left on it. */
export async function expectHealthyClientsReturned(pool: pg.Pool, reference: pg.Pool, { what, hint }: Wording): Promise<void> {
  const { idle, extraErrorListeners } = await returnedClients(pool, reference);
  expect(
    idle,
    `After a whole ${what}, no connection was left in your pool: release a healthy client with release(), and destroy it ` +
      `(release(error)) only when it failed; otherwise every ${what} pays for a new connection. ${hint}`,
  ).toBeGreaterThan(0);
  expect(
    extraErrorListeners,
    `Your ${what} left ${extraErrorListeners} 'error' listener(s) on its pool client: remove what you add (client.off) before ` +
      `releasing it, or they pile up with every ${what}. ${hint}`,
  ).toBe(0);
}

/** The statements sent for a whole download read the exported columns of "Post", and not its content. */
export async function expectPostContentNotRead(reference: pg.Pool, queries: LoggedQuery[], { what, hint }: Wording): Promise<void> {
  const { statements, read } = await tableColumnsRead(reference, queries, 'Post', ['id', 'title', 'content', 'status', 'authorId', 'createdAt']);
  expect(statements, `A whole ${what} sent no SELECT on "Post" through the pool it was given. ${hint}`).toBeGreaterThan(0);
  expect(
    read.filter((column) => column === 'content'),
    `Your ${what} made Postgres read every post's content, which the ${what} does not hold (EXPLAIN VERBOSE of the SQL sent). ` +
      `Select the exported columns by name: SELECT * reads every column, and any added later, only for the code to drop them. ${hint}`,
  ).toEqual([]);
}
