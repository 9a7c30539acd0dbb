// The server of lesson 04's benchmark. MODE=buffered serves the JSON export as the starter builds
// it (every row loaded, then stringified), MODE=streamed the lesson's (a cursor through pipeline()), on
// DATABASE_URL; GET /bench/heap answers the highest heap use since the last call, sampled every
// 5 ms. MODE=compress serves the compression exercise's app (the lesson's solution), which
// compresses as each request's Accept-Encoding asks.
import express from 'express';
import { createPool } from '../../shared/db/clients.ts';
import { createApp } from '../../solutions/04-responses/compress.ts';
import { EXPORT_SQL, exportsRouter } from '../../solutions/04-responses/exports.ts';

const mode = process.env.MODE;
const app = mode === 'compress' ? createApp() : express();

if (mode === 'buffered' || mode === 'streamed') {
  const pool = createPool(process.env.DATABASE_URL!, { max: 2 });
  const mb = () => process.memoryUsage().heapUsed / 1024 / 1024;
  let peak = mb();
  setInterval(() => (peak = Math.max(peak, mb())), 5).unref();
  app.get('/bench/heap', (_request, response) => {
    globalThis.gc?.();
    response.json({ peakMb: peak, nowMb: mb() });
    peak = mb();
  });
  if (mode === 'streamed') {
    app.use('/api', exportsRouter(pool));
  } else {
    app.get('/api/export/posts.json', async (_request, response) => {
      const { rows } = await pool.query(EXPORT_SQL);
      response.type('application/json').send(JSON.stringify(rows));
    });
  }
}

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
