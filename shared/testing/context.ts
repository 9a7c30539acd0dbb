// What globalSetup hands to every test file: strings only (vitest's provide/inject).
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the Postgres server (a database this run may create databases from). */
    postgresUrl: string;
    /** The template database each file clones. */
    templateDatabase: string;
    redisUrl: string;
    /** Unique per run: the root of every Redis key prefix of this run. */
    runId: string;
  }
}

export function provided<K extends 'postgresUrl' | 'templateDatabase' | 'redisUrl' | 'runId'>(key: K): string {
  const value = inject(key);
  if (!value) {
    throw new Error(
      `The test harness did not provide "${key}". Run the suites through vitest with this project's ` +
        'vitest.config.ts (npm test), which starts the services first.',
    );
  }
  return value;
}
