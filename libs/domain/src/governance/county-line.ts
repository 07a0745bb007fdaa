import { CentreState, requireCentre, requireOpenFor } from '../counties';
import { PartyState } from '../parties';
import { assertNever, DecideContext, Decider, DomainEvent, IsoDate, osloDateOf, own, putOwn, refuse } from '../shared';
import { ContentInput, DecisionContent, normaliseContent, ProposalKind } from './content';

/**
 * A centre without a board is governed along the county line (Vest-Agder): the county authority
 * records the same kinds of decisions directly; each is marked `governedBy: 'county-line'`.
 */
export const countyLineStream = (countyId: string): string => `county-line-${countyId}`;

export type CountyLineEvent = DomainEvent<
  'CountyLineDecisionRecorded',
  { decisionId: string; countyId: string; centreIds: string[]; kind: ProposalKind; year: number; title: string; content: DecisionContent; decidedOn: IsoDate; decidedBy: string; outcome: 'adopted'; governedBy: 'county-line' }
>;

export type CountyLineCommand = {
  type: 'RecordCountyLineDecision';
  data: { decisionId: string; countyId: string; centreIds: string[]; kind: ProposalKind; year: number; title: string; content: ContentInput; decidedOn: IsoDate | null; decidedBy: string };
  countyRegistered: boolean;
  centres: Record<string, CentreState>;
  parties: Record<string, PartyState>;
};

export interface CountyLineState {
  decisionIds: Record<string, true>;
}

export const countyLineDecider: Decider<CountyLineCommand, CountyLineEvent, CountyLineState> = {
  initialState: () => ({ decisionIds: {} }),
  // Records the id in place (it is always a fresh fold from initialState), so loading a county with
  // many decisions stays linear.
  evolve: (state, event) => {
    if (event.type === 'CountyLineDecisionRecorded') putOwn(state.decisionIds, event.data.decisionId, true);
    return state;
  },
  decide: (command, state, ctx: DecideContext) => {
    switch (command.type) {
      case 'RecordCountyLineDecision': {
        const d = command.data;
        if (!command.countyRegistered) refuse('COUNTY.NOT_FOUND', `County ${d.countyId} is not registered.`, 'not-found', { countyId: d.countyId });
        if (own(state.decisionIds, d.decisionId)) refuse('COUNTY_LINE.DECISION_EXISTS', `Decision ${d.decisionId} is already recorded for county ${d.countyId}.`, 'conflict', { decisionId: d.decisionId });
        if (d.centreIds.length === 0) refuse('COUNTY_LINE.NO_CENTRES', 'A county-line decision names the centres it is for.', 'invalid');
        if (new Set(d.centreIds).size !== d.centreIds.length) refuse('COUNTY_LINE.DUPLICATE_CENTRE', 'A centre is named more than once.', 'invalid');
        // The ledger records decisions taken: one dated after today (in Norway) has not been taken yet.
        const today = osloDateOf(ctx.now);
        const decidedOn = d.decidedOn ?? today;
        if (decidedOn > today) refuse('COUNTY_LINE.DECIDED_IN_FUTURE', `A county-line decision is recorded once it is taken; decidedOn (${decidedOn}) is after today (${today}).`, 'rule', { decidedOn, today });
        for (const id of d.centreIds) {
          const c = requireCentre(command.centres[id] ?? { status: 'unregistered' }, id);
          if (c.countyId !== d.countyId) refuse('COUNTY_LINE.CENTRE_OF_OTHER_COUNTY', `Centre ${c.name} belongs to county ${c.countyId}, not ${d.countyId}.`, 'rule', { centreId: id });
          if (decidedOn < c.openedOn) {
            refuse('COUNTY_LINE.BEFORE_OPENING', `A decision dated ${decidedOn} cannot be for centre ${c.name}, which opened on ${c.openedOn}.`, 'rule', { centreId: id, decidedOn, openedOn: c.openedOn });
          }
        }
        const content = normaliseContent(d.kind, d.content, command.parties, d.countyId);
        const events: CountyLineEvent[] = [{ type: 'CountyLineDecisionRecorded', data: { decisionId: d.decisionId, countyId: d.countyId, centreIds: d.centreIds, kind: d.kind, year: d.year, title: d.title, content, decidedOn, decidedBy: d.decidedBy, outcome: 'adopted', governedBy: 'county-line' } }];
        // None for a centre closed on decidedOn (the date rule); a centre whose closure is later is open then.
        for (const id of d.centreIds) requireOpenFor(command.centres[id], id, events);
        return events;
      }
      default:
        return assertNever(command.type);
    }
  },
};
