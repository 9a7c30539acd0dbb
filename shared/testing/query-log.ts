// Every SQL statement sent through a pool the harness made (raw pg or Prisma's adapter),
// so a suite can say "this page took 2 statements" instead of timing it.
import type pg from 'pg';

export interface CountedCall<T> {
  result: T;
  statements: string[];
  count: number;
}

export class QueryLog {
  readonly statements: string[] = [];

  record(text: string): void {
    this.statements.push(text);
  }

  clear(): void {
    this.statements.length = 0;
  }

  /** Runs `work` and returns its result with the statements sent while it ran. */
  async count<T>(work: () => Promise<T>): Promise<CountedCall<T>> {
    const from = this.statements.length;
    const result = await work();
    const statements = this.statements.slice(from);
    return { result, statements, count: statements.length };
  }
}

type QueryFn = (...args: unknown[]) => unknown;

/** Records each query any client of this pool sends, from the moment it connects. */
export function logQueries(pool: pg.Pool, log: QueryLog): pg.Pool {
  pool.on('connect', (client) => {
    const original = client.query as unknown as QueryFn;
    const recording: QueryFn = function (this: unknown, ...args) {
      log.record(statementText(args[0]));
      return original.apply(this, args);
    };
    (client as unknown as { query: QueryFn }).query = recording;
  });
  return pool;
}

function statementText(config: unknown): string {
  if (typeof config === 'string') return config;
  if (config && typeof config === 'object' && 'text' in config) return String(config.text);
  return String(config);
}
