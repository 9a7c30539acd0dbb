// vitest globalSetup: find (or start) Postgres and Redis once per run, make sure the template
// database is current, and hand the URLs to the test files. Its teardown stops what it started.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { provideServices } from './services/index.ts';
import { ensureTemplate } from './template.ts';
import { sweepAbandonedFileDatabases } from './databases.ts';
import './context.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The workbook's commands have already said where the services come from.
  const services = await provideServices(undefined, process.env.WORKBOOK_SERVICES_SAID ? () => {} : undefined);
  const stopAll = () => Promise.all([services.postgres.stop(), services.redis.stop()]).then(() => {});
  try {
    const swept = await sweepAbandonedFileDatabases(services.postgres.url);
    if (swept.length > 0) console.log(`[workbook] dropped ${swept.length} database(s) left by interrupted runs`);
    const template = await ensureTemplate(services.postgres.url, (line) => console.log(line));
    project.provide('postgresUrl', services.postgres.url);
    project.provide('templateDatabase', template);
    project.provide('redisUrl', services.redis.url);
    project.provide('runId', `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
