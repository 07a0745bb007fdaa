import { deciderSpec, testContext } from '../shared/decider-spec';
import { PartyCommand, partyDecider, partyNameOn, partyNamesAfter, SINCE_REGISTRATION } from './party';

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
  it('renames from a date, and a rename to the name already in force that day records nothing', () => {
    const [e] = spec.given([]).when(register()).events();
    const rename = (name: string, effectiveFrom: string | null) => ({ type: 'RenameParty' as const, data: { partyId: 'nav-telemark', name, effectiveFrom } });
    const [r] = spec.given([e]).when(rename('NAV Vestfold og Telemark', '2020-01-01')).then([{ type: 'PartyRenamed', data: { partyId: 'nav-telemark', name: 'NAV Vestfold og Telemark', previousName: 'NAV Telemark', effectiveFrom: '2020-01-01' } }]);
    spec.given([e]).when(rename('NAV Telemark', '2020-01-01')).then([]);
    // After the 2020 rename: 2019 still has the old name (nothing to record), 2021 the new one (nothing either);
    // back to the old name from 2024 (the counties split again) is a rename.
    spec.given([e, r]).when(rename('NAV Telemark', '2019-06-01')).then([]);
    spec.given([e, r]).when(rename('NAV Vestfold og Telemark', '2021-01-01')).then([]);
    spec.given([e, r]).when(rename('NAV Telemark', '2024-01-01')).then([{ type: 'PartyRenamed', data: { partyId: 'nav-telemark', name: 'NAV Telemark', previousName: 'NAV Vestfold og Telemark', effectiveFrom: '2024-01-01' } }]);
    spec.given([e]).when(rename('x', '2019-02-30')).thenThrows('DATE.INVALID', 'invalid');
    spec.given([]).when({ type: 'RenameParty', data: { partyId: 'nope', name: 'x', effectiveFrom: null } }).thenThrows('PARTY.NOT_FOUND');
  });

  it('names by date: partyNameOn gives the name in force on a day; an undated rename (recorded before names had dates) holds for every day', () => {
    const names = partyNamesAfter(partyNamesAfter([{ name: 'NAV Telemark', from: SINCE_REGISTRATION }], { name: 'NAV Vestfold og Telemark', effectiveFrom: '2020-01-01' }), { name: 'NAV Telemark', effectiveFrom: '2024-01-01' });
    const p = { name: 'NAV Telemark', names };
    expect(['2013-12-31', '2020-01-01', '2023-12-31', '2024-01-01'].map((d) => partyNameOn(p, d))).toEqual(['NAV Telemark', 'NAV Vestfold og Telemark', 'NAV Vestfold og Telemark', 'NAV Telemark']);
    const undated = partyNamesAfter([{ name: 'Telemark fylkeskommune', from: SINCE_REGISTRATION }], { name: 'Telemark fylke' });
    expect(partyNameOn({ name: 'x', names: undated }, '2013-12-31')).toBe('Telemark fylke');
    expect(partyNameOn({ name: 'Vox' }, '2013-12-31')).toBe('Vox');
  });
  it('a rename without a date takes effect today in Norway', () => {
    const [e] = spec.given([]).when(register()).events();
    const late = deciderSpec(partyDecider, () => testContext({ now: '2026-11-26T23:30:00.000Z' }));
    const [r] = late.given([e]).when({ type: 'RenameParty', data: { partyId: 'nav-telemark', name: 'NAV Ny', effectiveFrom: null } }).events();
    expect(r.data).toMatchObject({ effectiveFrom: '2026-11-27' });
  });
});
