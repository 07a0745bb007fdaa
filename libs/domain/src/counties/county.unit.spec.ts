import { deciderSpec } from '../shared/decider-spec';
import { countyDecider, CountyEvent, countyStream } from './county';

const spec = deciderSpec(countyDecider);
const telemark = { countyId: 'telemark', name: 'Telemark', countyNumber: '08' };
const registered: CountyEvent = { type: 'CountyRegistered', data: telemark };

describe('county decider', () => {
  it('given nothing, when RegisterCounty, then CountyRegistered with the same data', () => {
    spec.given([]).when({ type: 'RegisterCounty', data: telemark }).then([registered]);
  });

  it('given a registered county, when RegisterCounty again, then COUNTY.ALREADY_REGISTERED (conflict)', () => {
    spec.given([registered]).when({ type: 'RegisterCounty', data: telemark }).thenThrows('COUNTY.ALREADY_REGISTERED', 'conflict');
  });

  it('evolve folds CountyRegistered into a registered state', () => {
    expect(spec.given([registered]).state()).toEqual({ status: 'registered', ...telemark });
    expect(spec.given([]).state()).toEqual({ status: 'unregistered' });
  });

  it('evolve ignores unknown event types (never throws)', () => {
    const state = countyDecider.evolve({ status: 'unregistered' }, { type: 'SomethingElse', data: {} } as unknown as CountyEvent);
    expect(state).toEqual({ status: 'unregistered' });
  });

  it('the stream name is county-<id>', () => {
    expect(countyStream('telemark')).toBe('county-telemark');
  });
});
