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
  /**
   * Sections keyed by id whose entries hold a year-keyed record under the named property (staff:
   * centre → years): stored one part per year across ids, `<section>/<year>`, and the entries
   * without that property in `<section>/rest` (ids in order). Read lazily, an id's year is parsed
   * with its year's part on first touch, so a question about one year parses that year only.
   */
  yearsWithin?: Partial<Record<keyof V & string, string>>;
}

type Obj = Record<string, unknown>;

/** Properties of a restored object not read yet, by key: how to read their text, so it can be written back as stored. */
const unread = new WeakMap<Obj, Map<string, () => string>>();

/** Replaces an accessor by an ordinary data property holding `value`. */
const setData = (owner: Obj, key: string, value: unknown): void => {
  Object.defineProperty(owner, key, { value, enumerable: true, configurable: true, writable: true });
};

const settle = (owner: Obj, key: string, value: unknown): void => {
  unread.get(owner)?.delete(key);
  postponed.get(owner)?.delete(key);
  setData(owner, key, value);
};

type YearUpdate = (current: any) => any;
/** The lazily read year records, with how to put off an update until their year is read. */
const deferred = new WeakMap<object, (year: string, update: YearUpdate) => boolean>();

/** Updates (see updateYear) to properties not read yet, by owner and key, applied in order on first read. */
const postponed = new WeakMap<Obj, Map<string, YearUpdate[]>>();

const postpone = (waiting: Map<string, YearUpdate[]>, year: string, update: YearUpdate): void => {
  const list = waiting.get(year);
  if (list) list.push(update);
  else waiting.set(year, [update]);
};
const applyAll = (value: unknown, updates: readonly YearUpdate[] | undefined): unknown => {
  for (const update of updates ?? []) value = update(value);
  return value;
};

const defineLazy = (owner: Obj, key: string, text: () => string): void => {
  let pending = unread.get(owner);
  if (!pending) {
    unread.set(owner, (pending = new Map()));
    deferred.set(owner, (y, update) => {
      if (!unread.get(owner)?.has(y)) return false;
      let byKey = postponed.get(owner);
      if (!byKey) postponed.set(owner, (byKey = new Map()));
      postpone(byKey, y, update);
      return true;
    });
  }
  pending.set(key, text);
  Object.defineProperty(owner, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = applyAll(JSON.parse(text()), postponed.get(owner)?.get(key));
      settle(owner, key, value);
      // An update that empties a year deletes it, as on a plain object (until then it was listed among the keys).
      if (value === undefined) delete owner[key];
      return value;
    },
    set(value: unknown) {
      settle(owner, key, value);
    },
  });
};

/** A property computed on first use (read or write), then an ordinary data property. */
const defineLazyValue = (owner: Obj, key: string, make: () => unknown): void => {
  Object.defineProperty(owner, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      setData(owner, key, value);
      return value;
    },
    set(value: unknown) {
      setData(owner, key, value);
    },
  });
};

/** A property's stored text: as read from the snapshot when it was never parsed, else serialised now. */
const textOf = (owner: Obj, key: string): string => {
  const pending = unread.get(owner)?.get(key);
  // Never read, and no update waiting for its first read: the stored text is still its value.
  return pending && !postponed.get(owner)?.has(key) ? pending() : JSON.stringify(owner[key]);
};

/** FNV-1a over the id's UTF-16 code units: a stable bucket for an id. */
const bucketOf = (id: string, n: number): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
};

/**
 * Texts of parts as last stored, by the live section object holding them and the part's key in it
 * (a year, or a bucket number): the next snapshot (every 5,000 positions for the funding view)
 * serialises again only the parts changed since, and hands the snapshot store the very same string
 * for the others. Sound because every write to such a section goes through updateYear or
 * markChanged (the funding fold's writes do; snapshot-texts.property.unit.spec.ts compares with fresh texts).
 */
const storedTexts = new WeakMap<object, Map<string, string>>();
/** Bucketed sections: their bucket count, to find an id's bucket. */
const bucketCounts = new WeakMap<object, number>();
/** Year records inside a yearsWithin section (staff: each centre's years) → that section. */
const yearsOwner = new WeakMap<object, object>();

const textsOf = (section: object): Map<string, string> => {
  let texts = storedTexts.get(section);
  if (!texts) storedTexts.set(section, (texts = new Map()));
  return texts;
};

/**
 * Says that the entry `id` of a section stored in parts (a year, or an id of a bucketed section)
 * was added, replaced, changed in place or deleted, so its part is serialised again at the next
 * snapshot. updateYear says it itself.
 */
export const markChanged = (section: object, id: string): void => {
  const owner = yearsOwner.get(section);
  if (owner) {
    storedTexts.get(owner)?.delete(id);
    yearTexts.get(section)?.delete(id);
  }
  // An entry of a yearsWithin section: what it holds besides its years is serialised again.
  if (storedYearRecords.has(section)) {
    const entry = (section as Obj)[id];
    if (entry && typeof entry === 'object') restTexts.delete(entry);
  }
  const texts = storedTexts.get(section);
  if (!texts) return;
  const n = bucketCounts.get(section);
  texts.delete(n === undefined ? id : String(bucketOf(id, n)));
};

/**
 * A bucketed section's id order as last stored, and its text: reused while no id was added or
 * removed, and extended when ids were only added (positions are never removed: a snapshot adds
 * ~70 of ~14,000), instead of serialising every id again.
 */
const storedOrders = new WeakMap<object, { order: string[]; text: string }>();
const orderText = (section: object, order: string[]): string => {
  const last = storedOrders.get(section);
  let text: string;
  if (last && last.order.length > 0 && last.order.length <= order.length && last.order.every((id, i) => id === order[i])) {
    if (last.order.length === order.length) return last.text;
    text = `${last.text.slice(0, -1)},${JSON.stringify(order.slice(last.order.length)).slice(1)}`;
  } else text = JSON.stringify(order);
  storedOrders.set(section, { order, text });
  return text;
};

const storeBuckets = (section: Obj, key: string, n: number, parts: Record<string, string>): void => {
  const order = Object.keys(section);
  if (bucketCounts.get(section) !== n) storedTexts.delete(section);
  bucketCounts.set(section, n);
  const texts = textsOf(section);
  const buckets: (Obj | null)[] = Array.from({ length: n }, (_, b) => (texts.has(String(b)) ? null : {}));
  for (const id of order) {
    const bucket = buckets[bucketOf(id, n)];
    if (bucket) bucket[id] = section[id];
  }
  parts[`${key}/order`] = orderText(section, order);
  buckets.forEach((b, i) => {
    if (b) texts.set(String(i), JSON.stringify(b));
    parts[`${key}/${i}`] = texts.get(String(i))!;
  });
};

/** A section whose ids are read bucket by bucket on first touch (see the file comment). */
const lazyBuckets = (n: number, read: (bucket: number) => string, order: () => string[]): Obj => {
  const target: Obj = {};
  const loaded = new Uint8Array(n);
  const loadBucket = (b: number): void => {
    if (loaded[b]) return;
    // Marked only once read: a read that failed (its part gone) fails again, never reads as an empty bucket.
    const ids = JSON.parse(read(b)) as Obj;
    loaded[b] = 1;
    Object.assign(target, ids);
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

/**
 * Per year record inside a yearsWithin section (one centre's years): each year's value as JSON when
 * last stored, until updateYear (markChanged) says that year changed. A year's part is then put
 * together from these texts, so only the entries that changed are serialised again (a snapshot
 * every 5,000 positions changes ~100 of 1,250 centres in a year): the very text JSON.stringify
 * would give for the year's object (ids are never integer-like, so they keep their order).
 */
const yearTexts = new WeakMap<object, Map<string, string>>();
/**
 * Per entry of a yearsWithin section: the JSON of what it holds besides its years (staff: the
 * open-ended tails) when last stored, until markChanged(section, id) says it changed (the funding
 * fold says so for every centre whose positions change).
 */
const restTexts = new WeakMap<object, string>();
const keyTexts = new Map<string, string>();
const keyText = (id: string): string => {
  let t = keyTexts.get(id);
  if (t === undefined) {
    t = `${JSON.stringify(id)}:`;
    if (keyTexts.size < 100_000) keyTexts.set(id, t);
  }
  return t;
};

/** The year records each yearsWithin section held when last stored (to notice entries added, replaced or removed since). */
const storedYearRecords = new WeakMap<object, Set<object>>();

const storeYearsWithin = (section: Obj, key: string, inner: string, parts: Record<string, string>): string[] => {
  const texts = textsOf(section);
  const before = storedYearRecords.get(section) ?? new Set<object>();
  const now = new Set<object>();
  // The rest part, put together from each entry's text (JSON.stringify's own text for the object of them all).
  const rest: string[] = [];
  const ids = Object.keys(section);
  const allYears = new Set<string>();
  for (const id of ids) {
    const entry = section[id] as Obj;
    let restText = restTexts.get(entry);
    if (restText === undefined) {
      const others: Obj = {};
      for (const k of Object.keys(entry)) if (k !== inner) others[k] = entry[k];
      restTexts.set(entry, (restText = JSON.stringify(others)));
    }
    rest.push(rest.length === 0 ? '' : ',', keyText(id), restText);
    const years = entry[inner] as Obj;
    now.add(years);
    const isNew = !before.has(years); // new or replaced since the last snapshot: the parts of its years change
    for (const y of Object.keys(years)) {
      allYears.add(y);
      if (isNew) texts.delete(y);
    }
    yearsOwner.set(years, section);
  }
  // An entry removed since: any year may have held it.
  for (const years of before) if (!now.has(years)) texts.clear();
  storedYearRecords.set(section, now);
  parts[`${key}/rest`] = `{${rest.join('')}}`;
  const pieces = new Map<string, string[]>();
  for (const y of allYears) if (!texts.has(y)) pieces.set(y, []);
  if (pieces.size > 0) {
    for (const id of ids) {
      const years = (section[id] as Obj)[inner] as Obj;
      let known = yearTexts.get(years);
      if (!known) yearTexts.set(years, (known = new Map()));
      for (const [y, list] of pieces) {
        if (!Object.prototype.hasOwnProperty.call(years, y)) continue;
        const value = years[y];
        if (value === undefined) continue;
        let text = known.get(y);
        if (text === undefined) known.set(y, (text = JSON.stringify(value)));
        // Flat pieces joined once (concatenating each key and value first made ~1,250 strings per year to flatten again).
        list.push(list.length === 0 ? '' : ',', keyText(id), text);
      }
    }
    for (const [y, list] of pieces) texts.set(y, `{${list.join('')}}`);
  }
  const sorted = [...allYears].sort((a, b) => Number(a) - Number(b));
  for (const y of sorted) parts[`${key}/${y}`] = texts.get(y)!;
  return sorted;
};

/**
 * A section stored by `storeYearsWithin`, read when the section is first touched (the rest part)
 * and then year by year: each id's year record is a Proxy that takes its values from a year's part
 * (parsed once for every id) the first time that year is touched, or every year when enumerated.
 */
const lazyYearsWithin = (inner: string, storedYears: readonly string[], rest: () => string, yearPart: (year: string) => string): Obj => {
  const stored = new Set(storedYears);
  const parsed = new Map<string, Obj>();
  const partOf = (y: string): Obj => {
    let p = parsed.get(y);
    if (!p) parsed.set(y, (p = JSON.parse(yearPart(y)) as Obj));
    return p;
  };
  const yearsOf = (id: string): Obj => {
    const target: Obj = {};
    const loaded = new Set<string>();
    /** Updates to years not read yet, applied in order when the year is first read. */
    const pending = new Map<string, YearUpdate[]>();
    const load = (y: string | symbol): void => {
      if (typeof y !== 'string' || loaded.has(y) || !(stored.has(y) || pending.has(y))) return;
      // Own entries only: a centre named like an Object.prototype member (`constructor`) with no
      // entry in that year's part must read as absent, not as the built-in function.
      const part = stored.has(y) ? partOf(y) : undefined;
      // Marked only once read (as buckets are).
      loaded.add(y);
      const v = applyAll(part !== undefined && Object.hasOwn(part, id) ? part[id] : undefined, pending.get(y));
      pending.delete(y);
      if (v !== undefined) target[y] = v;
    };
    const proxy = new Proxy(target, {
      get: (t, y, receiver) => (load(y), Reflect.get(t, y, receiver)),
      set: (t, y, value) => (load(y), Reflect.set(t, y, value)),
      has: (t, y) => (load(y), Reflect.has(t, y)),
      deleteProperty: (t, y) => (load(y), Reflect.deleteProperty(t, y)),
      defineProperty: (t, y, d) => (load(y), Reflect.defineProperty(t, y, d)),
      getOwnPropertyDescriptor: (t, y) => (load(y), Reflect.getOwnPropertyDescriptor(t, y)),
      // Year keys are integer-like, so a plain object lists them in ascending order whatever the load order.
      ownKeys: (t) => (storedYears.forEach(load), [...pending.keys()].forEach(load), Reflect.ownKeys(t)),
    });
    deferred.set(proxy, (y, update) => {
      if (loaded.has(y)) return false;
      postpone(pending, y, update);
      return true;
    });
    return proxy;
  };
  const section = JSON.parse(rest()) as Record<string, Obj>;
  for (const id in section) {
    const entry: Obj = { [inner]: yearsOf(id) };
    section[id] = Object.assign(entry, section[id]);
  }
  return section;
};

/**
 * Changes one year of a year-keyed record: `update` gets the year's value (undefined if none) and
 * returns the new one (undefined deletes the year). On a record restored lazily from a snapshot
 * (an as-of view) whose year has not been read, the update waits until the year is first read, so
 * a fold forward that only adds to years nobody asks about never parses them. Updates must
 * therefore depend only on the year's own value.
 */
export const updateYear = <T>(years: Record<string, T>, year: string, update: (current: T | undefined) => T | undefined): void => {
  markChanged(years, year);
  if (deferred.get(years)?.(year, update)) return;
  const next = update(years[year]);
  if (next === undefined) delete years[year];
  else years[year] = next;
};

/**
 * The live view restored at once keeps the texts it read as its stored texts, as if it had just
 * stored them (JSON.stringify of what JSON.parse gave back is the same text), so its first snapshot
 * after a start serialises only what changed since, like every later one, instead of the whole view
 * (~33 MB for the funding view of 1,000,000 events: a 1–2.7 s pause of the first command that
 * reaches a snapshot position after a restart, measured).
 */
const restoreYearsWithin = (inner: string, years: readonly string[], rest: () => string, yearPart: (year: string) => string): Obj => {
  const section = JSON.parse(rest()) as Record<string, Obj>;
  const texts = textsOf(section);
  const records = new Set<object>();
  for (const id in section) {
    const record: Obj = {};
    section[id] = Object.assign({ [inner]: record }, section[id]);
    records.add(record);
    yearsOwner.set(record, section); // so markChanged(record, year) drops the section's year text
  }
  for (const y of years) {
    const text = yearPart(y);
    const part = JSON.parse(text) as Obj;
    for (const id in part) (section[id][inner] as Obj)[y] = part[id];
    texts.set(y, text);
  }
  storedYearRecords.set(section, records);
  return section;
};

const restoreBuckets = (n: number, read: (bucket: number) => string, orderText: () => string): Obj => {
  const texts = Array.from({ length: n }, (_, b) => read(b));
  const buckets = texts.map((t) => JSON.parse(t) as Obj);
  const text = orderText();
  const order = JSON.parse(text) as string[];
  const section: Obj = {};
  for (const id of order) section[id] = buckets[bucketOf(id, n)][id];
  bucketCounts.set(section, n);
  const kept = textsOf(section);
  texts.forEach((t, b) => kept.set(String(b), t));
  storedOrders.set(section, { order, text });
  return section;
};

export const storeWithParts = <V extends object>(view: V, layout: PartsLayout<V>): StoredView => {
  const source = view as unknown as Obj;
  const years = new Set<string>(layout.years);
  const whole = new Set<string>(layout.whole);
  const buckets = (layout.buckets ?? {}) as Record<string, number | undefined>;
  const within = (layout.yearsWithin ?? {}) as Record<string, string | undefined>;
  const main: Obj = {};
  const parts: Record<string, string> = {};
  for (const key of Object.keys(source)) {
    if (years.has(key)) {
      const section = source[key] as Obj;
      const keys = Object.keys(section);
      const texts = textsOf(section);
      for (const year of keys) {
        let text = texts.get(year);
        if (text === undefined) texts.set(year, (text = textOf(section, year)));
        parts[`${key}/${year}`] = text;
      }
      main[key] = keys;
    } else if (buckets[key] !== undefined) {
      storeBuckets(source[key] as Obj, key, buckets[key]!, parts);
      main[key] = buckets[key];
    } else if (within[key] !== undefined) {
      main[key] = storeYearsWithin(source[key] as Obj, key, within[key]!, parts);
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
    const texts = textsOf(section);
    for (const year of view[key] as string[]) {
      const read = () => part(`${key}/${year}`);
      if (lazy) defineLazy(section, year, read);
      else {
        const text = read();
        section[year] = JSON.parse(text) as unknown;
        texts.set(year, text); // kept as stored (see restoreYearsWithin)
      }
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
    const orderText = () => part(`${key}/order`);
    view[key] = lazy ? lazyBuckets(n, read, () => JSON.parse(orderText()) as string[]) : restoreBuckets(n, read, orderText);
  }
  for (const [key, inner] of Object.entries((layout.yearsWithin ?? {}) as Record<string, string>)) {
    const years = view[key] as string[];
    if (!Array.isArray(years)) throw new Error(`snapshot section ${key} is not stored year by year`);
    const rest = () => part(`${key}/rest`);
    const yearPart = (y: string) => part(`${key}/${y}`);
    if (lazy) defineLazyValue(view, key, () => lazyYearsWithin(inner, years, rest, yearPart));
    else view[key] = restoreYearsWithin(inner, years, rest, yearPart);
  }
  return view as V;
};
