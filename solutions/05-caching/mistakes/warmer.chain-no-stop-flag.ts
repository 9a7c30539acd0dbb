// Known wrong: a setTimeout chain whose stop() only clears the pending timer. Called while a cycle
// runs, there is no timer to clear yet: the cycle finishes, schedules the next, and it goes on.
import type { PrismaClient } from '../../../shared/db/clients.ts';
import type { CacheWriter, WarmerOptions, Warmer } from '../warmer.ts';
import { PRODUCT_TTL_SECONDS, CATEGORIES_TTL_SECONDS } from '../warmer.ts';

export type { CacheWriter, WarmerOptions, Warmer };
export { PRODUCT_TTL_SECONDS, CATEGORIES_TTL_SECONDS };

/** Where warmed values go: a MultiLayerCache, or anything with the same set(). */
export function createWarmer({ prisma, cache, intervalMs, topProducts, onError = (e) => console.error('cache warming failed', e) }: WarmerOptions): Warmer {
  let timer: NodeJS.Timeout | undefined;

  async function warmOnce() {
    const [products, categories] = await Promise.all([
      prisma.product.findMany({ orderBy: [{ viewCount: 'desc' }, { id: 'asc' }], take: topProducts }),
      prisma.category.findMany({ orderBy: { id: 'asc' }, select: { id: true, name: true, _count: { select: { products: true } } } }),
    ]);
    // The same keys and the same JSON the product route reads (products.ts).
    await Promise.all(products.map((product) => cache.set(`product:${product.id}`, JSON.parse(JSON.stringify(product)), PRODUCT_TTL_SECONDS)));
    const list = categories.map(({ id, name, _count }) => ({ id, name, productCount: _count.products }));
    await cache.set('categories:all', list, CATEGORIES_TTL_SECONDS);
    return { products: products.length, categories: list.length };
  }

  async function cycleThenSchedule(): Promise<void> {
    try {
      await warmOnce();
    } catch (error) {
      onError(error as Error);
    }
    timer = setTimeout(cycleThenSchedule, intervalMs).unref();
  }

  return {
    async start() {
      await cycleThenSchedule();
    },
    warmOnce,
    stop() {
      clearTimeout(timer);
    },
  };
}
