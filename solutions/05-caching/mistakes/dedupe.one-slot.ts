// Known wrong: one load in flight at a time, whatever the key. A caller for product 8 that arrives
// while product 7 is loading gets product 7.
export class Deduplicator<T> {
  #pending: Promise<T> | undefined;

  run(_key: string, load: () => Promise<T>): Promise<T> {
    if (this.#pending) return this.#pending.then((value) => structuredClone(value));
    const promise = load().finally(() => (this.#pending = undefined));
    this.#pending = promise;
    return promise.then((value) => structuredClone(value));
  }

  get size(): number {
    return this.#pending ? 1 : 0;
  }
}
