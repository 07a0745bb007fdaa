import { Decider, DomainEvent, refuse, assertNever } from '../shared';

export const countyStream = (countyId: string): string => `county-${countyId}`;

export type CountyEvent = DomainEvent<'CountyRegistered', { countyId: string; name: string; countyNumber: string }>;

export type CountyCommand = {
  type: 'RegisterCounty';
  data: { countyId: string; name: string; countyNumber: string };
  /** Another county already registered with this number (null: none); loaded by the application across county streams. */
  numberTakenBy?: { countyId: string; name: string } | null;
};

export type CountyState =
  | { status: 'unregistered' }
  | { status: 'registered'; countyId: string; name: string; countyNumber: string };

export const countyDecider: Decider<CountyCommand, CountyEvent, CountyState> = {
  initialState: () => ({ status: 'unregistered' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CountyRegistered':
        return { status: 'registered', ...event.data };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterCounty':
        if (state.status === 'registered') refuse('COUNTY.ALREADY_REGISTERED', `County ${command.data.countyId} is already registered.`, 'conflict');
        // The number orders the counties (key figures, the base grant's remainder rule): one county each.
        if (command.numberTakenBy) {
          refuse('COUNTY.NUMBER_TAKEN', `County number ${command.data.countyNumber} is already ${command.numberTakenBy.name}'s (${command.numberTakenBy.countyId}).`, 'conflict', { countyNumber: command.data.countyNumber, countyId: command.numberTakenBy.countyId });
        }
        return [{ type: 'CountyRegistered', data: { ...command.data } }];
      default:
        return assertNever(command.type);
    }
  },
};
