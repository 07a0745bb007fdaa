import { DecisionContent, ProposalKind, SharedWith } from '../../../domain/src/governance';
import { IsoDate, RecordedEvent } from '../../../domain/src/shared';
import { Projection } from '../projection';
import { EventRef, refOf, slot } from './evidence';

export interface CountyLineDecisionEntry {
  decisionId: string;
  countyId: string;
  centreIds: string[];
  kind: ProposalKind;
  year: number;
  title: string;
  content: DecisionContent;
  decidedOn: IsoDate;
  decidedBy: string;
  event: EventRef;
}

/** countyId → the decisions its county authority recorded directly (centres without a board). */
export type CountyLineView = Record<string, CountyLineDecisionEntry[]>;
export const COUNTY_LINE_DECISIONS = 'county-line-decisions';

export const countyLineProjection: Projection<CountyLineView> = {
  name: COUNTY_LINE_DECISIONS,
  version: 1,
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    if (e.type === 'CountyLineDecisionRecorded') {
      const d = e.data as any;
      slot(view, d.countyId, () => ([])).push({ decisionId: d.decisionId, countyId: d.countyId, centreIds: d.centreIds, kind: d.kind, year: d.year, title: d.title, content: d.content, decidedOn: d.decidedOn, decidedBy: d.decidedBy, event: refOf(e) });
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
  initial: () => ({}),
  evolve: (view, e: RecordedEvent) => {
    if (e.type === 'CoLocationRecorded') {
      const d = e.data as any;
      slot(view, d.centreId, () => ([])).push({ from: d.from, premises: d.premises, sharedWith: d.sharedWith, event: refOf(e) });
    }
    return view;
  },
};
