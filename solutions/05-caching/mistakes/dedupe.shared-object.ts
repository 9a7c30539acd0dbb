// Known wrong (errata 22): every waiter gets the very same object. One caller that changes its
// result (adds a field, deletes a secret, sorts an array) changes it for all the others.
export class Deduplicator<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    // Forget the key when the load settles, success or failure: a rejection must reach every
    // waiter, but the next caller gets a fresh attempt, not the old error.
    const promise = load().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }

  /** Loads in flight right now. */
  get size(): number {
    return this.#inFlight.size;
  }
}
