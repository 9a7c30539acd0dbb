// A worker of lesson 06's benchmark cluster: a light JSON route and a CPU-heavy one, with the
// lesson's graceful shutdown.
import { pbkdf2Sync } from 'node:crypto';
import express from 'express';
import { handleShutdown } from '../../solutions/06-clustering/shutdown.ts';

const app = express();
app.get('/light', (_request, response) => {
  response.json({ ok: true, at: Date.now() });
});
// About 4 ms of CPU per request on this machine kind, as hashing, templating or a big JSON.stringify takes.
app.get('/heavy', (_request, response) => {
  response.json({ hash: pbkdf2Sync('password', 'salt', 16_000, 32, 'sha256').toString('hex') });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
handleShutdown({ server, log: () => {} });
