import { ACTIVITY_KINDS, ActivityKind, TARGET_GROUPS, TargetGroup } from '../../../domain/src/grants/criteria';
import { IsoDate } from '../../../domain/src/shared';

/**
 * The grants view keeps each centre's evidence (service declarations, competence-development
 * activities, user-survey participations, annual reports: ~135,000 items at 1,000,000 events) as
 * one short string per item instead of an object with a copied event reference. The string holds
 * exactly the same facts, so every answer is unchanged; it is still plain JSON (checkpointed with
 * JSON.stringify), about a fifth of the size.
 *
 * Fields, left to right, no separators (every field knows where it ends):
 * - an unsigned integer: base-32 digits, most significant first, in the alphabet below; a digit
 *   that is not the last is written with the upper half of the alphabet (32 + d);
 * - a string: its length, then its characters as they are;
 * - a business date: its day number + 1 when it is a real 'YYYY-MM-DD' from 1970 on, else 0 and the string;
 * - then, for every kind of item: the facts judging reads first (e.g. an activity's delivery date,
 *   target groups, participants), the event's position, a flags integer (1: the stream is the
 *   centre's evidence stream `grant-evidence-<centreId>`; 2: the event id is a lowercase UUID;
 *   4: the evidence id is one; higher bits per kind), the stream revision, the event id (a UUID as
 *   22 characters, 12 bits per two, else the string), the recorded-at instant (0 and the string,
 *   or 1 + its distance in milliseconds from the item's first business date, zig-zag signed, when
 *   it is exactly what toISOString() writes), the stream id unless flag 1, the rest of the facts,
 *   and the evidence id (22 characters or the string).
 *
 * An event whose fields this cannot hold exactly (an unknown activity kind, a fractional
 * participant count, a missing id, …: never written by this ledger, possible in an import) is
 * kept as the plain object it always was; readers accept both.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE: number[] = Array.from({ length: 128 }, () => -1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

const DAY_MS = 86_400_000;

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** Where a deciding event sits in the log: enough to cite it and to fetch it at /audit/events/<eventId>. */
export interface EventRef {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  position: number;
  recordedAt: string;
}

export const evidenceStream = (centreId: string): string => `grant-evidence-${centreId}`;


/** Days since 1970-01-01 of a proleptic Gregorian date (exact integer arithmetic). */
const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
};
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const digits = (s: string, from: number, to: number): number => {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
};
/** The day number of a real 'YYYY-MM-DD' from 1970 on, or -1 for anything else. */
const dayOf = (s: string): number => {
  if (s.length < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 7);
  const d = digits(s, 8, 10);
  if (y < 1970 || m < 1 || m > 12 || d < 1) return -1;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > DAYS_IN_MONTH[m - 1] + (m === 2 && leap ? 1 : 0)) return -1;
  return daysFromCivil(y, m, d);
};
/** The epoch milliseconds of exactly what toISOString() writes (from 1970 on), or -1. */
const msOf = (t: string): number => {
  if (t.length !== 24 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 46 || t.charCodeAt(23) !== 90) return -1;
  const day = dayOf(t);
  const h = digits(t, 11, 13);
  const mi = digits(t, 14, 16);
  const sec = digits(t, 17, 19);
  const ms = digits(t, 20, 23);
  if (day < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0) return -1;
  return day * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
};
const nibble = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1);
const NIBBLES: number[] = new Array(32);
/** Fills NIBBLES with a lowercase UUID's 32 hex digits; false when it is not one. */
const uuidNibbles = (s: string): boolean => {
  if (s.length !== 36) return false;
  let k = 0;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false;
      continue;
    }
    const v = nibble(c);
    if (v < 0) return false;
    NIBBLES[k++] = v;
  }
  return true;
};

// One scratch buffer of UTF-16 code units, reused by every Writer (evolve is synchronous), so packing
// allocates nothing but the finished (flat) string.
let BUF = new Uint16Array(1024);
const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));

class Writer {
  private n = 0;
  get out(): string {
    return String.fromCharCode.apply(null, BUF.subarray(0, this.n) as unknown as number[]);
  }
  private room(k: number): void {
    if (this.n + k > BUF.length) {
      const bigger = new Uint16Array(Math.max(BUF.length * 2, this.n + k));
      bigger.set(BUF.subarray(0, this.n));
      BUF = bigger;
    }
  }
  int(n: number): this {
    // at most 11 digits for any safe integer
    this.room(11);
    let len = 1;
    for (let rest = Math.floor(n / 32); rest > 0; rest = Math.floor(rest / 32)) len++;
    let at = this.n + len - 1;
    BUF[at--] = CODES[n % 32];
    for (let rest = Math.floor(n / 32); rest > 0; rest = Math.floor(rest / 32)) BUF[at--] = CODES[32 + (rest % 32)];
    this.n += len;
    return this;
  }
  private raw(s: string): this {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) BUF[this.n++] = s.charCodeAt(i);
    return this;
  }
  str(s: string): this {
    return this.int(s.length).raw(s);
  }
  date(d: string): this {
    const day = typeof d === 'string' && d.length === 10 ? dayOf(d) : -1;
    return day >= 0 ? this.int(day + 1) : this.int(0).str(String(d));
  }
  /** Recorded-at relative to `baseDay` (the item's first business date, or -1 for the epoch). */
  instant(t: string, baseDay: number): this {
    const ms = msOf(t);
    if (ms < 0) return this.int(0).str(t);
    const d = ms - Math.max(baseDay, 0) * DAY_MS;
    return this.int((d >= 0 ? 2 * d : -2 * d - 1) + 1);
  }
  uuid(): this {
    this.room(22);
    for (let i = 0; i < 30; i += 3) {
      const v = (NIBBLES[i] << 8) | (NIBBLES[i + 1] << 4) | NIBBLES[i + 2];
      BUF[this.n++] = CODES[v >> 6];
      BUF[this.n++] = CODES[v & 63];
    }
    const last = (NIBBLES[30] << 4) | NIBBLES[31];
    BUF[this.n++] = CODES[last >> 6];
    BUF[this.n++] = CODES[last & 63];
    return this;
  }
  /** An id whose UUID-ness is already in the flags. */
  flaggedId(s: string, isUuid: boolean): this {
    return isUuid && uuidNibbles(s) ? this.uuid() : this.str(s);
  }
}

const DAYS = new Map<number, IsoDate>();
const dayText = (day: number): IsoDate => {
  let d = DAYS.get(day);
  if (d === undefined) {
    d = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (DAYS.size < 100_000) DAYS.set(day, d);
  }
  return d;
};

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Where each of a UUID's 32 hex digits goes among its 36 characters (dashes after the 8th, 12th, 16th and 20th). */
const UUID_AT = Array.from({ length: 32 }, (_, h) => h + (h >= 8 ? 1 : 0) + (h >= 12 ? 1 : 0) + (h >= 16 ? 1 : 0) + (h >= 20 ? 1 : 0));
const UUID_CODES: number[] = Array.from({ length: 36 }, (_, i) => (i === 8 || i === 13 || i === 18 || i === 23 ? 45 : 48));

/** Up to this instant (10000-01-01) toISOString() writes 'YYYY-MM-DDTHH:mm:ss.sssZ'. */
const ISO_MAX_MS = 253_402_300_800_000;
const ISO_CODES: number[] = Array.from('0000-00-00T00:00:00.000Z', (c) => c.charCodeAt(0));
const putDigits = (at: number, v: number, width: number): void => {
  for (let k = at + width - 1; k >= at; k--, v = Math.floor(v / 10)) ISO_CODES[k] = 48 + (v % 10);
};
/** Exactly `new Date(ms).toISOString()`, without the Date (one flat string; the date part comes from dayText's cache). */
const isoInstant = (ms: number): string => {
  if (!(ms >= 0 && ms < ISO_MAX_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  const date = dayText(day);
  for (let k = 0; k < 10; k++) ISO_CODES[k] = date.charCodeAt(k);
  let rest = ms - day * DAY_MS;
  putDigits(20, rest % 1000, 3);
  rest = Math.floor(rest / 1000);
  putDigits(17, rest % 60, 2);
  rest = Math.floor(rest / 60);
  putDigits(14, rest % 60, 2);
  putDigits(11, Math.floor(rest / 60), 2);
  return String.fromCharCode.apply(null, ISO_CODES);
};

/** The centre's evidence stream id, kept per centre (read for most items: one string instead of one per read). */
const OWN_STREAMS = new Map<string, string>();
const ownStream = (centreId: string): string => {
  let s = OWN_STREAMS.get(centreId);
  if (s === undefined) {
    s = evidenceStream(centreId);
    if (OWN_STREAMS.size < 100_000) OWN_STREAMS.set(centreId, s);
  }
  return s;
};

class Reader {
  i = 0;
  /** Day number of the first business date read (-1 when it was not a canonical date): recorded-at is relative to it. */
  baseDay = -2;
  constructor(public s: string) {}
  /** Re-aims this reader at another string (the hot readers below share one instead of allocating). */
  at(s: string): this {
    this.s = s;
    this.i = 0;
    this.baseDay = -2;
    return this;
  }
  int(): number {
    let n = 0;
    for (;;) {
      const v = VALUE[this.s.charCodeAt(this.i++)];
      if (v >= 32) n = n * 32 + (v - 32);
      else return n * 32 + v;
    }
  }
  str(): string {
    const len = this.int();
    const s = this.s.slice(this.i, this.i + len);
    this.i += len;
    return s;
  }
  flaggedId(isUuid: boolean): string {
    if (!isUuid) return this.str();
    // 10 × 12 bits and 1 × 8 bits → 32 hex digits, written straight into the UUID's 36 character codes (one flat string)
    let h = 0;
    for (let k = 0; k < 11; k++) {
      const v = VALUE[this.s.charCodeAt(this.i++)] * 64 + VALUE[this.s.charCodeAt(this.i++)];
      if (k < 10) UUID_CODES[UUID_AT[h++]] = HEX_CODES[v >> 8];
      UUID_CODES[UUID_AT[h++]] = HEX_CODES[(v >> 4) & 15];
      UUID_CODES[UUID_AT[h++]] = HEX_CODES[v & 15];
    }
    return String.fromCharCode.apply(null, UUID_CODES);
  }
  date(): IsoDate {
    const n = this.int();
    if (this.baseDay === -2) this.baseDay = n - 1;
    return n > 0 ? dayText(n - 1) : this.str();
  }
  instant(): string {
    const n = this.int();
    if (n === 0) return this.str();
    const z = n - 1;
    const d = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    return isoInstant(Math.max(this.baseDay, 0) * DAY_MS + d);
  }
}

// ---------- the reference every item carries: position, revision, event id, recorded at, stream ----------

const refPackable = (ref: EventRef): boolean => isCount(ref.position) && isCount(ref.revision) && typeof ref.eventId === 'string' && typeof ref.streamId === 'string' && typeof ref.recordedAt === 'string';

const isUuid = (s: string): boolean => uuidNibbles(s);

/** position, flags (1, 2, 4 and `more` × 8), revision, event id, recorded at, stream unless it is the centre's. */
const writeRef = (w: Writer, ref: EventRef, centreId: string, evidenceId: string, baseDay: number, more = 0): Writer => {
  const ownStream = ref.streamId === evidenceStream(centreId);
  const evidenceUuid = isUuid(evidenceId);
  const eventUuid = isUuid(ref.eventId); // last: NIBBLES now hold the event id's digits
  w.int(ref.position).int((ownStream ? 1 : 0) + (eventUuid ? 2 : 0) + (evidenceUuid ? 4 : 0) + more * 8).int(ref.revision);
  (eventUuid ? w.uuid() : w.str(ref.eventId)).instant(ref.recordedAt, baseDay);
  return ownStream ? w : w.str(ref.streamId);
};

/** Reads what writeRef wrote; `flags` tells the caller whether its evidence id is a UUID (4) and its own bits (≥ 8). */
const readRef = (r: Reader, type: string, centreId: string): { ref: EventRef; flags: number } => {
  const position = r.int();
  const flags = r.int();
  const revision = r.int();
  const eventId = r.flaggedId((flags & 2) !== 0);
  const recordedAt = r.instant();
  const streamId = (flags & 1) !== 0 ? ownStream(centreId) : r.str();
  return { ref: { eventId, type, streamId, revision, position, recordedAt }, flags };
};

// ---------- the four kinds of evidence ----------

export interface DeclarationEntry {
  declarationId: string;
  effectiveFrom: IsoDate;
  freeOfCharge: boolean;
  openToAllAdults: boolean;
  fromAge: number;
  ref: EventRef;
}

export interface ActivityEntry {
  activityId: string;
  deliveredOn: IsoDate;
  kind: ActivityKind;
  targetGroups: TargetGroup[];
  participants: number;
  ref: EventRef;
}

export interface SurveyEntry {
  participationId: string;
  from: IsoDate;
  to: IsoDate;
  ref: EventRef;
}

export interface ReportEntry {
  reportId: string;
  year: number;
  submittedOn: IsoDate;
  ref: EventRef;
}

/** How the view stores one item: the packed string, or (for what the packing cannot hold exactly) the plain entry. */
export type Stored<T> = string | T;

export const dayOfText = (d: unknown): number => (typeof d === 'string' && d.length === 10 ? dayOf(d) : -1);

// Declaration: effectiveFrom, fromAge, ref (flags 8: free of charge, 16: open to all adults), declarationId.
export const packDeclaration = (x: DeclarationEntry, centreId: string): Stored<DeclarationEntry> => {
  if (typeof x.declarationId !== 'string' || typeof x.effectiveFrom !== 'string' || !isCount(x.fromAge) || typeof x.freeOfCharge !== 'boolean' || typeof x.openToAllAdults !== 'boolean' || !refPackable(x.ref)) return x;
  const w = new Writer().date(x.effectiveFrom).int(x.fromAge);
  writeRef(w, x.ref, centreId, x.declarationId, dayOfText(x.effectiveFrom), (x.freeOfCharge ? 1 : 0) + (x.openToAllAdults ? 2 : 0));
  return w.flaggedId(x.declarationId, true).out;
};

export const readDeclaration = (s: Stored<DeclarationEntry>, centreId: string): DeclarationEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const effectiveFrom = r.date();
  const fromAge = r.int();
  const { ref, flags } = readRef(r, 'ServiceDeclared', centreId);
  return { declarationId: r.flaggedId((flags & 4) !== 0), effectiveFrom, freeOfCharge: (flags & 8) !== 0, openToAllAdults: (flags & 16) !== 0, fromAge, ref };
};

// Target groups: a bit mask (< 16) when they are distinct and in TARGET_GROUPS order, else 16 + count and each index.
const GROUP_LISTS = new Map<number, TargetGroup[]>();
const groupsOfMask = (mask: number): TargetGroup[] => {
  let gs = GROUP_LISTS.get(mask);
  if (!gs) GROUP_LISTS.set(mask, (gs = TARGET_GROUPS.filter((_, i) => (mask & (1 << i)) !== 0)));
  return gs;
};

const writeGroups = (w: Writer, groups: readonly string[]): boolean => {
  const idx = groups.map((g) => TARGET_GROUPS.indexOf(g as TargetGroup));
  if (idx.some((i) => i < 0)) return false;
  if (idx.every((v, k) => k === 0 || v > idx[k - 1])) w.int(idx.reduce((m, i) => m | (1 << i), 0));
  else for (const [k, i] of [idx.length, ...idx].entries()) w.int(k === 0 ? 16 + i : i);
  return true;
};

const readGroups = (r: Reader): TargetGroup[] => {
  const head = r.int();
  if (head < 16) return groupsOfMask(head);
  return Array.from({ length: head - 16 }, () => TARGET_GROUPS[r.int()]);
};

// Activity: deliveredOn, target groups, participants, ref (flags ≥ 8: the kind's index), activityId.
// (What judging reads comes first, so activityFacts stops at the position.)
export const packActivity = (x: ActivityEntry, centreId: string): Stored<ActivityEntry> => {
  const kind = ACTIVITY_KINDS.indexOf(x.kind);
  if (typeof x.activityId !== 'string' || typeof x.deliveredOn !== 'string' || kind < 0 || !isCount(x.participants) || !Array.isArray(x.targetGroups) || !refPackable(x.ref)) return x;
  const w = new Writer().date(x.deliveredOn);
  if (!writeGroups(w, x.targetGroups)) return x;
  writeRef(w.int(x.participants), x.ref, centreId, x.activityId, dayOfText(x.deliveredOn), kind);
  return w.flaggedId(x.activityId, true).out;
};

export const readActivity = (s: Stored<ActivityEntry>, centreId: string): ActivityEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const deliveredOn = r.date();
  const targetGroups = [...readGroups(r)];
  const participants = r.int();
  const { ref, flags } = readRef(r, 'CompetenceDevelopmentDelivered', centreId);
  return { activityId: r.flaggedId((flags & 4) !== 0), deliveredOn, kind: ACTIVITY_KINDS[flags >> 3], targetGroups, participants, ref };
};

/** What judging competence development reads of an activity (without decoding its ids). Never mutate `targetGroups`. */
export interface ActivityFacts {
  deliveredOn: IsoDate;
  targetGroups: readonly string[];
  participants: number;
  position: number;
}

const SHARED = new Reader('');

/** Day numbers of a window's dates, for activityFacts to skip activities outside it after reading one integer (null when a date is not canonical). */
export const windowDays = (w: { from: IsoDate; to: IsoDate }): { from: number; to: number } | null => {
  const from = dayOfText(w.from);
  const to = dayOfText(w.to);
  return from >= 0 && to >= 0 ? { from, to } : null;
};

/**
 * Reads what judging needs of an activity into `into` (reused by the caller across a loop, so a
 * centre's activities are scanned without allocating), and returns it.
 */
export const activityFacts = (s: Stored<ActivityEntry>, into: ActivityFacts = { deliveredOn: '', targetGroups: [], participants: 0, position: 0 }, within: { from: number; to: number } | null = null): ActivityFacts | null => {
  if (typeof s !== 'string') {
    into.deliveredOn = s.deliveredOn;
    into.targetGroups = s.targetGroups;
    into.participants = s.participants;
    into.position = s.ref.position;
    return into;
  }
  const r = SHARED.at(s);
  if (within) {
    // a canonical delivery date outside the window: nothing else is needed (callers re-check dates they get)
    const n = r.int();
    if (n > 0 && (n - 1 < within.from || n - 1 > within.to)) return null;
    r.at(s);
  }
  into.deliveredOn = r.date();
  into.targetGroups = readGroups(r);
  into.participants = r.int();
  into.position = r.int();
  return into;
};

// Survey: from, to, ref, participationId.
export const packSurvey = (x: SurveyEntry, centreId: string): Stored<SurveyEntry> => {
  if (typeof x.participationId !== 'string' || typeof x.from !== 'string' || typeof x.to !== 'string' || !refPackable(x.ref)) return x;
  const w = new Writer().date(x.from).date(x.to);
  return writeRef(w, x.ref, centreId, x.participationId, dayOfText(x.from)).flaggedId(x.participationId, true).out;
};

export const readSurvey = (s: Stored<SurveyEntry>, centreId: string): SurveyEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const from = r.date();
  const to = r.date();
  const { ref, flags } = readRef(r, 'UserSurveyParticipationRecorded', centreId);
  return { participationId: r.flaggedId((flags & 4) !== 0), from, to, ref };
};

/** Whether a stored survey's period overlaps a window (reads only its two dates). */
export const surveyOverlaps = (s: Stored<SurveyEntry>, w: { from: IsoDate; to: IsoDate }, within: { from: number; to: number } | null = null): boolean => {
  if (typeof s !== 'string') return s.from <= w.to && s.to >= w.from;
  const r = SHARED.at(s);
  if (within) {
    // canonical dates compare as their day numbers do (no date text made)
    const from = r.int();
    if (from > 0 && from - 1 > within.to) return false;
    const to = from > 0 ? r.int() : 0;
    if (from > 0 && to > 0) return to - 1 >= within.from;
    r.at(s);
  }
  return r.date() <= w.to && r.date() >= w.from;
};

// Report: year, submittedOn, ref, reportId.
export const packReport = (x: ReportEntry, centreId: string): Stored<ReportEntry> => {
  if (typeof x.reportId !== 'string' || typeof x.submittedOn !== 'string' || !isCount(x.year) || !refPackable(x.ref)) return x;
  const w = new Writer().int(x.year).date(x.submittedOn);
  return writeRef(w, x.ref, centreId, x.reportId, dayOfText(x.submittedOn)).flaggedId(x.reportId, true).out;
};

export const readReport = (s: Stored<ReportEntry>, centreId: string): ReportEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const year = r.int();
  const submittedOn = r.date();
  const { ref, flags } = readRef(r, 'AnnualReportSubmitted', centreId);
  return { reportId: r.flaggedId((flags & 4) !== 0), year, submittedOn, ref };
};

/** The year a stored report is for, without decoding the rest. */
export const reportYear = (s: Stored<ReportEntry>): number => (typeof s === 'string' ? SHARED.at(s).int() : s.year);

// ---------- per-list indexes, built once and reused while the list is unchanged ----------
//
// A centre's lists only grow by push (same array, longer) or are replaced by a filtered copy (a
// withdrawal), and a report is replaced in place only by one for the same year. So an index kept
// per array object and checked against its length stays right for every year asked of the same
// view (and is dropped with the array). The activity and survey indexes exist only for lists whose every item is packed
// with canonical dates; otherwise callers scan as before.

/** What judging 3b reads of a centre's activities, in stored order, without decoding (scanned per window; no sorting needed). */
export interface ActivityIndex {
  /** Delivery day numbers. */
  day: Int32Array;
  /** Log positions. */
  position: Float64Array;
  /** Bit i set when the activity has TARGET_GROUPS[i] and more than zero participants (else 0). */
  mask: Int32Array;
}

/** `build` kept per list, built again when the list is replaced or grows (a fold appends to it). */
const perList = <T, I>(build: (stored: readonly Stored<T>[]) => I): ((stored: readonly Stored<T>[]) => I) => {
  const built = new WeakMap<readonly Stored<T>[], { length: number; index: I }>();
  return (stored) => {
    const had = built.get(stored);
    if (had !== undefined && had.length === stored.length) return had.index;
    const index = build(stored);
    built.set(stored, { length: stored.length, index });
    return index;
  };
};


const buildActivityIndex = (stored: readonly Stored<ActivityEntry>[]): ActivityIndex | null => {
  const n = stored.length;
  const index: ActivityIndex = { day: new Int32Array(n), position: new Float64Array(n), mask: new Int32Array(n) };
  const r = SHARED;
  for (let k = 0; k < n; k++) {
    const s = stored[k];
    if (typeof s !== 'string') return null;
    r.at(s);
    const d = r.int();
    if (d === 0) return null;
    index.day[k] = d - 1;
    const head = r.int();
    let m = 0;
    if (head < 16) m = head;
    else for (let j = 16; j < head; j++) m |= 1 << r.int();
    const participants = r.int();
    index.position[k] = r.int();
    index.mask[k] = participants > 0 ? m : 0;
  }
  return index;
};

/** The activity index of a centre's activities (null when an item is not packed with a canonical date). */
export const activityIndex = perList(buildActivityIndex);

/** The bit of a target group in ActivityIndex.mask (0 for a name that is not one). */
export const groupBit = (g: string): number => {
  const i = TARGET_GROUPS.indexOf(g as TargetGroup);
  return i < 0 ? 0 : 1 << i;
};

/** A centre's user-survey participations as day numbers, in stored order. */
export interface SurveyIndex {
  from: Int32Array;
  to: Int32Array;
}

const buildSurveyIndex = (stored: readonly Stored<SurveyEntry>[]): SurveyIndex | null => {
  const n = stored.length;
  const index: SurveyIndex = { from: new Int32Array(n), to: new Int32Array(n) };
  for (let k = 0; k < n; k++) {
    const s = stored[k];
    if (typeof s !== 'string') return null;
    const r = SHARED.at(s);
    const f = r.int();
    if (f === 0) return null;
    const t = r.int();
    if (t === 0) return null;
    index.from[k] = f - 1;
    index.to[k] = t - 1;
  }
  return index;
};

/** The survey index of a centre's participations (null when an item is not packed with canonical dates). */
export const surveyIndex = perList(buildSurveyIndex);

const DECLARATIONS = new WeakMap<readonly Stored<DeclarationEntry>[], { length: number; centreId: string; decls: readonly DeclarationEntry[] }>();

/**
 * A centre's service declarations decoded, by effective date then log position (decoded once per
 * list; never mutate the result or its entries).
 */
export const declarationsInOrder = (stored: readonly Stored<DeclarationEntry>[], centreId: string): readonly DeclarationEntry[] => {
  const had = DECLARATIONS.get(stored);
  if (had !== undefined && had.length === stored.length && had.centreId === centreId) return had.decls;
  const decls = stored.map((d) => readDeclaration(d, centreId)).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : a.ref.position - b.ref.position));
  DECLARATIONS.set(stored, { length: stored.length, centreId, decls });
  return decls;
};

const REPORT_YEARS = new WeakMap<readonly Stored<ReportEntry>[], { length: number; first: Map<number, number> }>();

/** Where the first stored report for `year` sits in a centre's reports (-1 when there is none). */
export const reportAt = (stored: readonly Stored<ReportEntry>[], year: number): number => {
  let had = REPORT_YEARS.get(stored);
  if (had === undefined || had.length !== stored.length) {
    const first = new Map<number, number>();
    for (let k = 0; k < stored.length; k++) {
      const y = reportYear(stored[k]);
      if (!first.has(y)) first.set(y, k);
    }
    REPORT_YEARS.set(stored, (had = { length: stored.length, first }));
  }
  return had.first.get(year) ?? -1;
};
