/**
 * An index of a view's record by owner (a centre's staff positions, a centre's stimulus-grant
 * applications), so a question about one owner walks that owner's ids, not the whole record.
 *
 * Kept beside the view, never stored: a non-enumerable symbol-keyed property, which JSON.stringify
 * and storeWithParts (funding/lazy-parts.ts) do not see, so snapshots are written and read exactly as
 * before (no new projection version) and a copy of the view (a spread, structuredClone, JSON) simply
 * has none. Whoever asks builds it from the record when the view has none (`idsOf`); the fold keeps
 * it up to date where it exists (`noteId`, or `dropIndex` for a change it cannot follow).
 *
 * Per owner the ids are in the order `for (id in record)` lists them: a plain object lists
 * array-index keys ("42") first in numeric order, then the others in the order they were added. A
 * walk over an owner's ids therefore meets them in the order the walk over the whole record,
 * filtered by owner, did (for records whose entries are never removed or moved to another owner).
 */
export type IdsByOwner = Map<string, string[]>;

/** Whether a plain object lists this key before the others, in numeric order (a canonical array index). */
const isArrayIndex = (id: string): boolean => {
  const c = id.charCodeAt(0);
  return c >= 48 && c <= 57 && /^(?:0|[1-9]\d{0,9})$/.test(id) && Number(id) < 4294967295;
};

type Holder = Record<symbol, IdsByOwner | undefined>;

/** Keeps `index` with the view under `key`. */
export const keepIndex = (view: object, key: symbol, index: IdsByOwner): IdsByOwner => {
  Object.defineProperty(view, key, { value: index, enumerable: false, configurable: true, writable: true });
  return index;
};

/** Forgets the view's index (built again from the record when next asked). */
export const dropIndex = (view: object, key: symbol): void => {
  delete (view as Holder)[key];
};

/** The ids of `record` by owner (entries whose owner is not a string are left out), in key order, kept with the view. */
export const indexIds = <T>(view: object, key: symbol, record: Record<string, T>, ownerOf: (item: T) => unknown): IdsByOwner => {
  const index: IdsByOwner = new Map();
  for (const id in record) {
    const owner = ownerOf(record[id]);
    if (typeof owner !== 'string') continue;
    const ids = index.get(owner);
    if (ids) ids.push(id);
    else index.set(owner, [id]);
  }
  return keepIndex(view, key, index);
};

/**
 * An id just added to the record (a key it did not have): noted under its owner where the view keeps
 * an index. `id` as the fold used it as a key (a property key is its text: never throws on a value
 * an imported event got wrong).
 */
export const noteId = (view: object, key: symbol, owner: unknown, rawId: unknown): void => {
  const index = (view as Holder)[key];
  if (!index || typeof owner !== 'string') return;
  const id = String(rawId);
  const ids = index.get(owner);
  if (!ids) index.set(owner, [id]);
  else if (!isArrayIndex(id)) ids.push(id);
  else {
    let at = 0;
    while (at < ids.length && isArrayIndex(ids[at]) && Number(ids[at]) < Number(id)) at++;
    ids.splice(at, 0, id);
  }
};

/** An owner's ids, from the view's index, built from `record` first if the view keeps none. Read only. */
export const idsOf = <T>(view: object, key: symbol, owner: string, record: () => Record<string, T>, ownerOf: (item: T) => unknown): readonly string[] =>
  ((view as Holder)[key] ?? indexIds(view, key, record(), ownerOf)).get(owner) ?? [];
