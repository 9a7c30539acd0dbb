// Known wrong (the product TTL passed in milliseconds to a set() that takes seconds: warmed products live 83 hours).
// Cache warming: put what most requests will ask for into the cache before they ask, at start-up
// and then on an interval, without ever hurting the process that runs it.
import type { PrismaClient } from '../../../shared/db/clients.ts';

/** Where warmed values go: a MultiLayerCache, or anything with the same set(). */
export interface CacheWriter {
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
}

export interface WarmerOptions {
  prisma: PrismaClient;
  cache: CacheWriter;
  intervalMs: number;
  /** How many of the most viewed products to warm. */
  topProducts: number;
  /** A failed cycle; the next one runs on schedule. Logged by default. */
  onError?: (error: Error) => void;
}

export interface Warmer {
  /** Warms once (a failure goes to onError), then keeps re-warming every intervalMs. */
  start(): Promise<void>;
  /** One cycle; rejects if it fails. */
  warmOnce(): Promise<{ products: number; categories: number }>;
  stop(): void;
}

export const PRODUCT_TTL_SECONDS = 300;
export const CATEGORIES_TTL_SECONDS = 3_600;

export function createWarmer({ prisma, cache, intervalMs, topProducts, onError = (e) => console.error('cache warming failed', e) }: WarmerOptions): Warmer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  async function warmOnce() {
    const [products, categories] = await Promise.all([
      prisma.product.findMany({ orderBy: [{ viewCount: 'desc' }, { id: 'asc' }], take: topProducts }),
      prisma.category.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, _count: { select: { products: true } } } }),
    ]);
    // The same keys and the same JSON the product route reads (products.ts).
    await Promise.all(products.map((product) => cache.set(`product:${product.id}`, JSON.parse(JSON.stringify(product)), PRODUCT_TTL_SECONDS * 1000)));
    const list = categories.map(({ id, name, _count }) => ({ id, name, productCount: _count.products }));
    await cache.set('categories:all', list, CATEGORIES_TTL_SECONDS);
    return { products: products.length, categories: list.length };
  }

  /** One cycle that never rejects and never overlaps the previous one. */
  function cycle(): Promise<unknown> {
    running ??= warmOnce()
      .catch((error: Error) => onError(error))
      .finally(() => (running = undefined));
    return running;
  }

  return {
    async start() {
      stopped = false;
      await cycle();
      // stop() may have been called while the first cycle ran: then no interval at all.
      // unref(): the warmer must not be what keeps the process alive after the server closed.
      if (!stopped) timer ??= setInterval(cycle, intervalMs).unref();
    },
    warmOnce,
    stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
    },
  };
}
