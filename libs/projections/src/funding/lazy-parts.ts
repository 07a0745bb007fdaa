import type { PartReader, StoredView } from '../projection';

/**
 * The funding view's snapshot layout. Its big sections are stored as parts in rows of their own:
 * the year-keyed ones (`money`, `budgets`) one part per year, the others (staff-years, positions)
 * one part each. An "as of" answer about one year then reads and parses that year and the
 * sections it touches, not 23 years of money and budgets (two thirds of the view at 1,000,000
 * events); a part nobody reads costs neither a read nor memory.
 *
 * Restored lazily, a year or a section not read yet is an accessor property: its first read (or
 * write) replaces it with an ordinary data property holding the parsed value, so folds and queries
 * treat the view exactly like one from JSON.parse.
 */
export interface PartsLayout<V> {
  /** Sections keyed by year: one part per year, keyed `<section>/<year>`. */
  years: readonly (keyof V & string)[];
  /** Sections stored whole as one part each, keyed by the section's name. */
  whole: readonly (keyof V & string)[];
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

export const storeWithParts = <V extends object>(view: V, layout: PartsLayout<V>): StoredView => {
  const source = view as unknown as Obj;
  const years = new Set<string>(layout.years);
  const whole = new Set<string>(layout.whole);
  const main: Obj = {};
  const parts: Record<string, string> = {};
  for (const key of Object.keys(source)) {
    if (years.has(key)) {
      const section = source[key] as Obj;
      const keys = Object.keys(section);
      for (const year of keys) parts[`${key}/${year}`] = textOf(section, year);
      main[key] = keys;
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
  return view as V;
};
