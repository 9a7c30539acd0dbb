// GET /api/products/:id through the cache (cache-aside), PUT writes the database and then
// invalidates. X-Cache says where a GET's answer came from: memory, redis or miss.
import express, { type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../../shared/db/clients.ts';
import { MultiLayerCache } from './cache.ts';

export interface ProductsAppOptions {
  prisma: PrismaClient;
  redis: Redis;
  /** Prefix of the cache's Redis keys; instances that share it share the cache. */
  namespace: string;
}

export interface ProductsApp {
  app: express.Express;
  close(): Promise<void>;
}

/** The cache key of a product; the warmer (warmer.ts) writes the same keys. */
export const productKey = (id: number) => `product:${id}`;

export function createProductsApp({ prisma, redis, namespace }: ProductsAppOptions): ProductsApp {
  const cache = new MultiLayerCache<unknown>({ redis, namespace, l1Max: 10_000, l1TtlMs: 60_000 });
  const app = express();
  app.use(express.json());

  // TODO: the tutorial's route. Concurrent requests for a cold product each query the
  // database (use the Deduplicator from dedupe.ts), a missing product answers 200 with null,
  // and PUT never invalidates, so readers keep the old product until it expires.
  app.get('/api/products/:id', async (req: Request, res: Response) => {
    const id = Number(req.params.id);
    const { value, source } = await cache.get(productKey(id));
    if (value) {
      res.setHeader('X-Cache', source);
      return void res.json(value);
    }
    const product = await prisma.product.findUnique({ where: { id } });
    if (product) await cache.set(productKey(id), JSON.parse(JSON.stringify(product)), 300);
    res.setHeader('X-Cache', 'miss');
    res.json(product);
  });
  app.put('/api/products/:id', async (req: Request, res: Response) => {
    const id = Number(req.params.id);
    const { name, price } = (req.body ?? {}) as { name?: string; price?: string };
    const product = await prisma.product.update({ where: { id }, data: { name, price } });
    res.json(product);
  });

  return { app, close: () => cache.close() };
}
