/*
 * class-transformer's `plainToInstance(cls, body)` for the common case of a write: a JSON object
 * whose values are all strings, numbers, booleans or null, turned into a DTO class that has no
 * class-transformer decorators (@Type, @Transform, @Expose, @Exclude) on it or its ancestors.
 * In that case class-transformer creates `new cls()` and copies every key the class's prototype
 * does not already hold a method or read-only accessor for; `flatInstance` does exactly that, without
 * its per-key metadata lookups (~3 % of the server's time under a load of POSTs, issue 7).
 *
 * Whether a class has class-transformer decorators is read from class-transformer's metadata
 * storage (its internal maps: the package has no "exports" map, so the deep require is allowed).
 * `validation.pipe.unit.spec.ts` fails if that storage changes shape, and compares `flatInstance` with
 * `plainToInstance` on the API's DTOs. When the storage is not as expected, nothing is copyable and
 * everything goes through class-transformer.
 */

type MetadataMaps = Map<unknown, unknown>[];

const loadMaps = (): { maps: MetadataMaps; ancestors: (cls: Function) => Function[] } | null => {
  try {
    const { defaultMetadataStorage: s } = require('class-transformer/cjs/storage') as { defaultMetadataStorage?: Record<string, unknown> };
    if (!s) return null;
    const maps = ['_typeMetadatas', '_transformMetadatas', '_exposeMetadatas', '_excludeMetadatas'].map((k) => s[k]);
    if (!maps.every((m) => m instanceof Map) || typeof s.getAncestors !== 'function') return null;
    const getAncestors = s.getAncestors as (cls: Function) => Function[];
    return { maps: maps as MetadataMaps, ancestors: (cls) => getAncestors.call(s, cls) };
  } catch {
    return null;
  }
};

/** class-transformer's metadata maps, or null when they are not where (or what) this module expects. */
export const TRANSFORMER_METADATA = loadMaps();

/** Whether class-transformer knows no decorator on `cls` or any class it extends. */
export const hasNoTransformerMetadata = (cls: Function): boolean => {
  const t = TRANSFORMER_METADATA;
  if (!t) return false;
  if (t.maps.some((m) => m.has(cls))) return false;
  for (const a of t.ancestors(cls)) if (t.maps.some((m) => m.has(a))) return false;
  return true;
};

/**
 * Whether `value` is a plain JSON-like object holding only strings, finite or not numbers, booleans
 * and nulls, and none of the keys Nest's pipe strips (`__proto__`, `prototype`, `constructor`).
 */
export const isFlatPlainObject = (value: unknown): value is Record<string, string | number | boolean | null> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__') || Object.prototype.hasOwnProperty.call(value, 'prototype') || Object.prototype.hasOwnProperty.call(value, 'constructor')) return false;
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return false;
  }
  return true;
};

/** `plainToInstance(cls, value)` for a flat plain object and a class `hasNoTransformerMetadata` accepts. */
export const flatInstance = <T extends object>(cls: new () => T, value: Record<string, string | number | boolean | null>): T => {
  const instance = new cls() as Record<string, unknown>;
  const proto = cls.prototype as object;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, key);
    if ((descriptor && !descriptor.set) || instance[key] instanceof Function) continue;
    instance[key] = value[key];
  }
  return instance as T;
};
