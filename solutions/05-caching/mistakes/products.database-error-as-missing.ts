// Known wrong (a database error is taken for "no such product", and cached: an outage makes products that exist 404 for the next 30 s).
// GET /api/products/:id through the cache (cache-aside), PUT writes the database and then
// invalidates. X-Cache says where a GET's answer came from: memory, redis or miss.
import express, { type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../../../shared/db/clients.ts';
import { MultiLayerCache } from '../cache.ts';
import { Deduplicator } from '../dedupe.ts';

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
const PRODUCT_TTL_SECONDS = 300;
/** "No such product" is cached too, briefly, so a flood of requests for it stays off the database. */
const MISSING_TTL_SECONDS = 30;

/** A product as JSON, or null for "no such product". The warmer writes the same values. */
type Entry = object | null;

export function createProductsApp({ prisma, redis, namespace }: ProductsAppOptions): ProductsApp {
  const cache = new MultiLayerCache<Entry>({ redis, namespace, l1Max: 10_000, l1TtlMs: 60_000 });
  const inFlight = new Deduplicator<{ entry: Entry; source: string }>();

  // The whole read (cache, then database, then fill) is deduplicated, so requests arriving
  // together for a cold product cost one database query between them.
  const read = (id: number) =>
    inFlight.run(productKey(id), async () => {
      const cached = await cache.get(productKey(id));
      if (cached.value !== undefined) return { entry: cached.value, source: cached.source };
      const product = await prisma.product.findUnique({ where: { id } }).catch(() => null);
      // Cached as JSON, the same text whether it comes from memory, Redis or here.
      const entry: Entry = product ? (JSON.parse(JSON.stringify(product)) as object) : null;
      await cache.set(productKey(id), entry, product ? PRODUCT_TTL_SECONDS : MISSING_TTL_SECONDS);
      return { entry, source: 'miss' };
    });

  const app = express();
  app.use(express.json());
  app.get('/api/products/:id', async (req: Request, res: Response) => {
    const id = parseId(req.params.id);
    if (id === undefined) return void res.status(400).json({ error: 'id must be a positive whole number' });
    const { entry, source } = await read(id);
    res.setHeader('X-Cache', source);
    if (entry === null) return void res.status(404).json({ error: 'no such product' });
    res.json(entry);
  });
  app.put('/api/products/:id', async (req: Request, res: Response) => {
    const id = parseId(req.params.id);
    const { name, price } = (req.body ?? {}) as { name?: unknown; price?: unknown };
    if (id === undefined || (name !== undefined && typeof name !== 'string') || (price !== undefined && !/^\d{1,8}(\.\d{1,2})?$/.test(String(price)))) {
      return void res.status(400).json({ error: 'expected { name?: string, price?: "12.34" }' });
    }
    const { count } = await prisma.product.updateMany({ where: { id }, data: { name, price: price === undefined ? undefined : String(price) } });
    // The database first, then the cache: deleting first would let a read in between put the
    // old row back. And the response waits for the invalidation, so once a client has its
    // answer, no instance serves the old product.
    await cache.del(productKey(id));
    if (count === 0) return void res.status(404).json({ error: 'no such product' });
    res.json(await prisma.product.findUnique({ where: { id } }));
  });

  return { app, close: () => cache.close() };
}

/** Product.id is a 32-bit int: a larger id cannot exist, and Prisma would throw on it. */
const MAX_ID = 2_147_483_647;

function parseId(raw: string | string[] | undefined): number | undefined {
  return typeof raw === 'string' && /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= MAX_ID ? Number(raw) : undefined;
}
