import { refuse } from './domain-error';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as 'YYYY-MM-DD'; business dates never carry a time or zone. */
export type IsoDate = string;

export const isIsoDate = (s: unknown): s is IsoDate => {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
};

/**
 * Refuses a date that is not a real calendar date written YYYY-MM-DD: 400 DATE.INVALID with the
 * details every DATE.INVALID has, whether the request's check refused its form ("09.05.2014") or the
 * ledger found it is not in the calendar ("2014-02-30"): `field`, and `fields` as the request's check
 * lists them (`[{ field, problems, code }]`), so a client finds the field in the same place either way.
 * `extra` adds details of its own.
 */
export const refuseDate = (field: string, message: string, extra: Record<string, unknown> = {}): never =>
  refuse('DATE.INVALID', message, 'invalid', { ...extra, field, fields: [{ field, problems: [message.replace(/\.$/, '')], code: 'DATE.INVALID' }] });

/** Days since 1970-01-01 (UTC), for exact day arithmetic. */
export const dayNumber = (d: IsoDate): number => Math.round(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
export const fromDayNumber = (n: number): IsoDate => new Date(n * 86_400_000).toISOString().slice(0, 10);
export const addDays = (d: IsoDate, n: number): IsoDate => fromDayNumber(dayNumber(d) + n);

/** A period [from, to] with both ends inclusive; `to` null means open-ended. */
export interface Period {
  from: IsoDate;
  to: IsoDate | null;
}

export const assertPeriod = (p: Period, code = 'PERIOD.ENDS_BEFORE_START'): void => {
  if (p.to !== null && p.to < p.from) refuse(code, `The period ends (${p.to}) before it starts (${p.from}).`, 'rule', { from: p.from, to: p.to });
};

export const periodContains = (p: Period, d: IsoDate): boolean => p.from <= d && (p.to === null || d <= p.to);

export const periodsOverlap = (a: Period, b: Period): boolean =>
  a.from <= (b.to ?? '9999-12-31') && b.from <= (a.to ?? '9999-12-31');

/** Formats an instant as its calendar date in Norway (the en-CA locale writes YYYY-MM-DD); made once. */
const OSLO_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * The calendar date in Norway (Europe/Oslo: UTC+1, UTC+2 in summer) at an instant given as an ISO
 * date-time (a DecideContext's `now`). From 23:00 UTC in winter (22:00 in summer) it is already the
 * next day, where the UTC date (`now.slice(0, 10)`) is still the day before. Every "today" of the
 * ledger is this one (a date a command leaves out, the "in the future" and judging-date checks, the
 * `?date=` a read route leaves out, the directory's name in force): there is no UTC "today". Pure:
 * the caller passes the instant.
 */
export const osloDateOf = (nowIso: string): IsoDate => {
  const parts = OSLO_DATE.formatToParts(new Date(nowIso));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
};
