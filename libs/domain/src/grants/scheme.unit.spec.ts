import { DomainError } from '../shared';
import { deciderSpec, testContext } from '../shared/decider-spec';
import { CountyVerdict, GrantSchemeCommand, grantSchemeDecider, GrantSchemeEvent } from './scheme';

const spec = deciderSpec(grantSchemeDecider);

const publish = (over: Partial<Extract<GrantSchemeCommand, { type: 'PublishGrantScheme' }>['data']> = {}): GrantSchemeCommand => ({
  type: 'PublishGrantScheme',
  data: { year: 2014, baseGrantOre: 100_00, criteriaSetId: 'criteria-2014', judgingDate: '2014-03-01', windowOverrides: {}, note: null, ...over },
});

const published = (): GrantSchemeEvent => spec.given([]).when(publish()).events()[0];

const verdict = (countyId: string, countyNumber: string, eligible: boolean): CountyVerdict => ({ countyId, countyNumber, name: countyId, eligible, failedCriteria: eligible ? [] : ['1'], qualifyingCentreIds: [] });
const VERDICTS = [verdict('telemark', '08', true), verdict('ostfold', '01', true), verdict('troms', '19', true), verdict('finnmark', '20', false)];

const allocate = (over: Partial<Extract<GrantSchemeCommand, { type: 'AllocateBaseGrant' }>['data']> = {}): GrantSchemeCommand => ({
  type: 'AllocateBaseGrant',
  data: { year: 2014, schemeVersion: 1, basedOnPosition: 42, verdicts: VERDICTS, note: null, ...over },
});

describe('grant scheme (given/when/then)', () => {
  it('publishing resolves the default windows of criteria-2014 from the year and judging date', () => {
    spec.given([]).when(publish({ note: 'Rundskriv 2014' })).then([
      {
        type: 'GrantSchemePublished',
        data: {
          year: 2014,
          baseGrantOre: 100_00,
          criteriaSetId: 'criteria-2014',
          judgingDate: '2014-03-01',
          windowOverrides: {},
          schemeVersion: 1,
          note: 'Rundskriv 2014',
          windows: {
            partnershipAgreement: { from: '2014-03-01', to: '2014-03-01' },
            coordinatingFunction: { from: '2014-03-01', to: '2014-03-01' },
            freeGuidance: { from: '2014-03-01', to: '2014-03-01', maxFromAge: 19 },
            competenceDevelopment: { from: '2013-01-01', to: '2014-03-01' },
            userSurvey: { from: '2013-01-01', to: '2013-12-31' },
            annualReport: { reportYear: 2013, deadline: '2014-03-01' },
          },
        },
      },
    ]);
  });

  it('a scheme may override any window field; the rest keep their defaults', () => {
    const [e] = spec.given([]).when(publish({ windowOverrides: { annualReport: { deadline: '2014-04-01' }, freeGuidance: { maxFromAge: 20 } } })).events();
    const w = (e.data as unknown as { windows: Record<string, unknown> }).windows;
    expect(w.annualReport).toEqual({ reportYear: 2013, deadline: '2014-04-01' });
    expect(w.freeGuidance).toEqual({ from: '2014-03-01', to: '2014-03-01', maxFromAge: 20 });
  });

  it('refuses bad schemes, each with its own code', () => {
    spec.given([]).when(publish({ criteriaSetId: 'criteria-2099' })).thenThrows('GRANT_SCHEME.UNKNOWN_CRITERIA_SET', 'invalid');
    spec.given([]).when(publish({ criteriaSetId: 'constructor' })).thenThrows('GRANT_SCHEME.UNKNOWN_CRITERIA_SET', 'invalid');
    spec.given([]).when(publish({ windowOverrides: { userSurvey: { from: '2013-12-31', to: '2013-01-01' } } })).thenThrows('GRANT_SCHEME.WINDOW_ENDS_BEFORE_START', 'rule');
    // details.field names the field as the request's own check does (windows.<window>.<end>), not just "from".
    expect(spec.given([]).when(publish({ windowOverrides: { competenceDevelopment: { from: '2013-02-30' } } })).thenThrows('GRANT_SCHEME.WINDOW_INVALID_DATE', 'invalid').details).toMatchObject({ field: 'windows.competenceDevelopment.from' });
    expect(spec.given([]).when(publish({ windowOverrides: { annualReport: { deadline: '2014-02-30' } } })).thenThrows('GRANT_SCHEME.WINDOW_INVALID_DATE', 'invalid').details).toMatchObject({ field: 'windows.annualReport.deadline' });
    spec.given([]).when(publish({ judgingDate: '2019-01-01' })).thenThrows('GRANT_SCHEME.JUDGING_DATE_OUT_OF_RANGE', 'rule');
    spec.given([]).when(publish({ baseGrantOre: 0 })).thenThrows('GRANT_SCHEME.BASE_GRANT_INVALID', 'invalid');
    spec.given([]).when(publish({ year: 1999 })).thenThrows('GRANT_SCHEME.YEAR_OUT_OF_RANGE', 'invalid');
    spec.given([published()]).when(publish()).thenThrows('GRANT_SCHEME.ALREADY_PUBLISHED', 'conflict');
  });

  it('an amendment records the full new terms as the next version; changed judging date moves the defaults, overrides stay', () => {
    const given = spec.given([]).when(publish({ windowOverrides: { annualReport: { deadline: '2014-04-01' } } })).events();
    const [e] = spec.given(given).when({ type: 'AmendGrantScheme', data: { year: 2014, judgingDate: '2014-05-01', reason: 'later judging' } }).events();
    expect(e.type).toBe('GrantSchemeAmended');
    const d = e.data as any;
    expect(d.schemeVersion).toBe(2);
    expect(d.windows.partnershipAgreement).toEqual({ from: '2014-05-01', to: '2014-05-01' });
    expect(d.windows.annualReport).toEqual({ reportYear: 2013, deadline: '2014-04-01' });
    expect(d.reason).toBe('later judging');
  });

  it('an amendment that changes nothing records nothing; amending an unpublished scheme is 404', () => {
    spec.given([published()]).when({ type: 'AmendGrantScheme', data: { year: 2014, baseGrantOre: 100_00, reason: 'same' } }).then([]);
    spec.given([]).when({ type: 'AmendGrantScheme', data: { year: 2014, reason: 'x' } }).thenThrows('GRANT_SCHEME.NOT_FOUND', 'not-found');
  });

  it('allocates equally among the eligible counties, remainder øre one each in ascending county number', () => {
    const [e] = spec.given([published()]).when(allocate()).events();
    const d = e.data as any;
    expect(e.type).toBe('BaseGrantAllocated');
    expect(d.parts).toEqual([
      { countyId: 'ostfold', countyNumber: '01', amountOre: 3334, remainderOre: 1 },
      { countyId: 'telemark', countyNumber: '08', amountOre: 3333, remainderOre: 0 },
      { countyId: 'troms', countyNumber: '19', amountOre: 3333, remainderOre: 0 },
    ]);
    expect([d.schemeVersion, d.basedOnPosition, d.baseGrantOre, d.remainderRule]).toEqual([1, 42, 100_00, 'one-extra-ore-each-in-ascending-county-number']);
    expect(d.verdicts).toHaveLength(4);
  });

  it('once allocated: no second allocation, no amendment', () => {
    const given = [published(), ...spec.given([published()]).when(allocate()).events()];
    spec.given(given).when(allocate()).thenThrows('BASE_GRANT.ALREADY_ALLOCATED', 'conflict');
    spec.given(given).when({ type: 'AmendGrantScheme', data: { year: 2014, baseGrantOre: 200_00, reason: 'more money' } }).thenThrows('GRANT_SCHEME.ALREADY_ALLOCATED', 'rule');
  });

  it('refuses an allocation computed for another scheme version, with nobody eligible, or with no scheme', () => {
    spec.given([published()]).when(allocate({ schemeVersion: 2 })).thenThrows('GRANT_SCHEME.VERSION_CHANGED', 'conflict');
    spec.given([published()]).when(allocate({ verdicts: [verdict('finnmark', '20', false)] })).thenThrows('BASE_GRANT.NO_ELIGIBLE_COUNTY', 'rule');
    spec.given([]).when(allocate()).thenThrows('GRANT_SCHEME.NOT_FOUND', 'not-found');
  });

  it('a correction recomputes with overrides and records the previous parts; one that changes nothing is refused', () => {
    const given = [published(), ...spec.given([published()]).when(allocate()).events()];
    const [e] = spec
      .given(given)
      .when({ type: 'CorrectBaseGrantAllocation', data: { year: 2014, schemeVersion: 1, basedOnPosition: 50, verdicts: VERDICTS, overrides: [{ countyId: 'finnmark', eligible: true, reason: 'agreement was signed in time; recorded late' }], reason: 'Finnmark' } })
      .events();
    const d = e.data as any;
    expect(e.type).toBe('BaseGrantAllocationCorrected');
    expect(d.correctionNo).toBe(1);
    expect(d.parts.map((p: any) => [p.countyId, p.amountOre])).toEqual([
      ['ostfold', 2500],
      ['telemark', 2500],
      ['troms', 2500],
      ['finnmark', 2500],
    ]);
    expect(d.previousParts.map((p: any) => p.amountOre)).toEqual([3334, 3333, 3333]);
    expect(d.verdicts.find((v: any) => v.countyId === 'finnmark').override).toEqual({ eligible: true, reason: 'agreement was signed in time; recorded late' });
    spec.given(given).when({ type: 'CorrectBaseGrantAllocation', data: { year: 2014, schemeVersion: 1, basedOnPosition: 50, verdicts: VERDICTS, overrides: [], reason: 'again' } }).thenThrows('BASE_GRANT.CORRECTION_CHANGES_NOTHING');
    spec.given([published()]).when({ type: 'CorrectBaseGrantAllocation', data: { year: 2014, schemeVersion: 1, basedOnPosition: 50, verdicts: VERDICTS, overrides: [], reason: 'x' } }).thenThrows('BASE_GRANT.NOT_ALLOCATED');
    spec.given(given).when({ type: 'CorrectBaseGrantAllocation', data: { year: 2014, schemeVersion: 1, basedOnPosition: 50, verdicts: VERDICTS, overrides: [{ countyId: 'oslo', eligible: true, reason: 'x' }], reason: 'x' } }).thenThrows('BASE_GRANT.UNKNOWN_COUNTY', 'not-found');
  });

  it('neither allocates nor corrects before the judging date (today in Norway, Europe/Oslo); from that day on it does', () => {
    const on = (now: string) => testContext({ now });
    // 22:59:59.999 UTC on 28 February is 23:59:59.999 in Oslo (UTC+1): still the day before.
    const early = spec.given([published()]).when(allocate(), on('2014-02-28T22:59:59.999Z')).thenThrows('BASE_GRANT.BEFORE_JUDGING_DATE', 'rule');
    expect(early.message).toContain('2014-03-01');
    expect(early.details).toEqual({ year: 2014, judgingDate: '2014-03-01', today: '2014-02-28' });
    // 23:00 UTC on 28 February is midnight in Oslo: the judging date has come, though the UTC date has not.
    expect(spec.given([published()]).when(allocate(), on('2014-02-28T23:00:00.000Z')).events().map((e) => e.type)).toEqual(['BaseGrantAllocated']);
    expect(spec.given([published()]).when(allocate(), on('2014-03-01T00:00:00.000Z')).events().map((e) => e.type)).toEqual(['BaseGrantAllocated']);
    // An allocation recorded on the day (or one from elsewhere): a correction is held to the same date.
    const given = [published(), ...spec.given([published()]).when(allocate(), on('2014-03-01T00:00:00.000Z')).events()];
    const correct: GrantSchemeCommand = { type: 'CorrectBaseGrantAllocation', data: { year: 2014, schemeVersion: 1, basedOnPosition: 50, verdicts: VERDICTS, overrides: [{ countyId: 'finnmark', eligible: true, reason: 'x' }], reason: 'x' } };
    expect(spec.given(given).when(correct, on('2014-02-28T12:00:00.000Z')).thenThrows('BASE_GRANT.BEFORE_JUDGING_DATE', 'rule')).toBeInstanceOf(DomainError);
    expect(spec.given(given).when(correct, on('2014-03-01T12:00:00.000Z')).events().map((e) => e.type)).toEqual(['BaseGrantAllocationCorrected']);
  });
});
