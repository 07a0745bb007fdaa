import { deciderSpec } from '../shared/decider-spec';
import { CoLocationCommand, coLocationDecider, CoLocationEvent, SharedWith } from './co-location';
import { closedCentre, openCentre, parties, party } from './test-fixtures';

/** Correcting and withdrawing a premises record: new events, the original kept. */
describe('co-location: corrections and withdrawals', () => {
  const spec = deciderSpec(coLocationDecider);
  const krs = openCentre('krs', 'vest-agder');
  const known = parties(party('nav-krs', 'nav-local-office', 'vest-agder'), party('nav-va', 'nav-county-office', 'vest-agder'), party('krs-kommune', 'municipality', 'vest-agder'));
  const navKrs: SharedWith = { kind: 'nav-local-office', partyId: 'nav-krs', name: null };
  const school: SharedWith = { kind: 'upper-secondary-school', partyId: null, name: 'Kvadraturen vgs' };

  const record = (from: string, sharedWith: SharedWith[] = [navKrs], premises = 'NAV-huset'): CoLocationCommand => ({ type: 'RecordCoLocation', data: { centreId: 'krs', from, premises, sharedWith }, centre: krs, parties: known });
  const correct = (from: string, sharedWith: SharedWith[], premises = 'NAV-huset', centre = krs): CoLocationCommand => ({
    type: 'CorrectCoLocation',
    data: { centreId: 'krs', from, premises, sharedWith, reason: 'Feil kontor' },
    centre,
    parties: known,
  });
  const withdraw = (from: string, centre = krs): CoLocationCommand => ({ type: 'WithdrawCoLocation', data: { centreId: 'krs', from, reason: 'Ført ved en feil' }, centre });
  const history = (...commands: CoLocationCommand[]): CoLocationEvent[] =>
    commands.reduce<CoLocationEvent[]>((events, c) => [...events, ...spec.given(events).when(c).events()], []);

  it('corrects the record from a date: the full new contents and what it said before', () => {
    const given = history(record('2012-08-01'), record('2014-01-01', [], 'Eget bygg'));
    spec.given(given).when(correct('2012-08-01', [school], 'Kvadraturen')).then([
      {
        type: 'CoLocationCorrected',
        data: { centreId: 'krs', countyId: 'vest-agder', from: '2012-08-01', premises: 'Kvadraturen', sharedWith: [school], reason: 'Feil kontor', previous: { premises: 'NAV-huset', sharedWith: [navKrs] } },
      },
    ]);
    const after = spec.given(given).when(correct('2012-08-01', [school], 'Kvadraturen')).state();
    expect(after.records).toEqual([
      { from: '2012-08-01', premises: 'Kvadraturen', sharedWith: [school] },
      { from: '2014-01-01', premises: 'Eget bygg', sharedWith: [] },
    ]);
  });

  it('a second correction names the first correction as previous', () => {
    const given = history(record('2012-08-01'), correct('2012-08-01', []));
    const [e] = spec.given(given).when(correct('2012-08-01', [navKrs], 'NAV-huset, 2. etasje')).events();
    expect(e.data).toMatchObject({ previous: { premises: 'NAV-huset', sharedWith: [] } });
  });

  it('refuses a correction or withdrawal of a date with no record standing (404 CO_LOCATION.NOT_FOUND)', () => {
    const given = history(record('2012-08-01'));
    spec.given(given).when(correct('2012-08-02', [])).thenThrows('CO_LOCATION.NOT_FOUND', 'not-found');
    spec.given(given).when(withdraw('2013-01-01')).thenThrows('CO_LOCATION.NOT_FOUND', 'not-found');
    spec.given([]).when(withdraw('2012-08-01')).thenThrows('CO_LOCATION.NOT_FOUND', 'not-found');
    // A withdrawn record no longer stands: neither corrected nor withdrawn again.
    const withdrawn = history(record('2012-08-01'), withdraw('2012-08-01'));
    spec.given(withdrawn).when(correct('2012-08-01', [])).thenThrows('CO_LOCATION.NOT_FOUND', 'not-found');
    spec.given(withdrawn).when(withdraw('2012-08-01')).thenThrows('CO_LOCATION.NOT_FOUND', 'not-found');
  });

  it('refuses a correction that changes nothing (422 CO_LOCATION.CORRECTION_CHANGES_NOTHING), the order of sharedWith aside', () => {
    const given = history(record('2012-08-01', [navKrs, school]));
    spec.given(given).when(correct('2012-08-01', [navKrs, school])).thenThrows('CO_LOCATION.CORRECTION_CHANGES_NOTHING', 'rule');
    spec.given(given).when(correct('2012-08-01', [school, navKrs])).thenThrows('CO_LOCATION.CORRECTION_CHANGES_NOTHING', 'rule');
    // The premises alone, or one entry, is a change.
    expect(spec.given(given).when(correct('2012-08-01', [navKrs, school], 'NAV-huset, Kristiansand')).events()).toHaveLength(1);
    expect(spec.given(given).when(correct('2012-08-01', [navKrs])).events()).toHaveLength(1);
  });

  it('judges the corrected sharedWith by the rules of recording', () => {
    const given = history(record('2012-08-01'));
    spec.given(given).when(correct('2012-08-01', [{ kind: 'library' as never, partyId: null, name: 'Biblioteket' }])).thenThrows('CO_LOCATION.UNKNOWN_KIND', 'invalid');
    spec.given(given).when(correct('2012-08-01', [{ kind: 'other', partyId: null, name: ' ' }])).thenThrows('CO_LOCATION.SHARED_WITH_UNNAMED', 'invalid');
    spec.given(given).when(correct('2012-08-01', [{ kind: 'nav-local-office', partyId: 'krs-kommune', name: null }])).thenThrows('CO_LOCATION.KIND_MISMATCH', 'rule');
    spec.given(given).when(correct('2012-08-01', [{ kind: 'nav-county-office', partyId: 'nav-krs', name: null }])).thenThrows('CO_LOCATION.KIND_MISMATCH', 'rule');
    spec.given(given).when(correct('2012-08-01', [{ kind: 'other', partyId: 'ghost', name: null }])).thenThrows('PARTY.NOT_FOUND', 'not-found');
    expect(spec.given(given).when(correct('2012-08-01', [{ kind: 'nav-county-office', partyId: 'nav-va', name: null }])).events()).toHaveLength(1);
  });

  it('withdraws a record; OUT_OF_ORDER then looks at the latest record still standing, so the right one can be entered for that date', () => {
    const given = history(record('2012-08-01'), record('2014-01-01', [], 'Eget bygg'));
    spec.given(given).when(record('2014-01-01', [navKrs])).thenThrows('CO_LOCATION.OUT_OF_ORDER');
    spec.given(given).when(withdraw('2014-01-01')).then([{ type: 'CoLocationWithdrawn', data: { centreId: 'krs', countyId: 'vest-agder', from: '2014-01-01', reason: 'Ført ved en feil' } }]);
    const withdrawn = history(record('2012-08-01'), record('2014-01-01', [], 'Eget bygg'), withdraw('2014-01-01'));
    expect(spec.given(withdrawn).state().records.map((r) => r.from)).toEqual(['2012-08-01']);
    // The right record for the same date, or an earlier one after the latest standing.
    expect(spec.given(withdrawn).when(record('2014-01-01', [navKrs], 'NAV-huset')).events()[0].data).toMatchObject({ from: '2014-01-01' });
    expect(spec.given(withdrawn).when(record('2013-06-01', [])).events()).toHaveLength(1);
    spec.given(withdrawn).when(record('2012-08-01', [])).thenThrows('CO_LOCATION.OUT_OF_ORDER');
    // Re-entered, it stands again, and the one after it is judged against it.
    const reentered = history(record('2012-08-01'), record('2014-01-01', [], 'Eget bygg'), withdraw('2014-01-01'), record('2014-01-01', [navKrs]));
    expect(spec.given(reentered).state().records).toEqual([
      { from: '2012-08-01', premises: 'NAV-huset', sharedWith: [navKrs] },
      { from: '2014-01-01', premises: 'NAV-huset', sharedWith: [navKrs] },
    ]);
    spec.given(reentered).when(record('2013-12-31', [])).thenThrows('CO_LOCATION.OUT_OF_ORDER');
  });

  it('withdrawing every record leaves none; the first record may then start on any day the centre is open', () => {
    const withdrawn = history(record('2013-01-01'), withdraw('2013-01-01'));
    expect(spec.given(withdrawn).state().records).toEqual([]);
    expect(spec.given(withdrawn).when(record('2012-01-01', [])).events()).toHaveLength(1);
  });

  it('a closed centre: its records can still be corrected and withdrawn (they record no activity on a day); an unregistered one is CENTRE.NOT_FOUND', () => {
    const given = history(record('2012-08-01'));
    const closed = closedCentre('krs', 'vest-agder', '2013-01-01');
    expect(spec.given(given).when(correct('2012-08-01', [], 'NAV-huset', closed)).events()).toHaveLength(1);
    expect(spec.given(given).when(withdraw('2012-08-01', closed)).events()).toHaveLength(1);
    spec.given(given).when({ ...record('2013-01-01'), centre: closed }).thenThrows('CENTRE.CLOSED', 'rule');
    spec.given(given).when(correct('2012-08-01', [], 'NAV-huset', { status: 'unregistered' })).thenThrows('CENTRE.NOT_FOUND', 'not-found');
    spec.given(given).when(withdraw('2012-08-01', { status: 'unregistered' })).thenThrows('CENTRE.NOT_FOUND', 'not-found');
  });
});

describe('co-location: the NAV offices named are the centre\'s county\'s', () => {
  const spec = deciderSpec(coLocationDecider);
  const krs = openCentre('krs', 'vest-agder');
  const known = parties(party('nav-krs', 'nav-local-office', 'vest-agder'), party('nav-tel', 'nav-county-office', 'telemark'), party('skien', 'municipality', 'telemark'));
  const record = (sharedWith: SharedWith[]): CoLocationCommand => ({ type: 'RecordCoLocation', data: { centreId: 'krs', from: '2012-08-01', premises: 'NAV-huset', sharedWith }, centre: krs, parties: known });

  it('refuses premises shared with another county\'s NAV office (CO_LOCATION.NAV_OF_OTHER_COUNTY: a co-located ground of the NAV link), on a record and on a correction', () => {
    const e = spec.given([]).when(record([{ kind: 'nav-county-office', partyId: 'nav-tel', name: null }])).thenThrows('CO_LOCATION.NAV_OF_OTHER_COUNTY', 'rule');
    expect(e.details).toEqual({ partyId: 'nav-tel', partyCountyId: 'telemark', countyId: 'vest-agder' });
    const given = spec.given([]).when(record([{ kind: 'nav-local-office', partyId: 'nav-krs', name: null }])).events();
    const correction: CoLocationCommand = { type: 'CorrectCoLocation', data: { centreId: 'krs', from: '2012-08-01', premises: 'NAV-huset', sharedWith: [{ kind: 'nav-county-office', partyId: 'nav-tel', name: null }], reason: 'Feil' }, centre: krs, parties: known };
    spec.given(given).when(correction).thenThrows('CO_LOCATION.NAV_OF_OTHER_COUNTY', 'rule');
    // Another county's municipality is no NAV-link ground: still recorded.
    expect(spec.given([]).when(record([{ kind: 'other', partyId: 'skien', name: null }])).events()).toHaveLength(1);
  });
});
