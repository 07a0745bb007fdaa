/**
 * Canonical JSON: object keys sorted, no whitespace, undefined dropped. Two equal values
 * always give the same bytes, so a hash over them is stable across adapters and machines.
 *
 * Written as plain loops and string concatenation (no filter/map/join/sort callbacks): it runs
 * for every appended event (the hash chain), and the first version, built from array methods,
 * cost about three times as much. The bytes are exactly those of the first version
 * (canonical-json.unit.spec.ts compares the two on generated values), except a hole in a sparse
 * array, now `null` as in JSON.stringify (see writeArray).
 */
export const canonicalJson = (value: unknown): string => write(value);

function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('non-finite number in event');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      // undefined, functions and symbols give 'null'; a bigint throws, as JSON.stringify does.
      return JSON.stringify(value) ?? 'null';
  }
}

function writeArray(a: unknown[]): string {
  let s = '[';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) s += ',';
    // A hole reads as undefined, so it is written null, as JSON.stringify (and so SQLite's stored
    // text) writes it: the first version wrote nothing (`[,"x"]`, not JSON), so such an event never verified.
    const v = a[i];
    s += v === undefined ? 'null' : write(v);
  }
  return s + ']';
}

/** Keys in code-unit order (what Array.prototype.sort does with strings), undefined values left out. */
const sortedKeys = (o: Record<string, unknown>): string[] => {
  const all = Object.keys(o);
  const keys: string[] = [];
  for (let i = 0; i < all.length; i++) if (o[all[i]] !== undefined) keys.push(all[i]);
  if (keys.length > 16) return keys.sort();
  // Insertion sort: objects in events have a handful of keys.
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i;
    while (j > 0 && keys[j - 1] > k) {
      keys[j] = keys[j - 1];
      j--;
    }
    keys[j] = k;
  }
  return keys;
};

/**
 * `"key":` for each key seen, so the same few dozen field names are not quoted again for every
 * event (bounded: keys beyond the first 2,048 distinct ones are quoted each time).
 */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 2048;
const memberPrefix = (k: string): string => {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k) + ':';
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(k, q);
  }
  return q;
};

function writeObject(o: Record<string, unknown>): string {
  const keys = sortedKeys(o);
  let s = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (i > 0) s += ',';
    s += memberPrefix(k) + write(o[k]);
  }
  return s + '}';
}
