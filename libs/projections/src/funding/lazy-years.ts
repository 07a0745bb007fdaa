/**
 * The funding view's snapshot format: the year-keyed sections (`money`, `budgets`) are stored as
 * one JSON text per year and parsed only when a year is first read. An "as of" answer about one
 * year then parses that year and the common parts, not 23 years of money and budgets (they are
 * two thirds of the view at 1,000,000 events), and a year nobody reads costs no memory.
 *
 * A restored section is a plain object whose not-yet-read years are accessor properties: the
 * first read (or write) of a year replaces it with an ordinary data property holding the parsed
 * value, so folds and queries treat the view exactly like one from JSON.parse.
 */
type Section = Record<string, unknown>;

/** Years of a restored section not read yet: their stored text, ready to be written back as is. */
const unread = new WeakMap<Section, Map<string, string>>();

const settle = (section: Section, year: string, value: unknown): void => {
  unread.get(section)?.delete(year);
  Object.defineProperty(section, year, { value, enumerable: true, configurable: true, writable: true });
};

const lazySection = (texts: Record<string, string>): Section => {
  const section: Section = {};
  const pending = new Map(Object.entries(texts));
  unread.set(section, pending);
  for (const year of pending.keys()) {
    Object.defineProperty(section, year, {
      enumerable: true,
      configurable: true,
      get() {
        const value: unknown = JSON.parse(pending.get(year)!);
        settle(section, year, value);
        return value;
      },
      set(value: unknown) {
        settle(section, year, value);
      },
    });
  }
  return section;
};

const sectionTexts = (section: Section): Record<string, string> => {
  const pending = unread.get(section);
  const out: Record<string, string> = {};
  for (const year of Object.keys(section)) {
    const text = pending?.get(year);
    out[year] = text ?? JSON.stringify(section[year]);
  }
  return out;
};

export const serializeWithLazyYears = <V extends object>(view: V, keys: readonly (keyof V & string)[]): string => {
  const out: Record<string, unknown> = { ...(view as Record<string, unknown>) };
  for (const k of keys) out[k] = sectionTexts(out[k] as Section);
  return JSON.stringify(out);
};

/** `lazy`: years parsed when first read (an as-of view); otherwise all at once (the live view, read everywhere right after start-up). */
export const deserializeWithLazyYears = <V extends object>(text: string, keys: readonly (keyof V & string)[], lazy = true): V => {
  const view = JSON.parse(text) as Record<string, unknown>;
  for (const k of keys) {
    const texts = view[k] as Record<string, string>;
    view[k] = lazy ? lazySection(texts) : Object.fromEntries(Object.entries(texts).map(([year, t]) => [year, JSON.parse(t) as unknown]));
  }
  return view as V;
};
