// Request deduplication: concurrent calls for one key share one load. Only in-flight work is
// shared; nothing is remembered once it settles (that is the cache's job).
export class Deduplicator<T> {
  // TODO: every call runs its own load, so 200 concurrent requests for one cold product are
  // 200 identical database queries. Share the promise of a load in flight, per key.
  run(_key: string, load: () => Promise<T>): Promise<T> {
    return load();
  }

  /** Loads in flight right now. */
  get size(): number {
    return 0;
  }
}
