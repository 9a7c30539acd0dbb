// A worker the primary's suite runs (not the learner's code): a small HTTP server on the port the
// suite gives, that shuts down gracefully on SIGTERM, SIGINT or a disconnect from the primary, or
// misbehaves as WORKBOOK_FIXTURE_MODE asks: "crash" (throws at start-up), "stubborn" (gets stuck
// in a synchronous loop when asked to stop), "dirty" (stops, but exits with code 3). Lines starting with "@@fixture" tell the suite what happened.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const mode = process.env.WORKBOOK_FIXTURE_MODE ?? 'serve';
const say = (line: string) => process.stdout.write(`@@fixture ${line} ${process.pid}\n`);

say('start');
if (mode === 'crash') throw new Error('the fixture worker fails at start-up');

let stopping = false;
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const reply = (body: object) => response.setHeader('content-type', 'application/json').end(JSON.stringify({ pid: process.pid, ...body }));
  if (url.pathname === '/pid') return reply({});
  if (url.pathname === '/slow') {
    say('slow-request');
    setTimeout(() => reply({ slow: true }), Number(url.searchParams.get('ms') ?? 1000));
    return;
  }
  if (url.pathname === '/hang') {
    say('hanging-request');
    return;
  }
  if (url.pathname === '/exit') {
    reply({});
    response.once('finish', () => process.exit(Number(url.searchParams.get('code') ?? 1)));
    return;
  }
  response.statusCode = 404;
  reply({});
});
// A connection that finishes its request during shutdown is closed, not kept alive.
server.on('request', (_request, response) => response.once('finish', () => stopping && server.closeIdleConnections()));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => say(`listening ${(server.address() as AddressInfo).port}`));

function shutdown() {
  if (mode === 'stubborn') {
    // Stuck in synchronous work, as a worker in an endless loop is: it will never act on a
    // signal or a disconnect again. Only SIGKILL ends it.
    say('stuck');
    for (;;);
  }
  if (stopping) return;
  stopping = true;
  say('stopping');
  server.close(() => process.exit(mode === 'dirty' ? 3 : 0));
  server.closeIdleConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
cluster.worker?.on('disconnect', shutdown);
