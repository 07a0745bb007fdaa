import { SharedWith } from '../../../domain/src/governance';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { indexDecision, isInputKind, KindIndex, NavParties, navPartiesOf, noNavParties, noteParty, TitleTails } from './decision-index';
import { EventRef, get, refOf, slot } from './evidence';

/**
 * A centre's county-line decisions: `k`, kind → the adopted decisions as compact as the NAV link needs
 * them (input kinds only); `r`, the revisions in the county's `county-line-<countyId>` stream of every
 * decision that names the centre, so its profile reads just those events.
 */
export interface CentreCountyLine {
  k: KindIndex;
  r: number[];
}

/**
 * countyId → centreId → the centre's county-line decisions (an entry once any decision names it). The
 * decisions in full are folded from the county's own stream on demand (board-detail.ts).
 */
export interface CountyLineView extends TitleTails {
  centres: Record<string, Record<string, CentreCountyLine>>;
  nav: NavParties;
}
export const COUNTY_LINE_DECISIONS = 'county-line-decisions';

export const countyLineProjection: Projection<CountyLineView> = {
  name: COUNTY_LINE_DECISIONS,
  version: 2,
  eventTypes: ['PartyRegistered', 'CountyLineDecisionRecorded'],
  initial: () => ({ centres: {}, nav: noNavParties(), tails: [], tailAt: {} }),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    if (e.type === 'PartyRegistered') noteParty(view.nav, d);
    else if (e.type === 'CountyLineDecisionRecorded') {
      const county = slot(view.centres, d.countyId, () => ({} as Record<string, CentreCountyLine>));
      const [navInput, navLines]: number[][] = isInputKind(d.kind) ? navPartiesOf(d.content, view.nav) : [[], []];
      for (const c of new Set(d.centreIds as string[])) {
        const line = slot(county, c, () => ({ k: {}, r: [] } as CentreCountyLine));
        line.r.push(e.revision);
        if (isInputKind(d.kind)) indexDecision(line.k, view, d.kind, d.decidedOn, e.position, e.eventId, d.year, d.title, navInput, navLines);
      }
    }
    return view;
  },
};

/** A correction of a premises record: what it says since, what it said before, and why. */
export interface CoLocationCorrection {
  premises: string;
  sharedWith: SharedWith[];
  previous: { premises: string; sharedWith: SharedWith[] };
  reason: string;
  event: EventRef;
}

/**
 * A premises record: `premises` and `sharedWith` as it stands (after its corrections), `event` the
 * CoLocationRecorded that entered it, `corrections` oldest first (the first one's `previous` is what
 * was recorded).
 */
export interface CoLocationEntry {
  from: IsoDate;
  premises: string;
  sharedWith: SharedWith[];
  event: EventRef;
  corrections: CoLocationCorrection[];
}

/** A record withdrawn as entered by mistake: no longer counted, still shown. */
export interface WithdrawnCoLocation extends CoLocationEntry {
  withdrawal: { reason: string; event: EventRef };
}

/** A centre's premises: the records standing, in date order, and those withdrawn, in the order withdrawn. */
export interface CentreCoLocations {
  records: CoLocationEntry[];
  withdrawn: WithdrawnCoLocation[];
}

/** centreId → its premises over time. */
export type CoLocationsView = Record<string, CentreCoLocations>;
export const CO_LOCATIONS = 'co-locations';

/** The event that gave a record what it says now: its latest correction, else its recording. */
export const coLocationEventOf = (c: CoLocationEntry): EventRef => (c.corrections.length ? c.corrections[c.corrections.length - 1].event : c.event);

export const coLocationsProjection: Projection<CoLocationsView> = {
  name: CO_LOCATIONS,
  // 2: corrections and withdrawals (a centre's entry became { records, withdrawn }).
  version: 2,
  eventTypes: ['CoLocationRecorded', 'CoLocationCorrected', 'CoLocationWithdrawn'],
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    const d = e.data as any;
    if (e.type === 'CoLocationRecorded') {
      const centre = slot(view, d.centreId, () => ({ records: [], withdrawn: [] } as CentreCoLocations));
      // A new record starts after the latest standing one (the decider's rule): appending keeps the date order.
      centre.records.push({ from: d.from, premises: d.premises, sharedWith: d.sharedWith, event: refOf(e), corrections: [] });
    } else if (e.type === 'CoLocationCorrected') {
      const record = get(view, d.centreId)?.records.find((r) => r.from === d.from);
      if (record) {
        record.corrections.push({ premises: d.premises, sharedWith: d.sharedWith, previous: d.previous, reason: d.reason, event: refOf(e) });
        record.premises = d.premises;
        record.sharedWith = d.sharedWith;
      }
    } else if (e.type === 'CoLocationWithdrawn') {
      const centre = get(view, d.centreId);
      const i = centre ? centre.records.findIndex((r) => r.from === d.from) : -1;
      if (centre && i >= 0) {
        const [record] = centre.records.splice(i, 1);
        centre.withdrawn.push({ ...record, withdrawal: { reason: d.reason, event: refOf(e) } });
      }
    }
    return view;
  },
};
