import { DomainError, isIsoDate, RecordedEvent } from '../../../../libs/domain/src/shared';
import { EventStore, MAX_PAGE } from '../../../../libs/event-store/src/port';
import { DirectoryView } from '../../../../libs/projections/src/directory/centre-directory';
import {
  BOARD_REGISTER,
  CO_LOCATIONS,
  COUNTY_LINE_DECISIONS,
  DetailRead,
  governanceDetail,
  GovernanceDetail,
  GovernanceViews,
  GUIDANCE_PARTNERSHIPS,
  NAV_FINANCIERS,
  OWNER_AGREEMENTS,
  PARTY_DIRECTORY,
} from '../../../../libs/projections/src/governance';
import { keepOutOfAnswerCache } from '../http/answer-cache';
import { HttpLikeRequest } from '../ledger/command-gateway';
import { QueryGate } from '../ledger/query-gate';
import { todayOf } from '../ledger/today';

/**
 * The governance views and the one log position they were all read at; `live` when they are the live
 * views (changed in place by every later fold: see governanceAnswer), not views folded apart at it.
 */
export type GovernanceViewsAt = GovernanceViews & { position: number; live: boolean };

const GOVERNANCE_VIEWS = ['centre-directory', PARTY_DIRECTORY, OWNER_AGREEMENTS, GUIDANCE_PARTNERSHIPS, BOARD_REGISTER, COUNTY_LINE_DECISIONS, CO_LOCATIONS, NAV_FINANCIERS] as const;

/** Every view the governance queries read, all at one position (the `asOf` one, or the live views' one). */
export const governanceViews = async (gate: QueryGate, req: Pick<HttpLikeRequest, 'headers' | 'query'>): Promise<GovernanceViewsAt> => {
  const { position, views, live } = await gate.views(GOVERNANCE_VIEWS, req);
  return governanceViewsOf(views, position, live);
};

const governanceViewsOf = (views: unknown[], position: number, live: boolean): GovernanceViewsAt => {
  const [directory, parties, owners, partnerships, boards, countyLine, coLocations, financiers] = views as [
    DirectoryView,
    GovernanceViews['parties'],
    GovernanceViews['owners'],
    GovernanceViews['partnerships'],
    GovernanceViews['boards'],
    GovernanceViews['countyLine'],
    GovernanceViews['coLocations'],
    GovernanceViews['financiers'],
  ];
  return { directory, parties, owners, partnerships, boards, countyLine, coLocations, financiers, position, live };
};

/** How many times an answer at the head is built again from the live views, moved on, before it is built from views folded apart. */
const LIVE_ATTEMPTS = 3;

/**
 * An answer that combines the governance views with detail read from the store (a board's register, a
 * proposal, a centre's governance profile, a county's county-line decisions), all at one position.
 * Reading the store awaits, and meanwhile a fold can land: the live views change in place (a party
 * renamed), so an answer built from them after the read would mix in a fact recorded after its cut (as
 * of an instant, or at the head, the detail being cut at the views' position). So when the live views
 * moved while the answer was built (or it failed), it is built again: as of an instant, from views folded
 * apart at its position (what the gate gives once the live views are past it); at the head, from the
 * live views at their new position, and after LIVE_ATTEMPTS such tries (writes landing all the while)
 * from views folded apart at the last position. The common case, no fold meanwhile, costs one
 * comparison and copies nothing; a rebuild from views folded apart costs what an as-of answer does.
 * `detail` reads the store cut at the position of the views it is given with.
 */
export const governanceAnswer = async <T>(
  gate: QueryGate,
  store: EventStore,
  req: Pick<HttpLikeRequest, 'headers' | 'query'>,
  answer: (v: GovernanceViewsAt, detail: (reads: readonly DetailRead[]) => Promise<GovernanceDetail>) => T | Promise<T>,
): Promise<T> => {
  let v = await governanceViews(gate, req);
  for (let attempt = 1; ; attempt++) {
    const at = v;
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await answer(at, (reads) => governanceDetailOf(store, reads, at.position)) };
    } catch (error) {
      outcome = { error };
    }
    // Positions only grow: not moved now means no fold landed since the views were taken.
    if (!at.live || !gate.moved(at.position)) {
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
    v = attempt < LIVE_ATTEMPTS ? await governanceViews(gate, req) : governanceViewsOf(await gate.viewsApartAt(GOVERNANCE_VIEWS, at.position), at.position, false);
  }
};

/**
 * The business date a query asks about (`?date=YYYY-MM-DD`; left out, empty `?date=` or bare `?date`
 * alike mean the request's today, todayOf: the date in Norway, Europe/Oslo, as every "today" of the
 * ledger, and as of a past moment that moment's day there). Not `asOf`, which is recorded time. An
 * answer on a today taken from the clock is kept out of the answer cache: its URL does not name the
 * date, so after midnight (in Norway) it would be yesterday's; one as of a past moment names its day.
 */
export const businessDate = (raw: unknown, req: object & { query?: Record<string, unknown> }): string => {
  if (raw === undefined || raw === '') {
    const today = todayOf(req);
    if (today.fromClock) keepOutOfAnswerCache(req);
    return today.day;
  }
  if (!isIsoDate(raw)) throw new DomainError('REQUEST.BAD_DATE', 'date must be a business date written as YYYY-MM-DD (use asOf for recorded time).', 'invalid', { date: typeof raw === 'string' ? raw.slice(0, 32) : null });
  return raw;
};

export const notFound = (code: string, message: string): DomainError => new DomainError(code, message, 'not-found');

/** A stream read whole, page by page, forwards. */
const readWholeStream = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: out.length === 0 ? 0 : out[out.length - 1].revision + 1, maxCount: MAX_PAGE });
    out.push(...page);
    if (page.length < MAX_PAGE) return out;
  }
};

/** The events at the given revisions of a stream, reading each run of consecutive revisions at once. */
const readRevisions = async (store: EventStore, streamId: string, revisions: readonly number[]): Promise<RecordedEvent[]> => {
  const sorted = [...new Set(revisions)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const r of sorted) {
    const last = runs[runs.length - 1];
    if (last && r === last[0] + last[1] && last[1] < MAX_PAGE) last[1]++;
    else runs.push([r, 1]);
  }
  const pages = await Promise.all(runs.map(([fromRevision, maxCount]) => store.readStream(streamId, { fromRevision, maxCount })));
  return pages.flat();
};

/** Every event a detail folds (whole streams, or some revisions of a stream). */
export const readDetail = async (store: EventStore, reads: readonly DetailRead[]): Promise<RecordedEvent[]> =>
  (await Promise.all(reads.map((r) => (r.revisions ? readRevisions(store, r.streamId, r.revisions) : readWholeStream(store, r.streamId))))).flat();

/**
 * The detail (full board registers, county-line decisions) a query folds from the store, as of the
 * position its views were read at (`GovernanceViewsAt.position`): events recorded after that are
 * left out, so the detail and the views describe the same ledger.
 */
export const governanceDetailOf = async (store: EventStore, reads: readonly DetailRead[], position: number): Promise<GovernanceDetail> => {
  const events = reads.length === 0 ? [] : await readDetail(store, reads);
  return governanceDetail(events.filter((e) => e.position <= position));
};
