import { keepOutOfAnswerCache } from '../http/answer-cache';
import { IsoDate, osloDateOf } from '../../../../libs/domain/src/shared';
import { parseAsOf } from './query-gate';

/** Today as the clock says: the date in Norway now (the domain stays clock-free; the edge reads the clock). */
export const todayInNorway = (): IsoDate => osloDateOf(new Date().toISOString());

/** A request's "today" (see todayOf). */
export interface RequestToday {
  readonly day: IsoDate;
  /**
   * The day came from the clock (no asOf, or an asOf whose day in Norway is still to come): an answer
   * on it changes at midnight although its URL does not. False when it is the asOf's own day, which
   * the URL names: that answer is the same on every later day.
   */
  readonly fromClock: boolean;
}

const TODAY = new WeakMap<object, RequestToday>();

/**
 * "Today" for one request, worked out once (every use in the request gets the same day, also across
 * midnight): without `asOf`, the date in Norway now; as of a past moment, that moment's day in Norway
 * (an answer as of M is the answer given at M, whenever it is asked), capped at today (an `asOf`
 * still to come names no later day than the one it is asked on). A malformed asOf is 400
 * REQUEST.BAD_AS_OF, as everywhere.
 */
export const todayOf = (req: object & { query?: Record<string, unknown> }): RequestToday => {
  let today = TODAY.get(req);
  if (today) return today;
  const now = todayInNorway();
  const asOf = parseAsOf(req.query?.asOf);
  const day = asOf === null ? now : osloDateOf(asOf);
  // Days compared as dates, not as strings: an asOf in year 10000 or later ('10000-01-01') sorted
  // before '2026-…' and was answered as of that day. (An asOf names no year before 1970.)
  const toCome = asOf !== null && (day.length > now.length || (day.length === now.length && day > now));
  today = asOf === null || toCome ? { day: now, fromClock: true } : { day, fromClock: false };
  TODAY.set(req, today);
  return today;
};

/**
 * Directory entries as answered on the request's today (todayOf): each as on that date, with the next
 * rename dated later. An answer that names such a rename changes on that day although its URL does not,
 * so when its today came from the clock it is kept out of the answer cache (like a `?date=` left to
 * default to today); one without, or one as of a past moment (its day is in its URL), may be kept.
 */
export const answeredToday = <E, A extends { upcomingRename: unknown }>(entries: readonly E[], onDay: (e: E, day: IsoDate) => A, req: object): A[] => {
  const today = todayOf(req);
  const answers = entries.map((e) => onDay(e, today.day));
  if (today.fromClock && answers.some((a) => a.upcomingRename !== null)) keepOutOfAnswerCache(req);
  return answers;
};
