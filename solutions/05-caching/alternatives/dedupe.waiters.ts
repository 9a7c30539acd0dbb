// Another correct approach: no shared promise. The first caller loads; later callers queue a
// resolve/reject pair, and everyone is settled from the one outcome (each with its own copy of
// the value, so no caller can change what another is holding).
interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

export class Deduplicator<T> {
  readonly #waiters = new Map<string, Waiter<T>[]>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queue = this.#waiters.get(key);
      if (queue) {
        queue.push({ resolve, reject });
        return;
      }
      const waiters: Waiter<T>[] = [{ resolve, reject }];
      this.#waiters.set(key, waiters);
      const settle = (notify: (waiter: Waiter<T>) => void) => {
        this.#waiters.delete(key);
        waiters.forEach(notify);
      };
      load().then(
        (value) => settle((waiter) => waiter.resolve(structuredClone(value))),
        (error: unknown) => settle((waiter) => waiter.reject(error)),
      );
    });
  }

  get size(): number {
    return this.#waiters.size;
  }
}
