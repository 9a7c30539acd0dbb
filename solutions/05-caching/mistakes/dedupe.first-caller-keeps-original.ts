// Known wrong (the caller that started the load gets the loaded object itself; the others get copies taken when they run, after it).
// Request deduplication: concurrent calls for one key share one load. Only in-flight work is
// shared; nothing is remembered once it settles (that is the cache's job).
export class Deduplicator<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    let pending = this.#inFlight.get(key);
    if (!pending) {
      const first = load().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, first);
      return first;
    }
    if (!pending) {
      // Forget the key when the load settles, success or failure: a rejection must reach every
      // waiter, but the next caller gets a fresh attempt, not the old error.
      pending = load().finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    // Callers share the load, not the object: each gets its own copy, so one caller changing
    // its result cannot change what the others are holding.
    return pending.then((value) => structuredClone(value));
  }

  /** Loads in flight right now. */
  get size(): number {
    return this.#inFlight.size;
  }
}
