import { Inject, Injectable } from '@nestjs/common';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { DomainError } from '../../../../libs/domain/src/shared';
import { osloDateOf } from '../../../../libs/domain/src/shared/dates';

/** The shape of an `asOf` (parseAsOf then checks the date and time are real). */
export const AS_OF_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * The auditor's `asOf`: a recorded-time instant, ISO-8601 with a zone (`2014-05-09T23:59:59Z`,
 * `2014-05-09T23:59:59+02:00`), or a bare date meaning the end of that day in Norway (as every
 * "today" of the ledger is Norway's date: an auditor's "on 9 May" is a Norwegian day). Returns the
 * instant in the store's format (toISOString), or null when absent; anything else is a 400.
 */
export const parseAsOf = (raw: unknown, name: CutName = 'asOf'): string | null => parseInstant(raw, 'end', name);

/**
 * The start of a recorded-time range (`/audit/events?from=`): as parseAsOf, but a bare date means
 * the first millisecond of that day in Norway (00:00 Europe/Oslo), and an instant written finer than
 * the millisecond is rounded up to the next one (the store records milliseconds: an event recorded
 * at 10:00:00.000 was recorded before 10:00:00.0005, so the range starts at 10:00:00.001). The end of
 * a range is parseAsOf (truncated: 10:00:00.0005 includes 10:00:00.000).
 */
export const parseRangeStart = (raw: unknown): string | null => parseInstant(raw, 'start', 'from');

/**
 * The first year an instant may name. A recorded time is a server's clock when the ledger wrote an
 * event, so nothing was recorded before 1970 (the Unix epoch); an earlier year is a mistyped instant
 * (`0014-05-09` for 2014-05-09), refused rather than answered as an empty ledger. (Before, a bare date in
 * the years 0000–0099 was even read as 1900–1999: Date.UTC's two-digit-year rule.)
 */
export const MIN_AS_OF_YEAR = 1970;

/** The query parameters that name a recorded-time cut: asOf on every read route, from and to on the audit log. */
type CutName = 'asOf' | 'from' | 'to';
/** What a bare date means for each, in the refusal's words. */
const BARE_DATE_MEANS: Record<CutName, string> = { asOf: 'the end of that day in Norway', to: 'to the end of that day in Norway', from: 'from 00:00 that day in Norway' };

/** An asOf-shaped instant; a bare date is the end (asOf, `to`) or the start (`from`) of that day in Norway. Refusals name the parameter. */
const parseInstant = (raw: unknown, bareDate: 'start' | 'end', name: CutName): string | null => {
  if (raw === undefined) return null;
  // The value is repeated (cut to 40 characters, quoted as JSON so nothing in it is hidden): the reader sees what was read.
  const given = typeof raw === 'string' ? ` ${JSON.stringify(raw.slice(0, 40))} is not one.` : Array.isArray(raw) ? ' It was given more than once.' : '';
  const shown = typeof raw === 'string' ? raw.slice(0, 64) : null;
  const bad = (why = `${name} must be one recorded-time instant such as 2014-05-09T23:59:59Z (or a date such as 2014-05-09, meaning ${BARE_DATE_MEANS[name]}).${given}`) =>
    new DomainError('REQUEST.BAD_AS_OF', why, 'invalid', name === 'asOf' ? { asOf: shown } : { parameter: name, [name]: shown });
  if (typeof raw !== 'string' || raw.length > 40) throw bad();
  const m = AS_OF_PATTERN.exec(raw);
  if (!m) throw bad();
  const [, y, mo, d, h, mi, sec, fraction] = m;
  if (+y < MIN_AS_OF_YEAR) throw bad(`${name} names a recorded time, which is never before ${MIN_AS_OF_YEAR}: ${raw.slice(0, 40)} is probably mistyped (write the year in full, such as 2014-05-09).`);
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || (h !== undefined && (+h > 23 || +mi > 59 || (sec !== undefined && +sec > 59)))) throw bad();
  // Date.parse keeps the first three digits of the fraction (the millisecond); a range's start rounds up past any beyond them.
  const ms = h === undefined ? (bareDate === 'end' ? endOfOsloDay(+y, +mo, +d) : startOfOsloDay(+y, +mo, +d)) : Date.parse(raw) + (bareDate === 'start' && /[1-9]/.test(fraction?.slice(3) ?? '') ? 1 : 0);
  if (!Number.isFinite(ms) || new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDate() !== +d) throw bad();
  return new Date(ms).toISOString();
};

/**
 * The last millisecond of a day in Europe/Oslo: the next day's local midnight (UTC+1 in winter,
 * UTC+2 in summer; DST changes at 01:00 UTC, never at midnight) less 1 ms.
 */
const endOfOsloDay = (y: number, mo: number, d: number): number => {
  const key = Date.UTC(y, mo - 1, d);
  let end = osloDayEnds.get(key);
  if (end === undefined) {
    if (osloDayEnds.size >= OSLO_DAY_ENDS_KEPT) osloDayEnds.clear();
    osloDayEnds.set(key, (end = computeEndOfOsloDay(y, mo, d)));
  }
  return end;
};

/**
 * The calendar never changes, so each day's end is computed once (Intl's Oslo date is ~4 µs a call, and
 * one read parses its asOf up to three times: the read-cut guard, its "today", the gate). Bounded: a
 * client asking for every day of many years empties it rather than growing it.
 */
const osloDayEnds = new Map<number, number>();
const OSLO_DAY_ENDS_KEPT = 20_000;

const computeEndOfOsloDay = (y: number, mo: number, d: number): number => {
  const nextMidnightUtc = Date.UTC(y, mo - 1, d + 1);
  for (const offsetHours of [2, 1]) {
    const t = nextMidnightUtc - offsetHours * 3_600_000;
    if (osloDateOf(new Date(t).toISOString()) !== osloDateOf(new Date(t - 1).toISOString())) return t - 1;
  }
  return nextMidnightUtc - 3_600_000 - 1; // not reached for real dates
};

/** The first millisecond of a day in Europe/Oslo (its local midnight): the millisecond after the previous day's last. */
const startOfOsloDay = (y: number, mo: number, d: number): number => endOfOsloDay(y, mo, d - 1) + 1;

/**
 * `atPosition`: a global log position, a whole number from 0 to `head`, else a 400.
 * (A recorded snapshot names its position: answering there reproduces exactly what it saw.)
 */
export const parseAtPosition = (raw: unknown, head: number): number => {
  const position = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(position) || position > head) {
    throw new DomainError('REQUEST.BAD_POSITION', `atPosition must be a whole number from 0 to the log's head position (${head}).`, 'invalid', {
      atPosition: typeof raw === 'string' ? raw.slice(0, 64) : null,
      headPosition: head,
    });
  }
  return position;
};

/**
 * `X-Ledger-Position`: a global log position as a write answered it, written in digits only (at most
 * 16, a safe integer), or null when the header is absent. Anything else (empty, `0x10`, `1e3`, `-1`,
 * `1.5`, two values) is a 400 REQUEST.BAD_POSITION, whatever the route: `Number()` would have read
 * `''` as 0, `0x10` as 16 and `1e3` as 1000. A position beyond the log's head is well-formed: the read
 * waits for it like any other, then 503 VIEWS.CATCHING_UP (another process may be about to write it).
 */
export const parseLedgerPosition = (raw: unknown): number | null => {
  if (raw === undefined) return null;
  const position = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(position)) {
    throw new DomainError('REQUEST.BAD_POSITION', 'X-Ledger-Position must be a global log position written in digits (0 or more), such as the position a write answered.', 'invalid', {
      header: 'X-Ledger-Position',
      value: typeof raw === 'string' ? raw.slice(0, 64) : Array.isArray(raw) ? raw.join(', ').slice(0, 64) : null,
    });
  }
  return position;
};

/**
 * Read-your-writes: a query waits until the views include every position this process has
 * acknowledged, and any position the client names in `X-Ledger-Position`.
 */
@Injectable()
export class QueryGate {
  constructor(@Inject(ProjectionEngine) readonly engine: ProjectionEngine) {}

  /**
   * The view a query answers from. Pass the whole request: the auditor's `asOf` (recorded time)
   * is handled here, once, for every query.
   */
  async view<V>(name: string, req?: { headers?: Record<string, unknown>; query?: Record<string, unknown> }): Promise<V> {
    const named = parseLedgerPosition(req?.headers?.['x-ledger-position']);
    const asOf = parseAsOf(req?.query?.asOf);
    if (asOf !== null) return this.engine.viewAt<V>(name, await this.engine.positionAt(asOf));
    // Nothing to wait for (the common case): no position named and every acknowledged write in the views.
    if (named !== null || !this.engine.upToDate) await this.engine.readYourWrites(named ?? undefined);
    return this.engine.view<V>(name);
  }

  /**
   * As `view`, for a route that also takes `atPosition` (a log position, exact where `asOf`'s
   * instant may hold several writes); naming both cuts is a 400.
   */
  async viewAtPosition<V>(name: string, req?: { headers?: Record<string, unknown>; query?: Record<string, unknown> }): Promise<V> {
    const raw = req?.query?.atPosition;
    if (raw === undefined) return this.view<V>(name, req);
    parseLedgerPosition(req?.headers?.['x-ledger-position']); // a malformed one is a 400 here too (atPosition names the cut)
    if (req?.query?.asOf !== undefined) {
      throw new DomainError('REQUEST.AS_OF_WITH_AT_POSITION', 'Name one cut of the log: asOf (a recorded time) or atPosition (a log position), not both.', 'invalid');
    }
    return this.engine.viewAt<V>(name, parseAtPosition(raw, await this.engine.headPosition()));
  }

  /**
   * Several views at ONE position, for a query that combines them: the `asOf` position, else the
   * live views' position after one wait (read together, so no fold lands between two of them:
   * ProjectionEngine.viewsAt). Returns that position too, for anything the query then reads from the
   * store, and whether the views are the live ones (`live`): those change in place as later events are
   * folded, so a query that awaits (a store read) before it has built its answer checks `moved`
   * afterwards and, if they moved, builds it again (governanceAnswer).
   */
  async views(names: readonly string[], req?: { headers?: Record<string, unknown>; query?: Record<string, unknown> }): Promise<{ position: number; views: unknown[]; live: boolean }> {
    const named = parseLedgerPosition(req?.headers?.['x-ledger-position']);
    const asOf = parseAsOf(req?.query?.asOf);
    if (asOf !== null) {
      const position = await this.engine.positionAt(asOf);
      return { position, ...(await this.engine.viewsAt(names, position)) };
    }
    if (named !== null || !this.engine.upToDate) await this.engine.readYourWrites(named ?? undefined);
    return { position: this.engine.position, views: names.map((n) => this.engine.view(n)), live: true };
  }

  /**
   * The same views at `position`, folded apart from the live ones (never changed by a later fold): for a
   * query whose live views moved while it awaited, and which must answer at the position it started at.
   * `position` must be behind the live views (it is, once they moved).
   */
  async viewsApartAt(names: readonly string[], position: number): Promise<unknown[]> {
    if (position >= this.engine.position) throw new Error(`views apart at ${position} asked while the live views are at ${this.engine.position}`);
    return Promise.all(names.map((n) => this.engine.viewAt(n, position)));
  }

  /** Whether the live views are no longer at `position` (a fold landed since they were taken there). */
  moved(position: number): boolean {
    return this.engine.position !== position;
  }

  /** The global position an `asOf` names (the last event recorded at or before it), or null without `asOf`. */
  async asOfPosition(req?: { query?: Record<string, unknown> }): Promise<{ asOf: string; position: number } | null> {
    const asOf = parseAsOf(req?.query?.asOf);
    return asOf === null ? null : { asOf, position: await this.engine.positionAt(asOf) };
  }

  async ready(headers?: Record<string, unknown>): Promise<void> {
    await this.engine.readYourWrites(parseLedgerPosition(headers?.['x-ledger-position']) ?? undefined);
  }

  /**
   * `X-Ledger-Position` for a route that reads the store rather than the views (the audit routes):
   * malformed is 400 REQUEST.BAD_POSITION as everywhere; the store is always at its head, so only a
   * position not yet written is waited for, the same wait as every read's (then 503 VIEWS.CATCHING_UP).
   */
  async storeAt(req?: { headers?: Record<string, unknown> }): Promise<void> {
    const named = parseLedgerPosition(req?.headers?.['x-ledger-position']);
    if (named !== null && named > (await this.engine.headPosition())) await this.engine.caughtUp(named);
  }
}
