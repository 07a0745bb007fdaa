import { Decider, DomainEvent, IsoDate, refuse, assertNever } from '../shared';
import { CountyState } from './county';

export const centreStream = (centreId: string): string => `centre-${centreId}`;

export type CentreEvent =
  | DomainEvent<'CentreRegistered', { centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate }>
  | DomainEvent<'CentreRenamed', { centreId: string; name: string; previousName: string; effectiveFrom: IsoDate }>
  | DomainEvent<'CentreClosed', { centreId: string; closedOn: IsoDate; reason: string }>;

export type CentreCommand =
  | { type: 'RegisterCentre'; data: { centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate }; county: CountyState }
  | { type: 'RenameCentre'; data: { centreId: string; name: string; effectiveFrom: IsoDate } }
  | { type: 'CloseCentre'; data: { centreId: string; closedOn: IsoDate; reason: string } };

export type CentreState =
  | { status: 'unregistered' }
  | { status: 'open'; centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate }
  | { status: 'closed'; centreId: string; countyId: string; name: string; municipality: string; openedOn: IsoDate; closedOn: IsoDate };

/** Refuses unless the centre exists and is open: shared by every decision about a centre. */
export const requireOpenCentre = (state: CentreState, centreId: string): Extract<CentreState, { status: 'open' }> => {
  if (state.status === 'unregistered') return refuse('CENTRE.NOT_FOUND', `No career centre with id ${centreId} is registered.`, 'not-found', { centreId });
  if (state.status === 'closed') return refuse('CENTRE.CLOSED', `Career centre ${state.name} was closed on ${state.closedOn}; nothing more can be recorded for it.`, 'rule', { centreId, closedOn: state.closedOn });
  return state;
};

export const centreDecider: Decider<CentreCommand, CentreEvent, CentreState> = {
  initialState: () => ({ status: 'unregistered' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CentreRegistered':
        return { status: 'open', ...event.data };
      case 'CentreRenamed':
        return state.status === 'unregistered' ? state : { ...state, name: event.data.name };
      case 'CentreClosed':
        return state.status === 'open' ? { ...state, status: 'closed', closedOn: event.data.closedOn } : state;
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterCentre': {
        if (state.status !== 'unregistered') refuse('CENTRE.ALREADY_REGISTERED', `A career centre with id ${command.data.centreId} is already registered.`, 'conflict');
        if (command.county.status !== 'registered') refuse('COUNTY.NOT_FOUND', `County ${command.data.countyId} is not registered.`, 'not-found', { countyId: command.data.countyId });
        return [{ type: 'CentreRegistered', data: { ...command.data } }];
      }
      case 'RenameCentre': {
        const open = requireOpenCentre(state, command.data.centreId);
        if (command.data.effectiveFrom < open.openedOn) refuse('CENTRE.DATE_BEFORE_OPENING', `The new name cannot take effect before the centre opened (${open.openedOn}).`);
        if (open.name === command.data.name) return [];
        return [{ type: 'CentreRenamed', data: { ...command.data, previousName: open.name } }];
      }
      case 'CloseCentre': {
        const open = requireOpenCentre(state, command.data.centreId);
        if (command.data.closedOn < open.openedOn) refuse('CENTRE.DATE_BEFORE_OPENING', `A centre cannot close (${command.data.closedOn}) before it opened (${open.openedOn}).`);
        return [{ type: 'CentreClosed', data: { ...command.data } }];
      }
      default:
        return assertNever(command);
    }
  },
};
