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
});
