// WRONG: copies with JSON.parse(JSON.stringify(value)). A Date comes back as a string, undefined
// fields vanish, a Map becomes {}, a BigInt makes every waiter reject with a TypeError. A caller
// deduplicating a Prisma row gets `updatedAt` as a string and `.getTime()` throws.
export class Deduplicator<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = load().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending.then((value) => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)));
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
