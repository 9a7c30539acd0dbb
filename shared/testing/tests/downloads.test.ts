// The helpers the export suites judge with: download() tells a whole response from a cut-off one
// and can leave or pause; a streaming server's deadline counts from its last write; a table can be
// swapped for a view and back; a pool's connections can be found and ended.
import express from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, test } from 'vitest';
import { download } from '../downloads.ts';
import { replaceTableWithView } from '../table-swap.ts';
import { busyConnectionsOf, settledMemoryMb, startServer, terminateConnectionsOf, useTestDatabase, type StartedServer } from '../index.ts';
import { unansweredSince } from '../server.ts';

const db = useTestDatabase();
const servers: StartedServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

/** Chunks of 1 kB, `count` of them, `everyMs` apart; then the end, or a cut-off with `breakOff`. */
function chunks(count: number, everyMs: number, { breakOff = false } = {}) {
  return async (_req: express.Request, res: express.Response) => {
    for (let i = 0; i < count; i += 1) {
      res.write('x'.repeat(1024));
      await sleep(everyMs);
    }
    if (breakOff) res.destroy();
    else res.end(']');
  };
}

async function serve(app: express.Express, options?: Parameters<typeof startServer>[1]) {
  const server = await startServer(app, options);
  servers.push(server);
  return server.url;
}

test('download() tells a whole response from a cut-off one, and keeps the body only when asked', async () => {
  const app = express().get('/whole', chunks(5, 1)).get('/cut', chunks(5, 1, { breakOff: true }));
  const url = await serve(app);
  const whole = await download(`${url}/whole`, { keep: true });
  expect({ complete: whole.complete, received: whole.received, kept: whole.body.length, last: String.fromCharCode(whole.lastByte) }).toEqual({
    complete: true,
    received: 5 * 1024 + 1,
    kept: 5 * 1024 + 1,
    last: ']',
  });
  const cut = await download(`${url}/cut`);
  expect({ complete: cut.complete, received: cut.received, kept: cut.body.length }).toEqual({ complete: false, received: 5 * 1024, kept: 0 });
});

test('download() leaves after the bytes asked for, and pauses while afterFirstChunk runs', async () => {
  let written = 0;
  const app = express().get('/long', async (_req, res) => {
    for (let i = 0; i < 200 && !res.destroyed; i += 1) {
      res.write('y'.repeat(1024));
      written += 1;
      await sleep(2);
    }
    res.end();
  });
  const url = await serve(app);
  const left = await download(`${url}/long`, { leaveAfterBytes: 10 * 1024 });
  expect(left.complete).toBe(false);
  expect(left.received).toBeLessThan(200 * 1024);
  let calls = 0;
  const paused = await download(`${url}/long`, {
    afterFirstChunk: async () => {
      calls += 1;
      await sleep(100);
    },
  });
  expect({ complete: paused.complete, received: paused.received, calls }).toEqual({ complete: true, received: 200 * 1024, calls: 1 });
  expect(written).toBeGreaterThan(200);
});

test('with deadlineFromLastWrite, a long stream that keeps writing is not cut off; one that stops is, as stalled', async () => {
  const since = Date.now();
  const app = express().get('/steady', chunks(75, 20)).get('/stuck', async (_req, res) => void res.write('started'));
  const url = await serve(app, { routeDeadlineMs: 1_000, deadlineFromLastWrite: true });
  const steady = await download(`${url}/steady`); // 1.5 s in all, 20 ms between writes
  expect(steady.complete).toBe(true);
  const stuck = await download(`${url}/stuck`);
  expect(stuck.complete).toBe(false);
  expect(unansweredSince(since)).toEqual([{ method: 'GET', path: '/stuck', seconds: 1, stalled: true }]);
});

test('replaceTableWithView swaps a table for a view and back', async () => {
  const pool = db.pool();
  const count = async () => Number((await pool.query<{ count: string }>('SELECT count(*) FROM "Category"')).rows[0]!.count);
  const before = await count();
  const restore = await replaceTableWithView(pool, 'Category', 'SELECT * FROM "Category_rows" WHERE "id" <= 3');
  expect(await count()).toBe(3);
  await restore();
  expect(await count()).toBe(before);
});

test("busyConnectionsOf sees a pool's running query, terminateConnectionsOf ends its connections", async () => {
  const admin = db.pool();
  const watched = db.pool({ application_name: 'watched-pool' });
  const sleeping = watched.query('SELECT pg_sleep(30)').catch((error: Error) => error);
  let busy: { query: string }[] = [];
  for (let i = 0; i < 100 && busy.length === 0; i += 1) {
    busy = await busyConnectionsOf(admin, 'watched-pool');
    if (busy.length === 0) await sleep(20);
  }
  expect(busy.map((backend) => backend.query)).toEqual(['SELECT pg_sleep(30)']);
  expect(await terminateConnectionsOf(admin, 'watched-pool')).toBe(1);
  expect(String(await sleeping)).toMatch(/terminat/);
  expect(await busyConnectionsOf(admin, 'watched-pool')).toEqual([]);
});

test('settledMemoryMb counts Buffers that are held, and not those dropped', async () => {
  const before = await settledMemoryMb();
  let held: Buffer[] | undefined = Array.from({ length: 20 }, () => Buffer.alloc(1024 * 1024, 1));
  const holding = (await settledMemoryMb()) - before;
  held = undefined;
  const dropped = (await settledMemoryMb()) - before;
  void held;
  expect(holding).toBeGreaterThan(19);
  expect(dropped).toBeLessThan(5);
});
