// WRONG: only the first timer of the chain is unref'd (unref() called in start(), not in
// schedule()). From the second cycle on, the pending timer keeps the process alive: after
// server.close() the process does not exit until stop() is called.
import type { PrismaClient } from '../../../shared/db/clients.ts';

export interface CacheWriter {
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
}
export interface WarmerOptions {
  prisma: PrismaClient;
  cache: CacheWriter;
  intervalMs: number;
  topProducts: number;
  onError?: (error: Error) => void;
}
export interface Warmer {
  start(): Promise<void>;
  warmOnce(): Promise<{ products: number; categories: number }>;
  stop(): void;
}

export const PRODUCT_TTL_SECONDS = 300;
export const CATEGORIES_TTL_SECONDS = 3_600;

export function createWarmer({ prisma, cache, intervalMs, topProducts, onError }: WarmerOptions): Warmer {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const report = (error: unknown) => {
    const e = error instanceof Error ? error : new Error(String(error));
    if (onError) onError(e);
    else console.error('[warmer] cycle failed:', e);
  };

  async function warmOnce() {
    const [products, categories] = await Promise.all([
      prisma.product.findMany({ orderBy: [{ viewCount: 'desc' }, { id: 'asc' }], take: topProducts }),
      prisma.category.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, _count: { select: { products: true } } } }),
    ]);
    await Promise.all(products.map((product) => cache.set(`product:${product.id}`, JSON.parse(JSON.stringify(product)), PRODUCT_TTL_SECONDS)));
    const list = categories.map(({ id, name, _count }) => ({ id, name, productCount: _count.products }));
    await cache.set('categories:all', list, CATEGORIES_TTL_SECONDS);
    return { products: products.length, categories: list.length };
  }

  async function cycle() {
    try {
      await warmOnce();
    } catch (error) {
      report(error);
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(async () => {
      timer = undefined;
      await cycle();
      schedule();
    }, intervalMs);
  }

  return {
    async start() {
      stopped = false;
      await cycle();
      schedule();
      timer?.unref();
    },
    warmOnce,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
