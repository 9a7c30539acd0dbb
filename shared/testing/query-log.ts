// Every SQL statement sent through a pool the harness made (raw pg or Prisma's adapter),
// so a suite can say "this page took 2 statements" instead of timing it.
import type pg from 'pg';

export interface LoggedQuery {
  text: string;
  /** Bound parameters, so a suite can EXPLAIN exactly what was sent. */
  values: unknown[];
}

export interface CountedCall<T> {
  result: T;
  /** The SQL text of each statement, in order. */
  statements: string[];
  queries: LoggedQuery[];
  count: number;
}

export class QueryLog {
  readonly queries: LoggedQuery[] = [];

  get statements(): string[] {
    return this.queries.map((query) => query.text);
  }

  record(query: LoggedQuery): void {
    this.queries.push(query);
  }

  clear(): void {
    this.queries.length = 0;
  }

  /** Runs `work` and returns its result with the statements sent while it ran. */
  async count<T>(work: () => Promise<T>): Promise<CountedCall<T>> {
    const from = this.queries.length;
    const result = await work();
    const queries = this.queries.slice(from);
    return { result, queries, statements: queries.map((query) => query.text), count: queries.length };
  }
}

type QueryFn = (...args: unknown[]) => unknown;

/** Records each query any client of this pool sends, from the moment it connects. */
export function logQueries(pool: pg.Pool, log: QueryLog): pg.Pool {
  pool.on('connect', (client) => {
    const original = client.query as unknown as QueryFn;
    const recording: QueryFn = function (this: unknown, ...args) {
      log.record(loggedQuery(args[0], args[1]));
      return original.apply(this, args);
    };
    (client as unknown as { query: QueryFn }).query = recording;
  });
  return pool;
}

/** pg accepts query(text, values), query({ text, values, … }), and a QueryStream (its cursor holds the statement). */
function loggedQuery(config: unknown, values: unknown): LoggedQuery {
  if (typeof config === 'string') return { text: config, values: Array.isArray(values) ? values : [] };
  if (config && typeof config === 'object' && 'cursor' in config && config.cursor && typeof config.cursor === 'object' && 'text' in config.cursor) {
    return loggedQuery(config.cursor, undefined);
  }
  if (config && typeof config === 'object' && 'text' in config) {
    const fromConfig = 'values' in config && Array.isArray(config.values) ? config.values : [];
    return { text: String(config.text), values: Array.isArray(values) ? values : fromConfig };
  }
  return { text: String(config), values: [] };
}
