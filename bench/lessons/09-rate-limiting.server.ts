// The server of lesson 09's benchmark: the lesson's API with its limits far above the load, so
// every request is counted and none refused. STORE=none mounts the routes without the limiter,
// STORE=memory uses the library's memory store, STORE=redis the lesson's app (the Redis store),
// STORE=sliding the sliding window in front of the routes. GET /bench/commands answers the Redis
// commands sent since the last call.
import express from 'express';
import { rateLimit } from 'express-rate-limit';
import { Redis } from 'ioredis';
import { createApp } from '../../solutions/09-rate-limiting/app.ts';
import { createSlidingWindowLimiter } from '../../solutions/09-rate-limiting/sliding.ts';
import { watchCommands } from '../../shared/testing/redis-commands.ts';
import { scanKeys } from '../../shared/testing/test-redis.ts';

const HIGH = 1_000_000_000;
const store = process.env.STORE;
const redis = new Redis(process.env.REDIS_URL!);
const prefix = `wb:bench:${process.pid}:`;
const watch = watchCommands(redis);

const items = { items: [{ id: 1, name: 'kettle' }, { id: 2, name: 'teapot' }] };
const routes = express();
routes.get('/api/items', (_request, response) => void response.json(items));

const app = express();
app.get('/bench/commands', (_request, response) => {
  response.json({ commands: watch.sent.length });
  watch.reset();
});
if (store === 'redis') {
  app.use(createApp({ redis, prefix, windowMs: 60_000, limits: { free: HIGH, basic: HIGH, pro: HIGH }, trustedProxies: 0, users: new Map() }));
} else {
  if (store === 'memory') app.use('/api', rateLimit({ windowMs: 60_000, limit: HIGH, standardHeaders: 'draft-8', legacyHeaders: false }));
  if (store === 'sliding') {
    // The set holds every request of the last window: a 1 s window keeps it to one second of load.
    const sliding = createSlidingWindowLimiter({ redis, prefix, windowMs: 1_000, limit: HIGH });
    app.use('/api', (request, response, next) => {
      sliding.hit(request.ip ?? '').then((decision) => (decision.allowed ? next() : response.status(429).end()), next);
    });
  }
  app.use(routes);
}

const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void (async () => {
    const keys = await scanKeys(redis, prefix);
    if (keys.length > 0) await redis.unlink(...keys);
    redis.disconnect();
  })();
});
