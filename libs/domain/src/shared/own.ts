/**
 * The record's own value for a key, never one inherited from Object.prototype: ids are chosen by
 * clients, and `constructor`, `toString` or `__proto__` must be looked up like any other id.
 */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);

/**
 * Sets the record's own value for a key, as a spread `{ ...record, [key]: value }` would: an id such
 * as `__proto__` is stored as an entry, not taken for the prototype (which plain assignment would
 * change). For folds that update their state in place.
 */
export const putOwn = <T>(record: Record<string, T>, key: string, value: T): void => {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
};
