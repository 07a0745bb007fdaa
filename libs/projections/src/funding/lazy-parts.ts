import type { PartReader, StoredView } from '../projection';

/**
 * The funding view's snapshot layout. Its big sections are stored as parts in rows of their own:
 * the year-keyed ones (`money`, `budgets`) one part per year, sections read by id (positions) in
 * buckets of ids, the others (staff-years) one part each. An "as of" answer about one year then
 * reads and parses that year and what its fold forward touches, not 23 years of money and budgets
 * (two thirds of the view at 1,000,000 events) nor every position; a part nobody reads costs
 * neither a read nor memory.
 *
 * Restored lazily, a year or a whole section not read yet is an accessor property: its first read
 * (or write) replaces it with an ordinary data property holding the parsed value. A bucketed
 * section is a Proxy that reads an id's bucket when that id is first touched, and every bucket when
 * it is enumerated (keys in their stored order). Folds and queries treat the view exactly like one
 * from JSON.parse.
 */
export interface PartsLayout<V> {
  /** Sections keyed by year: one part per year, keyed `<section>/<year>`. */
  years: readonly (keyof V & string)[];
  /** Sections stored whole as one part each, keyed by the section's name. */
  whole: readonly (keyof V & string)[];
  /** Sections read by id (never integer-like ids), stored in this many buckets: parts `<section>/<bucket>` and the id order `<section>/order`. */
  buckets?: Partial<Record<keyof V & string, number>>;
}

type Obj = Record<string, unknown>;

/** Properties of a restored object not read yet, by key: how to read their text, so it can be written back as stored. */
const unread = new WeakMap<Obj, Map<string, () => string>>();

const settle = (owner: Obj, key: string, value: unknown): void => {
  unread.get(owner)?.delete(key);
  Object.defineProperty(owner, key, { value, enumerable: true, configurable: true, writable: true });
};

const defineLazy = (owner: Obj, key: string, text: () => string): void => {
  let pending = unread.get(owner);
  if (!pending) unread.set(owner, (pending = new Map()));
  pending.set(key, text);
  Object.defineProperty(owner, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value: unknown = JSON.parse(text());
      settle(owner, key, value);
      return value;
    },
    set(value: unknown) {
      settle(owner, key, value);
    },
  });
};

/** A property's stored text: as read from the snapshot when it was never parsed, else serialised now. */
const textOf = (owner: Obj, key: string): string => {
  const pending = unread.get(owner)?.get(key);
  return pending ? pending() : JSON.stringify(owner[key]);
};

/** FNV-1a over the id's UTF-16 code units: a stable bucket for an id. */
const bucketOf = (id: string, n: number): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
};

const storeBuckets = (section: Obj, key: string, n: number, parts: Record<string, string>): void => {
  const order = Object.keys(section);
  const buckets: Obj[] = Array.from({ length: n }, () => ({}));
  for (const id of order) buckets[bucketOf(id, n)][id] = section[id];
  parts[`${key}/order`] = JSON.stringify(order);
  buckets.forEach((b, i) => (parts[`${key}/${i}`] = JSON.stringify(b)));
};

/** A section whose ids are read bucket by bucket on first touch (see the file comment). */
const lazyBuckets = (n: number, read: (bucket: number) => string, order: () => string[]): Obj => {
  const target: Obj = {};
  const loaded = new Uint8Array(n);
  const loadBucket = (b: number): void => {
    if (loaded[b]) return;
    loaded[b] = 1;
    Object.assign(target, JSON.parse(read(b)) as Obj);
  };
  const load = (id: string | symbol): void => {
    if (typeof id === 'string') loadBucket(bucketOf(id, n));
  };
  let stored: string[] | null = null;
  /** Stored ids deleted since: if added again they follow the ids added since, as in a plain object. */
  const removed = new Set<string>();
  const ownKeys = (): string[] => {
    stored ??= order();
    for (let b = 0; b < n; b++) loadBucket(b);
    // Stored ids keep their stored order; ids added since follow in the order they were added, as in a plain object.
    const had = new Set(stored);
    return [...stored.filter((id) => !removed.has(id) && Object.prototype.hasOwnProperty.call(target, id)), ...Object.keys(target).filter((id) => !had.has(id) || removed.has(id))];
  };
  return new Proxy(target, {
    get: (t, id, receiver) => (load(id), Reflect.get(t, id, receiver)),
    set: (t, id, value) => (load(id), Reflect.set(t, id, value)),
    has: (t, id) => (load(id), Reflect.has(t, id)),
    deleteProperty: (t, id) => {
      load(id);
      if (typeof id === 'string' && Object.prototype.hasOwnProperty.call(t, id)) removed.add(id);
      return Reflect.deleteProperty(t, id);
    },
    defineProperty: (t, id, d) => (load(id), Reflect.defineProperty(t, id, d)),
    getOwnPropertyDescriptor: (t, id) => (load(id), Reflect.getOwnPropertyDescriptor(t, id)),
    ownKeys: () => ownKeys(),
  });
};

const restoreBuckets = (n: number, read: (bucket: number) => string, order: () => string[]): Obj => {
  const buckets = Array.from({ length: n }, (_, b) => JSON.parse(read(b)) as Obj);
  const section: Obj = {};
  for (const id of order()) section[id] = buckets[bucketOf(id, n)][id];
  return section;
};

export const storeWithParts = <V extends object>(view: V, layout: PartsLayout<V>): StoredView => {
  const source = view as unknown as Obj;
  const years = new Set<string>(layout.years);
  const whole = new Set<string>(layout.whole);
  const buckets = (layout.buckets ?? {}) as Record<string, number | undefined>;
  const main: Obj = {};
  const parts: Record<string, string> = {};
  for (const key of Object.keys(source)) {
    if (years.has(key)) {
      const section = source[key] as Obj;
      const keys = Object.keys(section);
      for (const year of keys) parts[`${key}/${year}`] = textOf(section, year);
      main[key] = keys;
    } else if (buckets[key] !== undefined) {
      storeBuckets(source[key] as Obj, key, buckets[key]!, parts);
      main[key] = buckets[key];
    } else if (whole.has(key)) {
      parts[key] = textOf(source, key);
      main[key] = null;
    } else main[key] = source[key];
  }
  return { state: JSON.stringify(main), parts };
};

/** `lazy`: parts read and parsed when first used (an as-of view); otherwise all at once (the live view, read everywhere right after start-up). */
export const restoreWithParts = <V extends object>(state: string, layout: PartsLayout<V>, part: PartReader, lazy: boolean): V => {
  const view = JSON.parse(state) as Obj;
  for (const key of layout.years) {
    const section: Obj = {};
    for (const year of view[key] as string[]) {
      const read = () => part(`${key}/${year}`);
      if (lazy) defineLazy(section, year, read);
      else section[year] = JSON.parse(read()) as unknown;
    }
    view[key] = section;
  }
  for (const key of layout.whole) {
    const read = () => part(key);
    if (lazy) defineLazy(view, key, read);
    else view[key] = JSON.parse(read()) as unknown;
  }
  for (const [key, n] of Object.entries((layout.buckets ?? {}) as Record<string, number>)) {
    if (view[key] !== n) throw new Error(`snapshot section ${key} has ${String(view[key])} buckets, not ${n}`);
    const read = (b: number) => part(`${key}/${b}`);
    const order = () => JSON.parse(part(`${key}/order`)) as string[];
    view[key] = lazy ? lazyBuckets(n, read, order) : restoreBuckets(n, read, order);
  }
  return view as V;
};
