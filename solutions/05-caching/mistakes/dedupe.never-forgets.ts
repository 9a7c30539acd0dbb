// Known wrong: promises are never removed, so the map is an unbounded cache with no expiry:
// the first result for a key is served for ever, and memory grows with every key.
export class Deduplicator<T> {
  readonly #seen = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    let promise = this.#seen.get(key);
    if (!promise) {
      promise = load();
      this.#seen.set(key, promise);
    }
    return promise;
  }

  get size(): number {
    return this.#seen.size;
  }
}
