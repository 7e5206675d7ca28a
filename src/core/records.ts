// Records keyed by names from input (claims, condition operators and keys, role-mapping keys,
// principal types). A plain `record[name]` finds inherited members (`toString`, `constructor`),
// and `record[name] = value` with `__proto__` replaces the prototype instead of adding a key, so
// the name silently disappears. These helpers do neither.

/** The record's own value for `key`; undefined when it has none (inherited members do not count). */
export function ownValue<T>(record: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return record !== null && record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Adds or replaces an own, enumerable key; `__proto__` becomes an ordinary key. */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
