// useTestDatabase(): this test file's own Postgres database (a clone of the template), with
// pools and a Prisma client whose every statement lands in one query log.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll } from 'vitest';
import type pg from 'pg';
import type { PrismaClient } from '../db/clients.ts';
import { createFileDatabase, dropFileDatabase } from './databases.ts';
import { QueryLog, logQueries } from './query-log.ts';
import { provided } from './context.ts';

export interface TestDatabase {
  /** The database's name and URL; available from beforeAll on. */
  readonly name: string;
  readonly url: string;
  /** Statements sent through pool() and prisma(). */
  readonly queries: QueryLog;
  /** A new pg pool on this database (closed after the file); its statements are logged. */
  pool(options?: pg.PoolConfig): pg.Pool;
  /** The file's Prisma client (one per file), over a logged pool. */
  prisma(): PrismaClient;
}

export function useTestDatabase(): TestDatabase {
  const queries = new QueryLog();
  const pools: pg.Pool[] = [];
  let created: { name: string; url: string } | undefined;
  let prisma: PrismaClient | undefined;
  // Imported when a file asks for a database, not when it imports the harness: the Prisma client
  // costs about 0.35 s in every worker, and most suite files use no database.
  let clients: typeof import('../db/clients.ts') | undefined;

  const ready = () => {
    if (!created || !clients) throw new Error('The test database exists from beforeAll on: use it inside hooks and tests.');
    return { ...created, clients };
  };
  const database: TestDatabase = {
    get name() {
      return ready().name;
    },
    get url() {
      return ready().url;
    },
    queries,
    pool(options) {
      const { url, clients } = ready();
      const pool = logQueries(clients.createPool(url, options), queries);
      pools.push(pool);
      return pool;
    },
    prisma() {
      return (prisma ??= ready().clients.createPrisma(database.pool()));
    },
  };

  beforeAll(async () => {
    [created, clients] = await Promise.all([createFileDatabase(provided('postgresUrl'), provided('templateDatabase')), import('../db/clients.ts')]);
  });
  afterAll(async () => {
    // pool.end() waits for every checked-out client; code under test that leaks one would hold
    // the file open until the hook times out. Give it a moment, then the database is dropped
    // WITH (FORCE), which closes whatever is left.
    const settle = (promise: Promise<unknown>) => Promise.race([promise.catch(() => {}), sleep(2_000)]);
    await settle(prisma?.$disconnect() ?? Promise.resolve());
    await Promise.all(pools.map((pool) => settle(pool.end())));
    if (created) await dropFileDatabase(provided('postgresUrl'), created.name);
  });
  return database;
}
