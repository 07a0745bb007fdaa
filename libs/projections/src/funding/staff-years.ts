import { EmployerKind, PositionTerms } from '../../../domain/src/funding/staff-position';
import { addDays, IsoDate } from '../../../domain/src/shared/dates';
import { slot } from '../governance/evidence';
import { daysInYear } from './exact';
import { updateYear } from './lazy-parts';

/** Years outside this range are never asked about (fiscal years are 1990–2100). */
export const FIRST_YEAR = 1990;
export const LAST_YEAR = 2100;

export interface PositionTimeline {
  centreId: string;
  title?: string;
  employerPartyId?: string | null;
  countyId: string;
  employerKind: EmployerKind;
  startedOn: IsoDate;
  endedOn: IsoDate | null;
  /** Sorted by `from`. */
  terms: PositionTerms[];
  /** The person holding it, when the start named one; absent, the position is a person of its own. */
  personId?: string;
}

/**
 * A position of a named person held on 31 December, with its FTE then. Persons are counted from these
 * per scope (personsOnDecember31): a person's positions at two centres are one person in their county
 * but one at each centre, which counters added up centre by centre cannot say.
 */
export interface NamedHolding {
  positionId: string;
  personId: string;
  fteMilli: number;
  employerKind: EmployerKind;
  startedOn: IsoDate;
}

/** What a party pays directly in one year: Σ fteMilli × days, Σ annualCostOre × days, and FTE-days without a cost given. */
export interface PaidCell {
  fteDays: number;
  costNum: number;
  unvaluedFteDays: number;
}

/** Staff of a centre in one year, exact: staff-years = fteDays / (days-in-year × 1000). */
export interface StaffYearAgg {
  fteDays: number;
  /** Positions without a personId held on 31 December (each a person), by formal employer. */
  persons: Partial<Record<EmployerKind, number>>;
  /** Of those, the ones with FTE ≥ 0.81. */
  fullTime: number;
  /** Positions of named persons held on 31 December (absent when none); count them with personsOnDecember31. */
  named?: NamedHolding[];
  paid: Record<string, PaidCell>;
}

/** An open-ended position's constant contribution to every full year from `fromYear` on. */
export interface StaffTailAgg {
  fteMilli: number;
  persons: Partial<Record<EmployerKind, number>>;
  fullTime: number;
  named?: NamedHolding[];
  paid: Record<string, { fteMilli: number; annualCost: number; unvaluedFteMilli: number }>;
}

export interface CentreStaff {
  years: Record<string, StaffYearAgg>;
  tails: Record<string, StaffTailAgg>;
}

export interface PositionContribution {
  years: Record<string, StaffYearAgg>;
  tail: { fromYear: number; agg: StaffTailAgg } | null;
}

/** Full time in the key figures means 81–100 %. */
export const FULL_TIME_MILLI = 810;

export const emptyYearAgg = (): StaffYearAgg => ({ fteDays: 0, persons: {}, fullTime: 0, paid: {} });

/** Days since 1970-01-01 of a civil date (Hinnant's days_from_civil): exact, no Date objects (this runs in every fold). */
export const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
};
const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
};
/** 'YYYY-MM-DD' → days since 1970-01-01. */
export const dayNo = (d: IsoDate): number => daysFromCivil(digits(d, 0, 4), digits(d, 5, 7), digits(d, 8, 10));
const yearOf = (d: IsoDate): number => digits(d, 0, 4);
const dayOfYearStart = (y: number): number => daysFromCivil(y, 1, 1);

/**
 * The last day a position counts: its own last day, but never a day its centre is closed. A position
 * left open at a closed centre counts until the day before `closedOn` (the first day closed), so a
 * closing recorded after the position, or a position never ended, adds no staff-years, persons or
 * directly paid value for days the centre was closed.
 */
export const countedUntil = (endedOn: IsoDate | null, closedOn: IsoDate | null): IsoDate | null => {
  const lastOpen = closedOn === null ? null : addDays(closedOn, -1);
  return endedOn === null ? lastOpen : lastOpen === null || endedOn <= lastOpen ? endedOn : lastOpen;
};

/** One version of a position's terms over the days it held: day numbers (dayNo), both inclusive; `to` null while open-ended. */
export interface HeldTerms<T> {
  terms: T;
  from: number;
  to: number | null;
}

/**
 * The dated periods of a position, the one rule every figure and the NAV link's financier ground use:
 * each version of its terms (sorted by `from`, one per date, as withTerms keeps them, so the order the
 * changes were recorded in does not matter and a change on a version's own first day replaces it) holds
 * from its `from` (not before `startedOn`) until the day before the next version's, and no later than
 * `lastDay` (countedUntil: the position's last day, capped at the day before its centre's closing; null
 * while neither). A version that holds no day (one from after the last day counted) is left out. Pure.
 */
export const heldTerms = <T extends { from: IsoDate }>(startedOn: IsoDate, terms: readonly T[], lastDay: IsoDate | null): HeldTerms<T>[] => {
  const out: HeldTerms<T>[] = [];
  const startDay = dayNo(startedOn);
  const endDay = lastDay === null ? null : dayNo(lastDay);
  for (let i = 0; i < terms.length; i++) {
    const from = Math.max(dayNo(terms[i].from), startDay);
    const next = i + 1 < terms.length ? dayNo(terms[i + 1].from) - 1 : null;
    const to = next === null ? endDay : endDay === null ? next : Math.min(next, endDay);
    if (to === null || from <= to) out.push({ terms: terms[i], from, to });
  }
  return out;
};

const holdingOf = (positionId: string, personId: string, p: PositionTimeline, fteMilli: number): NamedHolding => ({ positionId, personId, fteMilli, employerKind: p.employerKind, startedOn: p.startedOn });

/**
 * How one position adds to its centre's staff figures: explicit years up to its end (or its last
 * change), and for an open-ended position a constant "tail" for every later year. `closedOn` is its
 * centre's (null while open): nothing counts from that day on. `positionId` is the position's own id
 * (a named person's holdings are told apart by it). Pure and exact.
 */
export const positionContribution = (positionId: string, p: PositionTimeline, closedOn: IsoDate | null = null): PositionContribution => {
  const years: Record<string, StaffYearAgg> = {};
  const endedOn = countedUntil(p.endedOn, closedOn);
  const startDay = dayNo(p.startedOn);
  const endDay = endedOn === null ? null : dayNo(endedOn);
  const lastTermYear = yearOf(p.terms[p.terms.length - 1].from);
  const lastExplicitYear = Math.min(LAST_YEAR, endedOn !== null ? yearOf(endedOn) : Math.max(yearOf(p.startedOn), lastTermYear));
  const firstYear = Math.max(FIRST_YEAR, yearOf(p.startedOn));
  if (firstYear <= lastExplicitYear) {
    const windowStart = Math.max(startDay, dayOfYearStart(firstYear));
    const windowEnd = Math.min(endDay ?? Infinity, dayOfYearStart(lastExplicitYear + 1) - 1);
    const yearAgg = (y: number): StaffYearAgg => (years[y] ??= emptyYearAgg());
    for (const held of heldTerms(p.startedOn, p.terms, endedOn)) {
      const t = held.terms;
      const segFrom = Math.max(held.from, windowStart);
      const segTo = Math.min(held.to ?? Infinity, windowEnd);
      if (segFrom > segTo) continue;
      let y = Math.max(firstYear, yearOf(t.from));
      while (dayOfYearStart(y + 1) <= segFrom) y++;
      for (let a = segFrom; a <= segTo; y++) {
        const b = Math.min(segTo, dayOfYearStart(y + 1) - 1);
        const days = b - a + 1;
        const agg = yearAgg(y);
        agg.fteDays += t.fteMilli * days;
        if (t.payer.kind === 'party') {
          const cell = slot(agg.paid, t.payer.partyId, () => ({ fteDays: 0, costNum: 0, unvaluedFteDays: 0 }));
          cell.fteDays += t.fteMilli * days;
          if (t.annualCostOre === null) cell.unvaluedFteDays += t.fteMilli * days;
          else cell.costNum += t.annualCostOre * days;
        }
        a = b + 1;
      }
    }
    for (let y = firstYear; y <= lastExplicitYear; y++) {
      const dec31 = dayOfYearStart(y + 1) - 1;
      if (dec31 < startDay || (endDay !== null && dec31 > endDay)) continue;
      let t = p.terms[0];
      for (const x of p.terms) if (dayNo(x.from) <= dec31) t = x;
      const agg = yearAgg(y);
      if (p.personId !== undefined) agg.named = [holdingOf(positionId, p.personId, p, t.fteMilli)];
      else {
        agg.persons[p.employerKind] = (agg.persons[p.employerKind] ?? 0) + 1;
        if (t.fteMilli >= FULL_TIME_MILLI) agg.fullTime += 1;
      }
    }
  }
  let tail: PositionContribution['tail'] = null;
  if (endedOn === null && lastExplicitYear < LAST_YEAR) {
    const t = p.terms[p.terms.length - 1];
    const agg: StaffTailAgg =
      p.personId !== undefined
        ? { fteMilli: t.fteMilli, persons: {}, fullTime: 0, named: [holdingOf(positionId, p.personId, p, t.fteMilli)], paid: {} }
        : { fteMilli: t.fteMilli, persons: { [p.employerKind]: 1 }, fullTime: t.fteMilli >= FULL_TIME_MILLI ? 1 : 0, paid: {} };
    if (t.payer.kind === 'party') agg.paid[t.payer.partyId] = { fteMilli: t.fteMilli, annualCost: t.annualCostOre ?? 0, unvaluedFteMilli: t.annualCostOre === null ? t.fteMilli : 0 };
    tail = { fromYear: Math.max(lastExplicitYear + 1, FIRST_YEAR), agg };
  }
  return { years, tail };
};

/**
 * Adds a contribution's holdings (one position's, or a whole centre's when a scope is added up), or
 * takes them away by position id; a fresh array, so a cached centre's figures are never changed.
 */
const addNamed = (target: { named?: NamedHolding[] }, src: readonly NamedHolding[] | undefined, sign: number): void => {
  if (!src || src.length === 0) return;
  let out: NamedHolding[];
  if (sign > 0) out = [...(target.named ?? []), ...src];
  else {
    const gone = new Set(src.map((h) => h.positionId));
    out = (target.named ?? []).filter((h) => !gone.has(h.positionId));
  }
  if (out.length > 0) target.named = out;
  else delete target.named;
};

const addPersons = (target: Partial<Record<EmployerKind, number>>, src: Partial<Record<EmployerKind, number>>, sign: number): void => {
  for (const key in src) {
    const k = key as EmployerKind;
    const n = (target[k] ?? 0) + sign * src[k]!;
    if (n === 0) delete target[k];
    else target[k] = n;
  }
};

export const addYearAgg = (target: StaffYearAgg, src: StaffYearAgg, sign: 1 | -1 = 1): void => {
  target.fteDays += sign * src.fteDays;
  target.fullTime += sign * src.fullTime;
  addPersons(target.persons, src.persons, sign);
  addNamed(target, src.named, sign);
  for (const party in src.paid) {
    const c = src.paid[party];
    const t = slot(target.paid, party, () => ({ fteDays: 0, costNum: 0, unvaluedFteDays: 0 }));
    t.fteDays += sign * c.fteDays;
    t.costNum += sign * c.costNum;
    t.unvaluedFteDays += sign * c.unvaluedFteDays;
    if (t.fteDays === 0 && t.costNum === 0 && t.unvaluedFteDays === 0) delete target.paid[party];
  }
};

const addTailAgg = (target: StaffTailAgg, src: StaffTailAgg, sign: 1 | -1): void => {
  target.fteMilli += sign * src.fteMilli;
  target.fullTime += sign * src.fullTime;
  addPersons(target.persons, src.persons, sign);
  addNamed(target, src.named, sign);
  for (const party in src.paid) {
    const c = src.paid[party];
    const t = slot(target.paid, party, () => ({ fteMilli: 0, annualCost: 0, unvaluedFteMilli: 0 }));
    t.fteMilli += sign * c.fteMilli;
    t.annualCost += sign * c.annualCost;
    t.unvaluedFteMilli += sign * c.unvaluedFteMilli;
    if (t.fteMilli === 0 && t.annualCost === 0 && t.unvaluedFteMilli === 0) delete target.paid[party];
  }
};

const isEmptyObject = (o: object): boolean => {
  for (const _ in o) return false;
  return true;
};
const isEmptyYear = (a: StaffYearAgg): boolean => a.fteDays === 0 && a.fullTime === 0 && isEmptyObject(a.persons) && !a.named && isEmptyObject(a.paid);
const isEmptyTail = (a: StaffTailAgg): boolean => a.fteMilli === 0 && a.fullTime === 0 && isEmptyObject(a.persons) && !a.named && isEmptyObject(a.paid);

/** Adds (sign 1) or takes away (sign -1) a position's contribution to its centre's aggregates, in place. */
export const applyContribution = (staff: CentreStaff, c: PositionContribution, sign: 1 | -1): void => {
  for (const y in c.years) {
    const add = c.years[y];
    // Through updateYear: an as-of view applies it only if someone reads the year (lazy-parts.ts).
    updateYear(staff.years, y, (current) => {
      const t = current ?? emptyYearAgg();
      addYearAgg(t, add, sign);
      return isEmptyYear(t) ? undefined : t;
    });
  }
  if (c.tail) {
    const key = String(c.tail.fromYear);
    const t = (staff.tails[key] ??= { fteMilli: 0, persons: {}, fullTime: 0, paid: {} });
    addTailAgg(t, c.tail.agg, sign);
    if (isEmptyTail(t)) delete staff.tails[key];
  }
};

/** Whether two records have the same keys and, key by key, values `same` calls equal. */
const sameRecords = <T>(a: Record<string, T>, b: Record<string, T>, same: (x: T, y: T) => boolean): boolean => {
  let n = 0;
  for (const k in a) {
    if (!(k in b) || !same(a[k], b[k])) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
};
const sameNumbers = (a: object, b: object): boolean => sameRecords(a as Record<string, number>, b as Record<string, number>, (x, y) => x === y);
const samePersons = sameNumbers;
const sameCells = (a: Record<string, object>, b: Record<string, object>): boolean => sameRecords(a, b, sameNumbers);
/** In order: only one position's contributions are compared, and each holds at most one per year. */
const sameNamed = (a: readonly NamedHolding[] = [], b: readonly NamedHolding[] = []): boolean =>
  a.length === b.length &&
  a.every((x, i) => x.positionId === b[i].positionId && x.personId === b[i].personId && x.fteMilli === b[i].fteMilli && x.employerKind === b[i].employerKind && x.startedOn === b[i].startedOn);

const sameYear = (a: StaffYearAgg | undefined, b: StaffYearAgg | undefined): boolean =>
  a === b || (!!a && !!b && a.fteDays === b.fteDays && a.fullTime === b.fullTime && samePersons(a.persons, b.persons) && sameNamed(a.named, b.named) && sameCells(a.paid, b.paid));

const sameTail = (a: PositionContribution['tail'], b: PositionContribution['tail']): boolean =>
  a === b ||
  (!!a && !!b && a.fromYear === b.fromYear && a.agg.fteMilli === b.agg.fteMilli && a.agg.fullTime === b.agg.fullTime && samePersons(a.agg.persons, b.agg.persons) && sameNamed(a.agg.named, b.agg.named) && sameCells(a.agg.paid, b.agg.paid));

/**
 * A position's contribution replaced by another: only the years (and the tail) that differ are
 * touched. A change from 2015 on leaves 2005–2014 alone, so an "as of" fold forward reads the staff
 * of the years its events change, not of every year the position spans (see lazy-parts.ts). The
 * figures are exactly those of taking the old contribution away and adding the new one.
 */
export const replaceContribution = (staff: CentreStaff, before: PositionContribution, after: PositionContribution): void => {
  const changed: string[] = [];
  for (const y in before.years) if (!sameYear(before.years[y], after.years[y])) changed.push(y);
  for (const y in after.years) if (!(y in before.years)) changed.push(y);
  const tailChanged = !sameTail(before.tail, after.tail);
  applyContribution(staff, { years: pick(before.years, changed), tail: tailChanged ? before.tail : null }, -1);
  applyContribution(staff, { years: pick(after.years, changed), tail: tailChanged ? after.tail : null }, 1);
};

const pick = (years: Record<string, StaffYearAgg>, keys: string[]): Record<string, StaffYearAgg> => {
  const out: Record<string, StaffYearAgg> = {};
  for (const y of keys) if (years[y]) out[y] = years[y];
  return out;
};

/** A centre's staff figures for one year (a fresh object): explicit years plus every tail that has begun. */
export const staffOfYear = (staff: CentreStaff | undefined, year: number): StaffYearAgg => {
  const out = emptyYearAgg();
  if (!staff) return out;
  const explicit = staff.years[year];
  if (explicit) addYearAgg(out, explicit);
  const days = daysInYear(year);
  for (const from in staff.tails) {
    if (Number(from) > year) continue;
    const tail = staff.tails[from];
    out.fteDays += tail.fteMilli * days;
    out.fullTime += tail.fullTime;
    addPersons(out.persons, tail.persons, 1);
    addNamed(out, tail.named, 1);
    for (const party in tail.paid) {
      const c = tail.paid[party];
      const t = slot(out.paid, party, () => ({ fteDays: 0, costNum: 0, unvaluedFteDays: 0 }));
      t.fteDays += c.fteMilli * days;
      t.costNum += c.annualCost * days;
      t.unvaluedFteDays += c.unvaluedFteMilli * days;
    }
  }
  return out;
};

/** Persons on 31 December in one scope: by formal employer (the rows add up to the persons) and full time. */
export interface PersonsOnDecember31 {
  persons: Partial<Record<EmployerKind, number>>;
  fullTime: number;
  total: number;
}

/** Which of a person's positions names their employer: the largest FTE, then the one started first, then the lower position id. */
const outranks = (a: NamedHolding, b: NamedHolding): boolean =>
  a.fteMilli !== b.fteMilli ? a.fteMilli > b.fteMilli : a.startedOn !== b.startedOn ? a.startedOn < b.startedOn : a.positionId < b.positionId;

/**
 * The persons of a scope (a centre's staffOfYear, or the centres of a county or the country added up
 * with addYearAgg): each position without a personId is a person; the positions of one personId are
 * one person, counted once under the employer of their largest FTE (so the employer rows still add
 * up to the persons) and full time when their FTEs together are 0.81 or more (above 1.0 too). Only the
 * scope's own positions count: 50 % at two centres of a county is one full-time person in the county
 * and a part-time one at each centre.
 */
export const personsOnDecember31 = (agg: StaffYearAgg): PersonsOnDecember31 => {
  const persons: Partial<Record<EmployerKind, number>> = { ...agg.persons };
  let fullTime = agg.fullTime;
  const byPerson = new Map<string, { fteMilli: number; main: NamedHolding }>();
  for (const h of agg.named ?? []) {
    const p = byPerson.get(h.personId);
    if (!p) byPerson.set(h.personId, { fteMilli: h.fteMilli, main: h });
    else {
      p.fteMilli += h.fteMilli;
      if (outranks(h, p.main)) p.main = h;
    }
  }
  for (const { fteMilli, main } of byPerson.values()) {
    persons[main.employerKind] = (persons[main.employerKind] ?? 0) + 1;
    if (fteMilli >= FULL_TIME_MILLI) fullTime += 1;
  }
  let total = 0;
  for (const k in persons) total += persons[k as EmployerKind]!;
  return { persons, fullTime, total };
};
