/**
 * The record's own value for a key, never one inherited from Object.prototype: ids are chosen by
 * clients, and `constructor`, `toString` or `__proto__` must be looked up like any other id.
 */
export const own = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
