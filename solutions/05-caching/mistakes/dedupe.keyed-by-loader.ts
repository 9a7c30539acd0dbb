// Known wrong: loads are shared by the loader function rather than by the key. Callers that
// pass a fresh closure (the usual `() => findProduct(id)`) never share anything, and one loader
// used for two keys answers both with the first key's value.
export class Deduplicator<T> {
  readonly #inFlight = new Map<() => Promise<T>, { key: string; promise: Promise<T> }>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.#inFlight.get(load);
    if (pending) return pending.promise.then((value) => structuredClone(value));
    const promise = load().finally(() => this.#inFlight.delete(load));
    this.#inFlight.set(load, { key, promise });
    return promise.then((value) => structuredClone(value));
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
