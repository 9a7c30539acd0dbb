// WRONG: shares one object and protects it with a SHALLOW Object.freeze. Top-level writes are
// blocked, but nested objects/arrays are not frozen: one caller doing `result.items.sort()` or
// `result.category.name = ...` changes the object every other caller is holding.
export class Deduplicator<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = load()
        .then((value) => (value !== null && typeof value === 'object' ? Object.freeze(value) : value))
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
