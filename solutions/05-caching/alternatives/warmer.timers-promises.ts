// RIGHT (other API): node:timers/promises setInterval as an async iterator with { ref: false } and
// an AbortSignal; the for-await loop runs one cycle at a time, stop() aborts it.
import { setInterval as every } from 'node:timers/promises';
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
  let controller: AbortController | undefined;
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

  async function loop(signal: AbortSignal) {
    try {
      for await (const _ of every(intervalMs, undefined, { ref: false, signal })) {
        if (signal.aborted) break;
        await cycle();
      }
    } catch (error) {
      if (!signal.aborted) report(error);
    }
  }

  return {
    async start() {
      stopped = false;
      await cycle();
      if (stopped) return;
      controller = new AbortController();
      void loop(controller.signal);
    },
    warmOnce,
    stop() {
      stopped = true;
      controller?.abort();
      controller = undefined;
    },
  };
}
