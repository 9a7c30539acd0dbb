// RIGHT (other style): async/await, object-keyed record instead of a Map, and the shared result is
// deeply frozen once instead of cloned per caller (nobody can change what another caller sees).
function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

export class Deduplicator<T> {
  #inFlight: Record<string, Promise<T>> = Object.create(null);
  #count = 0;

  run(key: string, load: () => Promise<T>): Promise<T> {
    if (!(key in this.#inFlight)) {
      this.#count++;
      this.#inFlight[key] = (async () => {
        await undefined; // a loader that throws synchronously must still be forgotten
        try {
          return deepFreeze(await load());
        } finally {
          delete this.#inFlight[key];
          this.#count--;
        }
      })();
    }
    return this.#inFlight[key]!;
  }

  get size(): number {
    return this.#count;
  }
}
