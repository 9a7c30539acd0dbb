// Known wrong: the key is forgotten only after a success, so one failed load is returned to
// every later caller for ever: a database blip becomes a permanent error for that key.
export class Deduplicator<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const pending = this.#inFlight.get(key);
    if (pending) return pending;
    const promise = load().then((value) => {
      this.#inFlight.delete(key);
      return value;
    });
    this.#inFlight.set(key, promise);
    return promise;
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
