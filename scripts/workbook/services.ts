// The learner's and the instructor's commands find (or start) PostgreSQL and Redis before vitest
// runs: a machine with neither gets the services message first and alone (not after vitest's
// own lines), and the run's global setup simply uses the servers found here.
import { provideServices, ServicesUnavailableError } from '../../shared/testing/services/index.ts';

/** Runs `work` with the servers' URLs for vitest's environment; 1 with the message when there are none. */
export async function withServices(work: (env: NodeJS.ProcessEnv) => Promise<number>): Promise<number> {
  let services;
  try {
    services = await provideServices(undefined, (line) => console.error(line));
  } catch (error) {
    if (!(error instanceof ServicesUnavailableError)) throw error;
    console.error(error.message);
    return 1;
  }
  try {
    return await work({ WORKBOOK_SOURCE: 'env', DATABASE_URL: services.postgres.url, REDIS_URL: services.redis.url, WORKBOOK_SERVICES_SAID: '1' });
  } finally {
    await Promise.all([services.postgres.stop(), services.redis.stop()]);
  }
}
