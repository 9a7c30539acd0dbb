// Known wrong (loads in flight are kept in a plain object: "constructor", "toString" or "__proto__" find the members of Object.prototype).
// Request deduplication: concurrent calls for one key share one load. Only in-flight work is
// shared; nothing is remembered once it settles (that is the cache's job).
export class Deduplicator<T> {
  readonly #inFlight: Record<string, Promise<T> | undefined> = {};

  run(key: string, load: () => Promise<T>): Promise<T> {
    let pending = this.#inFlight[key];
    if (!pending) {
      // Forget the key when the load settles, success or failure: a rejection must reach every
      // waiter, but the next caller gets a fresh attempt, not the old error.
      pending = load().finally(() => delete this.#inFlight[key]);
      this.#inFlight[key] = pending;
    }
    // Callers share the load, not the object: each gets its own copy, so one caller changing
    // its result cannot change what the others are holding.
    return pending.then((value) => structuredClone(value));
  }

  /** Loads in flight right now. */
  get size(): number {
    return Object.keys(this.#inFlight).length;
  }
}
