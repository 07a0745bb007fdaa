import { Decider } from './decider';
import { deciderSpec, DeciderSpecFailure, testContext } from './decider-spec';
import { refuse } from './domain-error';
import { DomainEvent } from './recorded-event';

type E = DomainEvent<'Added', { n: number }>;
type C = { type: 'Add'; n: number };
const counter: Decider<C, E, { total: number }> = {
  initialState: () => ({ total: 0 }),
  evolve: (s, e) => ({ total: s.total + e.data.n }),
  decide: (c, s) => {
    if (c.n <= 0) refuse('COUNTER.NOT_POSITIVE', 'must be positive', 'invalid');
    if (s.total + c.n > 10) refuse('COUNTER.OVER_LIMIT', 'over the limit');
    return [{ type: 'Added', data: { n: c.n } }];
  },
};
const spec = deciderSpec(counter);

describe('deciderSpec (given/when/then helper)', () => {
  it('then() passes on equal events and returns them', () => {
    expect(spec.given([{ type: 'Added', data: { n: 2 } }]).when({ type: 'Add', n: 3 }).then([{ type: 'Added', data: { n: 3 } }])).toEqual([{ type: 'Added', data: { n: 3 } }]);
  });
  it('then() fails on different events', () => {
    expect(() => spec.given([]).when({ type: 'Add', n: 3 }).then([{ type: 'Added', data: { n: 4 } }])).toThrow(DeciderSpecFailure);
  });
  it('then() fails when decide refuses', () => {
    expect(() => spec.given([]).when({ type: 'Add', n: 0 }).then([])).toThrow(/COUNTER.NOT_POSITIVE/);
  });
  it('thenThrows() checks code and kind', () => {
    const err = spec.given([{ type: 'Added', data: { n: 9 } }]).when({ type: 'Add', n: 2 }).thenThrows('COUNTER.OVER_LIMIT', 'rule');
    expect(err.code).toBe('COUNTER.OVER_LIMIT');
    expect(() => spec.given([]).when({ type: 'Add', n: 0 }).thenThrows('COUNTER.NOT_POSITIVE', 'rule')).toThrow(/got COUNTER.NOT_POSITIVE \(invalid\)/);
    expect(() => spec.given([]).when({ type: 'Add', n: 0 }).thenThrows('OTHER')).toThrow(DeciderSpecFailure);
  });
  it('thenThrows() fails when decide accepts', () => {
    expect(() => spec.given([]).when({ type: 'Add', n: 1 }).thenThrows('COUNTER.OVER_LIMIT')).toThrow(/returned events/);
  });
  it('state() folds given and decided events', () => {
    expect(spec.given([{ type: 'Added', data: { n: 4 } }]).state()).toEqual({ total: 4 });
    expect(spec.given([{ type: 'Added', data: { n: 4 } }]).when({ type: 'Add', n: 5 }).state()).toEqual({ total: 9 });
  });
  it('testContext is deterministic', () => {
    const ctx = testContext();
    expect([ctx.newId(), ctx.newId()]).toEqual(['id-1', 'id-2']);
    expect(ctx.now).toBe('2026-01-15T12:00:00.000Z');
  });
});
