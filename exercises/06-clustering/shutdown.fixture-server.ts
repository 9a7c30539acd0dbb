// The process the shutdown suite starts (not the learner's code): an Express app with a
// PostgreSQL pool and a Redis client, whose shutdown is the handleShutdown under test
// (WORKBOOK_SHUTDOWN, a path; options in WORKBOOK_SHUTDOWN_OPTIONS). Lines starting with
// "@@fixture" tell the suite what happened and when.
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { handleShutdown as HandleShutdown, Resource, ShutdownOptions } from './shutdown.ts';

const { handleShutdown } = (await import(pathToFileURL(process.env.WORKBOOK_SHUTDOWN!).href)) as { handleShutdown: typeof HandleShutdown };
const options = JSON.parse(process.env.WORKBOOK_SHUTDOWN_OPTIONS ?? '{}') as Omit<ShutdownOptions, 'server'>;
const mode = process.env.WORKBOOK_FIXTURE_MODE ?? 'normal';
const say = (line: string) => process.stdout.write(`@@fixture ${line} ${Date.now()}\n`);

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2, application_name: `workbook-shutdown-${process.pid}` });
const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
await Promise.all([pool.query('SELECT 1'), redis.connect()]);

let ready = true;
const app = express();
app.get('/readyz', (_request, response) => {
  response.status(ready ? 200 : 503).json({ ready });
});
app.get('/pid', (_request, response) => {
  response.json({ pid: process.pid });
});
// Uses the pool and the client after the wait: closing them before the request ends breaks it.
app.get('/slow', async (request, response) => {
  say('slow-request');
  await sleep(Number(request.query.ms ?? 1000));
  try {
    const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
    await redis.ping();
    response.json({ one: rows[0]!.one });
    say('slow-answered');
  } catch (error) {
    response.status(500).json({ error: (error as Error).message });
    say('slow-failed');
  }
});
app.get('/hang', () => say('hanging-request'));

const server = app.listen(0, '127.0.0.1', () => say(`listening ${(server.address() as AddressInfo).port}`));
// Longer than a load balancer's idle timeout, as it should be in production: an idle keep-alive
// connection is not closed by the server for a minute.
server.keepAliveTimeout = 60_000;
server.on('close', () => say('server-closed'));

// Each close takes a little while, as a real one does: closes run in order only if the next waits.
const tracked = (name: string, close: () => Promise<unknown>): Resource => ({
  name,
  async close() {
    say(`closing ${name}`);
    await close();
    await sleep(30);
    say(`closed ${name}`);
  },
});
const resources: Resource[] = [tracked('postgres', () => pool.end()), tracked('redis', () => redis.quit())];
// First in line: the ones after it must still be closed.
if (mode === 'failing-resource') resources.unshift(tracked('broken', () => Promise.reject(new Error('cannot close'))));
// Stuck as a real client is: an open handle that never finishes closing.
if (mode === 'stuck-resource') resources.push(tracked('stuck', () => new Promise(() => setInterval(() => {}, 1_000))));

// With WORKBOOK_FIXTURE_MINIMAL, onShutdown and log are left out, to see the defaults at work.
const hooks: Pick<ShutdownOptions, 'onShutdown' | 'log'> = {
  onShutdown: () => {
    ready = false;
    say('on-shutdown');
  },
  log: (line) => process.stdout.write(`@@log ${line}\n`),
};
// With WORKBOOK_FIXTURE_NO_RESOURCES, resources are left out too (the default: none).
handleShutdown({ ...options, server, ...(process.env.WORKBOOK_FIXTURE_NO_RESOURCES ? {} : { resources }), ...(process.env.WORKBOOK_FIXTURE_MINIMAL ? {} : hooks) });

// The latest exit the suite accepts after SIGTERM, on this process's own timers: they fire in
// the order they expire, so on a busy machine this one is late exactly when the deadline under
// test is, and a correct deadline still comes first. Unref'd: it keeps nothing alive.
const exitByMs = Number(process.env.WORKBOOK_FIXTURE_EXIT_BY_MS ?? 0);
if (exitByMs > 0) process.once('SIGTERM', () => setTimeout(() => say('exit-overdue'), exitByMs).unref());
