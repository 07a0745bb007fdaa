import { CentreState } from '../counties/centre';
import { CountyState } from '../counties/county';
import { deciderSpec } from '../shared/decider-spec';
import { StimulusGrantCommand, stimulusGrantDecider } from './stimulus';

const spec = deciderSpec(stimulusGrantDecider);
const HORDALAND: CountyState = { status: 'registered', countyId: 'hordaland', name: 'Hordaland', countyNumber: '12' };
const NONE: CentreState = { status: 'unregistered' };
const BERGEN: CentreState = { status: 'open', centreId: 'bergen', countyId: 'hordaland', name: 'Bergen', municipality: 'Bergen', openedOn: '2014-08-01' };

const apply = (over: Partial<Extract<StimulusGrantCommand, { type: 'ApplyForStimulusGrant' }>['data']> = {}, centre: CentreState = NONE): StimulusGrantCommand => ({
  type: 'ApplyForStimulusGrant',
  data: { applicationId: 'h1', countyId: 'hordaland', year: 2014, purpose: 'establish-centre', amountAskedOre: 500_000_00, description: 'Etablere karrieresenter i Bergen', centreId: null, appliedOn: '2014-02-01', ...over },
  county: HORDALAND,
  centre,
});

describe('stimulus grants (given/when/then)', () => {
  const applied = spec.given([]).when(apply()).events();

  it('a county applies to establish a centre', () => {
    expect(applied).toEqual([
      { type: 'StimulusGrantApplied', data: { applicationId: 'h1', countyId: 'hordaland', year: 2014, purpose: 'establish-centre', amountAskedOre: 500_000_00, description: 'Etablere karrieresenter i Bergen', centreId: null, appliedOn: '2014-02-01' } },
    ]);
  });

  it('refuses a grant year outside 2000–2100, naming the field as the request\'s own check does', () => {
    expect(spec.given([]).when(apply({ year: 2101 })).thenThrows('FISCAL_YEAR.OUT_OF_RANGE', 'invalid').details).toEqual({ field: 'year', year: 2101 });
  });

  it('development work must name an open centre of the same county', () => {
    spec.given([]).when(apply({ purpose: 'development' })).thenThrows('STIMULUS_GRANT.CENTRE_REQUIRED', 'invalid');
    spec.given([]).when(apply({ purpose: 'development', centreId: 'bergen' }, { ...BERGEN, countyId: 'rogaland' })).thenThrows('STIMULUS_GRANT.CENTRE_OF_OTHER_COUNTY');
    expect(spec.given([]).when(apply({ purpose: 'development', centreId: 'bergen', appliedOn: '2014-08-01' }, BERGEN)).events()).toHaveLength(1);
    // Not on a day before the centre opened; an application to establish a centre names none.
    spec.given([]).when(apply({ purpose: 'development', centreId: 'bergen', appliedOn: '2014-07-31' }, BERGEN)).thenThrows('STIMULUS_GRANT.BEFORE_OPENING');
    spec.given([]).when(apply({ purpose: 'establish-centre', centreId: 'bergen', appliedOn: '2014-08-01' }, BERGEN)).thenThrows('STIMULUS_GRANT.CENTRE_NOT_EXPECTED', 'invalid');
    spec.given([]).when({ ...apply(), county: { status: 'unregistered' } } as StimulusGrantCommand).thenThrows('COUNTY.NOT_FOUND', 'not-found');
  });

  it('Vox awards up to the amount asked, once', () => {
    const awarded = spec.given(applied).when({ type: 'AwardStimulusGrant', data: { applicationId: 'h1', amountOre: 400_000_00, note: null } }).then([
      { type: 'StimulusGrantAwarded', data: { applicationId: 'h1', countyId: 'hordaland', year: 2014, amountOre: 400_000_00, decidedOn: '2026-01-15', note: null } },
    ]);
    spec.given(applied).when({ type: 'AwardStimulusGrant', data: { applicationId: 'h1', amountOre: 500_000_01, note: null } }).thenThrows('STIMULUS_GRANT.AWARD_ABOVE_ASKED');
    spec.given([...applied, ...awarded]).when({ type: 'RejectStimulusGrant', data: { applicationId: 'h1', reason: 'x' } }).thenThrows('STIMULUS_GRANT.ALREADY_DECIDED', 'conflict');
  });

  it('Vox rejects with a reason; deciding an unknown application is 404', () => {
    spec.given(applied).when({ type: 'RejectStimulusGrant', data: { applicationId: 'h1', reason: 'Søknaden kom for sent' } }).then([
      { type: 'StimulusGrantRejected', data: { applicationId: 'h1', countyId: 'hordaland', year: 2014, reason: 'Søknaden kom for sent', decidedOn: '2026-01-15' } },
    ]);
    spec.given([]).when({ type: 'RejectStimulusGrant', data: { applicationId: 'h1', reason: 'x' } }).thenThrows('STIMULUS_GRANT.NOT_FOUND', 'not-found');
    spec.given(applied).when(apply()).thenThrows('STIMULUS_GRANT.ALREADY_EXISTS', 'conflict');
  });

  describe('correcting a decision', () => {
    type Correction = Extract<StimulusGrantCommand, { type: 'CorrectStimulusGrantDecision' }>['data'];
    const correct = (over: Partial<Correction> = {}): StimulusGrantCommand => ({
      type: 'CorrectStimulusGrantDecision',
      data: { applicationId: 'h1', outcome: 'awarded', amountOre: 450_000_00, note: null, reason: null, correctionReason: 'Skrivefeil i beløpet', ...over },
    });
    const awarded = spec.given(applied).when({ type: 'AwardStimulusGrant', data: { applicationId: 'h1', amountOre: 400_000_00, note: 'Første tildeling' } }).events();
    const rejected = spec.given(applied).when({ type: 'RejectStimulusGrant', data: { applicationId: 'h1', reason: 'Søknaden kom for sent' } }).events();

    it('Vox corrects an award: the event names the new decision, why, today (Norway) and the decision it replaces', () => {
      const corrected = spec.given([...applied, ...awarded]).when(correct()).then([
        {
          type: 'StimulusGrantDecisionCorrected',
          data: {
            applicationId: 'h1',
            countyId: 'hordaland',
            year: 2014,
            outcome: 'awarded',
            amountOre: 450_000_00,
            note: null,
            reason: null,
            correctionReason: 'Skrivefeil i beløpet',
            correctedOn: '2026-01-15',
            previous: { outcome: 'awarded', amountOre: 400_000_00, note: 'Første tildeling', reason: null },
          },
        },
      ]);
      // The state follows the latest decision, so a second correction is measured against it.
      expect(spec.given([...applied, ...awarded, ...corrected]).state()).toMatchObject({ status: 'awarded', amountOre: 450_000_00, note: null });
      spec.given([...applied, ...awarded, ...corrected]).when(correct()).thenThrows('STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING', 'rule');
      const again = spec.given([...applied, ...awarded, ...corrected]).when(correct({ amountOre: 440_000_00 })).events();
      expect(again[0].data).toMatchObject({ amountOre: 440_000_00, previous: { outcome: 'awarded', amountOre: 450_000_00, note: null, reason: null } });
      // Awarding or rejecting again is still refused: a decided application is corrected, not decided twice.
      spec.given([...applied, ...awarded, ...corrected]).when({ type: 'RejectStimulusGrant', data: { applicationId: 'h1', reason: 'x' } }).thenThrows('STIMULUS_GRANT.ALREADY_DECIDED', 'conflict');
    });

    it('a rejection is corrected to an award, and an award to a rejection', () => {
      const toAward = spec.given([...applied, ...rejected]).when(correct({ amountOre: 300_000_00, note: 'Feil søknad avslått' })).events();
      expect(toAward[0].data).toMatchObject({ outcome: 'awarded', amountOre: 300_000_00, note: 'Feil søknad avslått', reason: null, previous: { outcome: 'rejected', amountOre: null, note: null, reason: 'Søknaden kom for sent' } });
      expect(spec.given([...applied, ...rejected, ...toAward]).state()).toMatchObject({ status: 'awarded', amountOre: 300_000_00 });
      const toReject = spec.given([...applied, ...awarded]).when(correct({ outcome: 'rejected', amountOre: null, reason: 'Tildelt feil søknad' })).events();
      expect(toReject[0].data).toMatchObject({ outcome: 'rejected', amountOre: null, note: null, reason: 'Tildelt feil søknad', previous: { outcome: 'awarded', amountOre: 400_000_00 } });
      expect(spec.given([...applied, ...awarded, ...toReject]).state()).toMatchObject({ status: 'rejected', reason: 'Tildelt feil søknad' });
    });

    it('only a decided application is corrected: unknown is 404, undecided is 409 NOT_DECIDED', () => {
      spec.given([]).when(correct()).thenThrows('STIMULUS_GRANT.NOT_FOUND', 'not-found');
      const e = spec.given(applied).when(correct()).thenThrows('STIMULUS_GRANT.NOT_DECIDED', 'conflict');
      expect(e.message).toContain('decide it first: award or reject');
    });

    it('an awarded amount is at most what was asked; a correction that changes nothing is refused', () => {
      spec.given([...applied, ...rejected]).when(correct({ amountOre: 500_000_01 })).thenThrows('STIMULUS_GRANT.AWARD_ABOVE_ASKED', 'rule');
      expect(spec.given([...applied, ...rejected]).when(correct({ amountOre: 500_000_00 })).events()).toHaveLength(1);
      spec.given([...applied, ...awarded]).when(correct({ amountOre: 400_000_00, note: 'Første tildeling' })).thenThrows('STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING', 'rule');
      spec.given([...applied, ...rejected]).when(correct({ outcome: 'rejected', amountOre: null, reason: 'Søknaden kom for sent' })).thenThrows('STIMULUS_GRANT.CORRECTION_CHANGES_NOTHING', 'rule');
      // The note alone, or the rejection's reason alone, is a change.
      expect(spec.given([...applied, ...awarded]).when(correct({ amountOre: 400_000_00, note: 'Rettet merknad' })).events()).toHaveLength(1);
      expect(spec.given([...applied, ...rejected]).when(correct({ outcome: 'rejected', amountOre: null, reason: 'Rammen er brukt opp' })).events()).toHaveLength(1);
    });

    it('the outcome is awarded or rejected, each with its own fields', () => {
      const decided = [...applied, ...awarded];
      spec.given(decided).when(correct({ outcome: 'granted' as never })).thenThrows('STIMULUS_GRANT.UNKNOWN_OUTCOME', 'invalid');
      spec.given(decided).when(correct({ amountOre: null })).thenThrows('STIMULUS_GRANT.DECISION_FIELDS', 'invalid');
      spec.given(decided).when(correct({ reason: 'x' })).thenThrows('STIMULUS_GRANT.DECISION_FIELDS', 'invalid');
      spec.given(decided).when(correct({ outcome: 'rejected', amountOre: null, reason: null })).thenThrows('STIMULUS_GRANT.DECISION_FIELDS', 'invalid');
      spec.given(decided).when(correct({ outcome: 'rejected', reason: 'x' })).thenThrows('STIMULUS_GRANT.DECISION_FIELDS', 'invalid');
      spec.given(decided).when(correct({ outcome: 'rejected', amountOre: null, note: 'x', reason: 'x' })).thenThrows('STIMULUS_GRANT.DECISION_FIELDS', 'invalid');
    });
  });
});
