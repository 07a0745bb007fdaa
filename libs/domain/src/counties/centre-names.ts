import { IsoDate } from '../shared';

/** A centre's name and the first day it is in force (the registered name: the opening day). */
export interface DatedName {
  name: string;
  from: IsoDate;
}

/**
 * `names` with a rename added in date order. A rename may be recorded after one that takes effect
 * later, so it is placed by its date, not appended; on the same date the one recorded last wins,
 * as it would on the day.
 */
export const withName = (names: readonly DatedName[], name: string, from: IsoDate): DatedName[] => {
  let at = names.length;
  while (at > 0 && names[at - 1].from > from) at--;
  return [...names.slice(0, at), { name, from }, ...names.slice(at)];
};

/** The name in force on a day: the last one from on or before it; the registered name before any. */
export const nameOn = (names: readonly DatedName[], day: IsoDate): string => {
  let name = names[0]?.name ?? '';
  for (const n of names) {
    if (n.from > day) break;
    name = n.name;
  }
  return name;
};

/**
 * The names in force on some day from `from` (inclusive) to `to` (exclusive; null: no end): the one in
 * force on `from`, then each taking effect inside the window, except one replaced by a rename recorded
 * later for the same day (that one is never in force: nameOn takes the last of a day).
 */
export const namesInForceBetween = (names: readonly DatedName[], from: IsoDate, to: IsoDate | null): string[] => {
  const out = [nameOn(names, from)];
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (n.from <= from || (to !== null && n.from >= to)) continue;
    if (i + 1 < names.length && names[i + 1].from === n.from) continue;
    out.push(n.name);
  }
  return out;
};

/** The name a centre had in a fiscal year's reports: the one in force on 31 December. */
export const nameInYear = (names: readonly DatedName[], year: number): string => nameOn(names, `${year}-12-31`);

/**
 * Names as recorded (the registered one first, then each rename in the order recorded, as the
 * centre directory keeps them) put in date order, as withName places each rename.
 */
export const namesByDate = (recorded: readonly DatedName[]): DatedName[] =>
  recorded.length === 0 ? [] : recorded.slice(1).reduce<DatedName[]>((names, n) => withName(names, n.name, n.from), [recorded[0]]);

/** A rename that has not taken effect yet: the new name and its first day. */
export interface UpcomingRename {
  name: string;
  effectiveFrom: IsoDate;
}

/**
 * The earliest rename that takes effect after `day` (null when none), from names in date order with
 * the registered name first (namesByDate). Two renames from that same day: the one recorded last, as
 * nameOn will show on the day.
 */
export const renameAfter = (byDate: readonly DatedName[], day: IsoDate): UpcomingRename | null => {
  let at = byDate.findIndex((n, i) => i > 0 && n.from > day);
  if (at < 0) return null;
  while (at + 1 < byDate.length && byDate[at + 1].from === byDate[at].from) at++;
  return { name: byDate[at].name, effectiveFrom: byDate[at].from };
};
