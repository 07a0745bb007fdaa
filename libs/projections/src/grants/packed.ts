import { ACTIVITY_KINDS, ActivityKind, TARGET_GROUPS, TargetGroup } from '../../../domain/src/grants/criteria';
import { IsoDate } from '../../../domain/src/shared';

/**
 * The grants view keeps each centre's evidence (service declarations, competence-development
 * activities, user-survey participations, annual reports: ~135,000 items at 1,000,000 events) as
 * one short string per item instead of an object with a copied event reference. The string holds
 * exactly the same facts, so every answer is unchanged; it is still plain JSON (checkpointed with
 * JSON.stringify), about a fifth of the size.
 *
 * Encoding, left to right, no separators (every field knows where it ends):
 * - an unsigned integer: base-32 digits, most significant first, in the alphabet below; a digit
 *   that is not the last is written with the upper half of the alphabet (32 + d);
 * - a string: its length, then its characters as they are;
 * - an id (evidence id, event id): 0 then 22 characters when it is a lowercase UUID (12 bits per
 *   two characters), else its length + 1, then the id as it is;
 * - a business date: its day number + 1 when it is a real 'YYYY-MM-DD' from 1970 on, else 0 and the string;
 * - a recorded-at instant: its epoch milliseconds + 1 when it is exactly what toISOString() writes, else 0 and the string;
 * - the stream: 0 when it is the centre's evidence stream (`grant-evidence-<centreId>`), else its length + 1 and the id.
 *
 * An event whose fields this cannot hold exactly (an unknown activity kind, a fractional
 * participant count, a missing id, …: never written by this ledger, possible in an import) is
 * kept as the plain object it always was; readers accept both.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE: number[] = Array.from({ length: 128 }, () => -1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
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

class Writer {
  out = '';
  int(n: number): this {
    let s = ALPHABET[n % 32];
    for (let rest = Math.floor(n / 32); rest > 0; rest = Math.floor(rest / 32)) s = ALPHABET[32 + (rest % 32)] + s;
    this.out += s;
    return this;
  }
  str(s: string): this {
    this.int(s.length);
    this.out += s;
    return this;
  }
  id(s: string): this {
    if (!UUID.test(s)) {
      this.int(s.length + 1);
      this.out += s;
      return this;
    }
    const hex = s.replace(/-/g, '');
    let o = '';
    for (let i = 0; i < 30; i += 3) {
      const v = parseInt(hex.slice(i, i + 3), 16);
      o += ALPHABET[v >> 6] + ALPHABET[v & 63];
    }
    const last = parseInt(hex.slice(30), 16);
    this.int(0);
    this.out += o + ALPHABET[last >> 6] + ALPHABET[last & 63];
    return this;
  }
  date(d: string): this {
    const ms = DATE.test(d) ? Date.parse(`${d}T00:00:00Z`) : NaN;
    if (ms >= 0 && new Date(ms).toISOString().slice(0, 10) === d) return this.int(ms / DAY_MS + 1);
    return this.int(0).str(d);
  }
  instant(t: string): this {
    const ms = INSTANT.test(t) ? Date.parse(t) : NaN;
    if (ms >= 0 && new Date(ms).toISOString() === t) return this.int(ms + 1);
    return this.int(0).str(t);
  }
  stream(streamId: string, centreId: string): this {
    if (streamId === evidenceStream(centreId)) return this.int(0);
    this.int(streamId.length + 1);
    this.out += streamId;
    return this;
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

class Reader {
  i = 0;
  constructor(readonly s: string) {}
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
  id(): string {
    const tag = this.int();
    if (tag > 0) {
      const s = this.s.slice(this.i, this.i + tag - 1);
      this.i += tag - 1;
      return s;
    }
    let hex = '';
    for (let k = 0; k < 11; k++) {
      const v = VALUE[this.s.charCodeAt(this.i++)] * 64 + VALUE[this.s.charCodeAt(this.i++)];
      hex += v.toString(16).padStart(k < 10 ? 3 : 2, '0');
    }
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  date(): IsoDate {
    const n = this.int();
    return n > 0 ? dayText(n - 1) : this.str();
  }
  instant(): string {
    const n = this.int();
    return n > 0 ? new Date(n - 1).toISOString() : this.str();
  }
  stream(centreId: string): string {
    const tag = this.int();
    if (tag === 0) return evidenceStream(centreId);
    const s = this.s.slice(this.i, this.i + tag - 1);
    this.i += tag - 1;
    return s;
  }
}

// ---------- the reference every item carries: position, revision, event id, recorded at, stream ----------

const refPackable = (ref: EventRef): boolean => isCount(ref.position) && isCount(ref.revision) && typeof ref.eventId === 'string' && typeof ref.streamId === 'string' && typeof ref.recordedAt === 'string';

const writeRef = (w: Writer, ref: EventRef, centreId: string): Writer => w.int(ref.position).int(ref.revision).id(ref.eventId).instant(ref.recordedAt).stream(ref.streamId, centreId);

const readRef = (r: Reader, type: string, centreId: string): EventRef => {
  const position = r.int();
  const revision = r.int();
  const eventId = r.id();
  const recordedAt = r.instant();
  const streamId = r.stream(centreId);
  return { eventId, type, streamId, revision, position, recordedAt };
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

// Layout: effectiveFrom, fromAge, flags (1 free of charge, 2 open to all adults), ref, declarationId.
export const packDeclaration = (x: DeclarationEntry, centreId: string): Stored<DeclarationEntry> => {
  if (typeof x.declarationId !== 'string' || !isCount(x.fromAge) || typeof x.freeOfCharge !== 'boolean' || typeof x.openToAllAdults !== 'boolean' || !refPackable(x.ref)) return x;
  const w = new Writer().date(x.effectiveFrom).int(x.fromAge).int((x.freeOfCharge ? 1 : 0) + (x.openToAllAdults ? 2 : 0));
  return writeRef(w, x.ref, centreId).id(x.declarationId).out;
};

export const readDeclaration = (s: Stored<DeclarationEntry>, centreId: string): DeclarationEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const effectiveFrom = r.date();
  const fromAge = r.int();
  const flags = r.int();
  const ref = readRef(r, 'ServiceDeclared', centreId);
  return { declarationId: r.id(), effectiveFrom, freeOfCharge: (flags & 1) === 1, openToAllAdults: (flags & 2) === 2, fromAge, ref };
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

// Layout: deliveredOn, target groups, participants, position, revision, event id, recorded at, stream, kind, activityId.
// (What judging reads comes first, so activityFacts stops early.)
export const packActivity = (x: ActivityEntry, centreId: string): Stored<ActivityEntry> => {
  const kind = ACTIVITY_KINDS.indexOf(x.kind);
  if (typeof x.activityId !== 'string' || kind < 0 || !isCount(x.participants) || !Array.isArray(x.targetGroups) || !refPackable(x.ref)) return x;
  const w = new Writer().date(x.deliveredOn);
  if (!writeGroups(w, x.targetGroups)) return x;
  w.int(x.participants);
  return writeRef(w, x.ref, centreId).int(kind).id(x.activityId).out;
};

export const readActivity = (s: Stored<ActivityEntry>, centreId: string): ActivityEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const deliveredOn = r.date();
  const targetGroups = [...readGroups(r)];
  const participants = r.int();
  const ref = readRef(r, 'CompetenceDevelopmentDelivered', centreId);
  const kind = ACTIVITY_KINDS[r.int()];
  return { activityId: r.id(), deliveredOn, kind, targetGroups, participants, ref };
};

/** What judging competence development reads of an activity (without decoding its ids). Never mutate `targetGroups`. */
export interface ActivityFacts {
  deliveredOn: IsoDate;
  targetGroups: readonly string[];
  participants: number;
  position: number;
}

export const activityFacts = (s: Stored<ActivityEntry>): ActivityFacts => {
  if (typeof s !== 'string') return { deliveredOn: s.deliveredOn, targetGroups: s.targetGroups, participants: s.participants, position: s.ref.position };
  const r = new Reader(s);
  const deliveredOn = r.date();
  const targetGroups = readGroups(r);
  const participants = r.int();
  return { deliveredOn, targetGroups, participants, position: r.int() };
};

// Layout: from, to, ref, participationId.
export const packSurvey = (x: SurveyEntry, centreId: string): Stored<SurveyEntry> => {
  if (typeof x.participationId !== 'string' || !refPackable(x.ref)) return x;
  return writeRef(new Writer().date(x.from).date(x.to), x.ref, centreId).id(x.participationId).out;
};

export const readSurvey = (s: Stored<SurveyEntry>, centreId: string): SurveyEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const from = r.date();
  const to = r.date();
  const ref = readRef(r, 'UserSurveyParticipationRecorded', centreId);
  return { participationId: r.id(), from, to, ref };
};

// Layout: year, submittedOn, ref, reportId.
export const packReport = (x: ReportEntry, centreId: string): Stored<ReportEntry> => {
  if (typeof x.reportId !== 'string' || !isCount(x.year) || !refPackable(x.ref)) return x;
  return writeRef(new Writer().int(x.year).date(x.submittedOn), x.ref, centreId).id(x.reportId).out;
};

export const readReport = (s: Stored<ReportEntry>, centreId: string): ReportEntry => {
  if (typeof s !== 'string') return s;
  const r = new Reader(s);
  const year = r.int();
  const submittedOn = r.date();
  const ref = readRef(r, 'AnnualReportSubmitted', centreId);
  return { reportId: r.id(), year, submittedOn, ref };
};
