// What a benchmark gets: its own database (a clone of the template) and Redis, found the same
// way the suites find them, removed afterwards.
import { provideServices } from '../shared/testing/services/index.ts';
import { ensureTemplate } from '../shared/testing/template.ts';
import { createFileDatabase, dropFileDatabase } from '../shared/testing/databases.ts';

export interface BenchContext {
  databaseUrl: string;
  redisUrl: string;
}

export async function withBenchContext<T>(work: (context: BenchContext) => Promise<T>): Promise<T> {
  const services = await provideServices(undefined, (line) => console.error(line));
  try {
    const template = await ensureTemplate(services.postgres.url, (line) => console.error(line));
    const database = await createFileDatabase(services.postgres.url, template);
    try {
      return await work({ databaseUrl: database.url, redisUrl: services.redis.url });
    } finally {
      await dropFileDatabase(services.postgres.url, database.name);
    }
  } finally {
    await Promise.all([services.postgres.stop(), services.redis.stop()]);
  }
}
