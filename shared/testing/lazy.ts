/** A value made on first use, then kept (a promise is kept too, so it is made once). */
export function lazy<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}
