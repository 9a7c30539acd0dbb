// Known wrong: the key is "normalized" before use (case, spaces, the part before a second
// colon), so distinct keys collide and one caller gets the value loaded for another key.
export class Deduplicator<T> {
  readonly #inFlight = new Map<string, Promise<T>>();

  run(key: string, load: () => Promise<T>): Promise<T> {
    const id = key.toLowerCase().replace(/\s+/g, '').split(':').slice(0, 2).join(':');
    let pending = this.#inFlight.get(id);
    if (!pending) {
      pending = load().finally(() => this.#inFlight.delete(id));
      this.#inFlight.set(id, pending);
    }
    return pending.then((value) => structuredClone(value));
  }

  get size(): number {
    return this.#inFlight.size;
  }
}
