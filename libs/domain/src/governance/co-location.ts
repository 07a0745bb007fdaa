import { CentreState, requireCentre, requireOpenFor } from '../counties';
import { PartyState, requireParty } from '../parties';
import { assertNever, Decider, DomainEvent, IsoDate, refuse } from '../shared';

/** A centre's premises over time: each record holds from its date until the next one. */
export const coLocationStream = (centreId: string): string => `co-location-${centreId}`;

export const CO_LOCATION_KINDS = ['nav-county-office', 'nav-local-office', 'upper-secondary-school', 'opus-centre', 'other'] as const;
export type CoLocationKind = (typeof CO_LOCATION_KINDS)[number];

export type SharedWith = { kind: CoLocationKind; partyId: string | null; name: string | null };

export type CoLocationEvent = DomainEvent<'CoLocationRecorded', { centreId: string; countyId: string; from: IsoDate; premises: string; sharedWith: SharedWith[] }>;

export type CoLocationCommand = {
  type: 'RecordCoLocation';
  data: { centreId: string; from: IsoDate; premises: string; sharedWith: SharedWith[] };
  centre: CentreState;
  parties: Record<string, PartyState>;
};

export interface CoLocationState {
  latestFrom: IsoDate | null;
}

export const coLocationDecider: Decider<CoLocationCommand, CoLocationEvent, CoLocationState> = {
  initialState: () => ({ latestFrom: null }),
  evolve: (state, event) => (event.type === 'CoLocationRecorded' ? { latestFrom: event.data.from } : state),
  decide: (command, state) => {
    switch (command.type) {
      case 'RecordCoLocation': {
        const d = command.data;
        const centre = requireCentre(command.centre, d.centreId);
        if (d.from < centre.openedOn) {
          refuse('CO_LOCATION.BEFORE_OPENING', `Premises cannot be recorded from ${d.from}, before centre ${centre.name} opened (${centre.openedOn}).`, 'rule', { from: d.from, openedOn: centre.openedOn });
        }
        if (state.latestFrom !== null && d.from <= state.latestFrom) {
          refuse('CO_LOCATION.OUT_OF_ORDER', `The premises recorded from ${state.latestFrom} are the latest; a new record must start after that date.`, 'rule', { latestFrom: state.latestFrom, from: d.from });
        }
        for (const s of d.sharedWith) {
          if (!CO_LOCATION_KINDS.includes(s.kind)) refuse('CO_LOCATION.UNKNOWN_KIND', `kind ${String(s.kind)} is not one of: ${CO_LOCATION_KINDS.join(', ')}.`, 'invalid');
          // An entry names whom the premises are shared with: a registered party, or at least a name.
          if (s.partyId === null && (s.name === null || s.name.trim() === '')) {
            refuse('CO_LOCATION.SHARED_WITH_UNNAMED', `Each sharedWith entry names a party (partyId) or a name; a ${s.kind} entry with neither says nothing.`, 'invalid', { kind: s.kind });
          }
          if (s.partyId !== null) {
            const party = requireParty(command.parties[s.partyId] ?? { status: 'unregistered' }, s.partyId);
            // A NAV kind names a party of that NAV kind, so the NAV link never counts a municipality as NAV.
            if ((s.kind === 'nav-county-office' || s.kind === 'nav-local-office') && party.kind !== s.kind) {
              refuse('CO_LOCATION.KIND_MISMATCH', `sharedWith names ${party.name} (${s.partyId}), a ${party.kind}, as a ${s.kind}; name a party of that kind, or give another kind.`, 'rule', { partyId: s.partyId, kind: s.kind, partyKind: party.kind });
            }
          }
        }
        const events: CoLocationEvent[] = [{ type: 'CoLocationRecorded', data: { centreId: d.centreId, countyId: centre.countyId, from: d.from, premises: d.premises, sharedWith: d.sharedWith } }];
        // Premises from a day the centre is open are recorded, also when its closure is recorded for a later date.
        requireOpenFor(command.centre, d.centreId, events);
        return events;
      }
      default:
        return assertNever(command.type);
    }
  },
};
