import { deciderSpec } from '../shared/decider-spec';
import { PartyCommand, partyDecider } from './party';

const spec = deciderSpec(partyDecider);
const register = (over: Partial<Extract<PartyCommand, { type: 'RegisterParty' }>> = {}): PartyCommand => ({
  type: 'RegisterParty',
  data: { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark', organisationNumber: null },
  countyRegistered: true,
  ...over,
});

describe('parties', () => {
  it('registers a party once', () => {
    const [e] = spec.given([]).when(register()).then([{ type: 'PartyRegistered', data: { partyId: 'nav-telemark', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark', organisationNumber: null } }]);
    spec.given([e]).when(register()).thenThrows('PARTY.ALREADY_REGISTERED', 'conflict');
  });
  it('refuses an unregistered county and an unknown kind', () => {
    spec.given([]).when(register({ countyRegistered: false })).thenThrows('COUNTY.NOT_FOUND', 'not-found');
    spec.given([]).when(register({ data: { partyId: 'x', name: 'x', kind: 'bank' as never, countyId: null, organisationNumber: null } })).thenThrows('PARTY.UNKNOWN_KIND', 'invalid');
  });
  it('renames, and a rename to the same name records nothing', () => {
    const [e] = spec.given([]).when(register()).events();
    spec.given([e]).when({ type: 'RenameParty', data: { partyId: 'nav-telemark', name: 'NAV Vestfold og Telemark' } }).then([{ type: 'PartyRenamed', data: { partyId: 'nav-telemark', name: 'NAV Vestfold og Telemark', previousName: 'NAV Telemark' } }]);
    spec.given([e]).when({ type: 'RenameParty', data: { partyId: 'nav-telemark', name: 'NAV Telemark' } }).then([]);
    spec.given([]).when({ type: 'RenameParty', data: { partyId: 'nope', name: 'x' } }).thenThrows('PARTY.NOT_FOUND');
  });
});
