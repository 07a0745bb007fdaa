import { SharedWith } from '../../../domain/src/governance';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { indexDecision, isInputKind, KindIndex, NavParties, navPartiesOf, noNavParties, noteParty, TitleTails } from './decision-index';
import { EventRef, refOf, slot } from './evidence';

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

export interface CoLocationEntry {
  from: IsoDate;
  premises: string;
  sharedWith: SharedWith[];
  event: EventRef;
}

/** centreId → its premises over time, in order. */
export type CoLocationsView = Record<string, CoLocationEntry[]>;
export const CO_LOCATIONS = 'co-locations';

export const coLocationsProjection: Projection<CoLocationsView> = {
  name: CO_LOCATIONS,
  version: 1,
  eventTypes: ['CoLocationRecorded'],
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    if (e.type === 'CoLocationRecorded') {
      const d = e.data as any;
      slot(view, d.centreId, () => ([])).push({ from: d.from, premises: d.premises, sharedWith: d.sharedWith, event: refOf(e) });
    }
    return view;
  },
};
