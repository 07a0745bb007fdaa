import { deciderSpec, testContext } from '../shared/decider-spec';
import { organisationNumberCheckDigit, organisationNumberProblem, PartyCommand, partyDecider, PartyNamedAlike, partyNameKey, partyNameOn, partyNamesAfter, SINCE_REGISTRATION } from './party';

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
  it('organisation numbers: nine digits whose last is the mod-11 check digit of the first eight (PARTY.ORGANISATION_NUMBER_INVALID otherwise)', () => {
    // Real ones (Brønnøysundregistrene, NAV) and the remainder rules: 11 gives 0, 10 gives no number at all.
    expect(['974760673', '974600951', '889640782'].map(organisationNumberProblem)).toEqual([null, null, null]);
    expect([organisationNumberCheckDigit('97476067'), organisationNumberCheckDigit('91234567'), organisationNumberCheckDigit('1234567')]).toEqual([3, null, null]);
    expect(organisationNumberCheckDigit('00000000')).toBe(0);
    expect(organisationNumberProblem('974760674')).toMatch(/check digit.*probably mistyped/);
    expect(organisationNumberProblem('912345678')).toMatch(/probably mistyped/);
    expect(organisationNumberProblem('974 760 673')).toMatch(/nine digits without spaces/);
    // The register's numbers start with 8 or 9: 000000000 and 123456785 pass the mod-11 sum but are no organisation's.
    expect([organisationNumberCheckDigit('12345678'), organisationNumberProblem('000000000'), organisationNumberProblem('123456785')]).toEqual([5, expect.stringMatching(/start with 8 or 9/), expect.stringMatching(/start with 8 or 9/)]);
    expect(spec.given([]).when(register({ data: { partyId: 'z', name: 'Z AS', kind: 'other', countyId: null, organisationNumber: '000000000' } })).thenThrows('PARTY.ORGANISATION_NUMBER_INVALID', 'invalid').details).toEqual({ organisationNumber: '000000000' });
    const withNumber = (organisationNumber: string) => register({ data: { partyId: 'x', name: 'X AS', kind: 'other', countyId: null, organisationNumber } });
    const e = spec.given([]).when(withNumber('974760674')).thenThrows('PARTY.ORGANISATION_NUMBER_INVALID', 'invalid');
    expect(e.details).toEqual({ organisationNumber: '974760674' });
    expect(spec.given([]).when(withNumber('974760673')).events()).toHaveLength(1);
  });

  it('one party per name of a kind and county (PARTY.NAME_TAKEN), case and whitespace aside; another kind or county, or a name no longer held, is free', () => {
    const ostfold = (names: PartyNamedAlike['names'], over: Partial<PartyNamedAlike> = {}): PartyNamedAlike => ({ partyId: 'ostfold-fk', kind: 'county-authority', countyId: 'ostfold', names, ...over });
    const now = { name: 'Østfold fylkeskommune', from: SINCE_REGISTRATION };
    const second = (name: string, namedAlike: PartyNamedAlike[], kind: PartyNamedAlike['kind'] = 'county-authority', countyId: string | null = 'ostfold') =>
      register({ data: { partyId: 'ostfold-fylkeskommune', name, kind, countyId, organisationNumber: null }, namedAlike });
    expect(partyNameKey(' ØSTFOLD  Fylkes kommune')).toBe(partyNameKey('Østfold fylkeskommune'));
    const e = spec.given([]).when(second('ØSTFOLD  fylkeskommune', [ostfold([now])])).thenThrows('PARTY.NAME_TAKEN', 'conflict');
    expect(e.details).toMatchObject({ partyId: 'ostfold-fk', name: 'Østfold fylkeskommune' });
    // Another county or kind: another organisation.
    expect(spec.given([]).when(second('Østfold fylkeskommune', [ostfold([now], { countyId: 'akershus' })])).events()).toHaveLength(1);
    expect(spec.given([]).when(second('Østfold fylkeskommune', [ostfold([now])], 'other')).events()).toHaveLength(1);
    // Renamed away (Viken from 2020): the old name is free; a name taken from a later date is not.
    expect(spec.given([]).when(second('Østfold fylkeskommune', [ostfold([now, { name: 'Viken fylkeskommune', from: '2020-01-01' }])])).events()).toHaveLength(1);
    spec.given([]).when(second('Viken fylkeskommune', [ostfold([now, { name: 'Viken fylkeskommune', from: '2999-01-01' }])])).thenThrows('PARTY.NAME_TAKEN', 'conflict');
    // A rename to another party's name is refused too; the party's own names never clash with itself.
    const [reg] = spec.given([]).when(register()).events();
    const nav = (partyId: string): PartyNamedAlike => ({ partyId, kind: 'nav-county-office', countyId: 'telemark', names: [{ name: 'NAV Vestfold og Telemark', from: SINCE_REGISTRATION }] });
    const rename = (namedAlike: PartyNamedAlike[]): PartyCommand => ({ type: 'RenameParty', data: { partyId: 'nav-telemark', name: 'NAV Vestfold og Telemark', effectiveFrom: '2020-01-01' }, namedAlike });
    spec.given([reg]).when(rename([nav('nav-vt')])).thenThrows('PARTY.NAME_TAKEN', 'conflict');
    expect(spec.given([reg]).when(rename([nav('nav-telemark')])).events()).toHaveLength(1);
  });

  it('a rename is judged on the days its name would hold: from its own date (back-dated too) until the party\'s next rename', () => {
    const [reg] = spec.given([]).when(register()).events();
    const renamed = (name: string, effectiveFrom: string) => ({ type: 'PartyRenamed', data: { partyId: 'nav-telemark', name, previousName: 'x', effectiveFrom } }) as (typeof reg);
    // Another NAV office was "NAV Grenland" until 2015, then renamed away.
    const grenland: PartyNamedAlike = { partyId: 'nav-grenland', kind: 'nav-county-office', countyId: 'telemark', names: [{ name: 'NAV Grenland', from: SINCE_REGISTRATION }, { name: 'NAV Sør-Telemark', from: '2015-01-01' }] };
    const rename = (name: string, effectiveFrom: string, namedAlike: PartyNamedAlike[]): PartyCommand => ({ type: 'RenameParty', data: { partyId: 'nav-telemark', name, effectiveFrom }, namedAlike });
    // Back-dated into the years the other had the name: two parties would share it then.
    const back = spec.given([reg]).when(rename('nav grenland', '2013-01-01', [grenland])).thenThrows('PARTY.NAME_TAKEN', 'conflict');
    expect(back.details).toMatchObject({ partyId: 'nav-grenland', name: 'NAV Grenland' });
    // From the day the other gave it up: free.
    expect(spec.given([reg]).when(rename('NAV Grenland', '2015-01-01', [grenland])).events()).toHaveLength(1);
    // A name the other takes from 2020: free for a window that ends before (the party's own rename from 2018), not for one that does not.
    const later: PartyNamedAlike = { ...grenland, names: [...grenland.names, { name: 'NAV Midt-Telemark', from: '2020-01-01' }] };
    expect(spec.given([reg, renamed('NAV Telemark og Vestfold', '2018-01-01')]).when(rename('NAV Midt-Telemark', '2016-01-01', [later])).events()).toHaveLength(1);
    spec.given([reg]).when(rename('NAV Midt-Telemark', '2016-01-01', [later])).thenThrows('PARTY.NAME_TAKEN', 'conflict');
  });

  it('a rename without a date takes effect today in Norway', () => {
    const [e] = spec.given([]).when(register()).events();
    const late = deciderSpec(partyDecider, () => testContext({ now: '2026-11-26T23:30:00.000Z' }));
    const [r] = late.given([e]).when({ type: 'RenameParty', data: { partyId: 'nav-telemark', name: 'NAV Ny', effectiveFrom: null } }).events();
    expect(r.data).toMatchObject({ effectiveFrom: '2026-11-27' });
  });
});
