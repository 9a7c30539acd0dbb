// The server of lesson 07's benchmark: the lesson's route, with its tasks run inline (MODE=inline,
// the starter's way) or in the lesson's pool of THREADS threads. GET /bench/loop-delay answers the
// event loop's delay p99 since the last call, in milliseconds, and starts a new measurement;
// GET /bench/hashes-received counts the hash requests that have arrived.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import express from 'express';
import { createApp } from '../../solutions/07-workers/app.ts';
import stretch, { createHashPool, type HashPool } from '../../solutions/07-workers/pool.ts';

const inline: HashPool = { run: async (input) => stretch(input), destroy: async () => {} };
const pool = process.env.MODE === 'inline' ? inline : createHashPool({ maxThreads: Number(process.env.THREADS), maxQueue: 256 });
const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
let hashesReceived = 0;
const app = express();
app.use('/api/hash', (_request, _response, next) => {
  hashesReceived += 1;
  next();
});
app.get('/bench/loop-delay', (_request, response) => {
  response.json({ p99Ms: histogram.percentile(99) / 1e6 });
  histogram.reset();
});
app.get('/bench/hashes-received', (_request, response) => {
  response.json({ hashesReceived });
});
app.use(createApp({ pool, timeoutMs: 60_000 }));
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  void pool.destroy();
  server.closeAllConnections();
});
