import { compareDecided, decidedAfter } from './current-decision';

describe('the current decision: latest decided, then latest recorded', () => {
  it('a later decision date wins whatever was recorded first', () => {
    expect(decidedAfter('2014-06-01', 10, '2013-12-10', 20)).toBe(true);
    expect(decidedAfter('2013-12-10', 20, '2014-06-01', 10)).toBe(false);
  });

  it('on the same day the one recorded later wins; a decision is not after itself', () => {
    expect(decidedAfter('2014-01-01', 21, '2014-01-01', 20)).toBe(true);
    expect(decidedAfter('2014-01-01', 20, '2014-01-01', 21)).toBe(false);
    expect(decidedAfter('2014-01-01', 20, '2014-01-01', 20)).toBe(false);
  });

  it('sorts oldest first', () => {
    const rows: [string, number][] = [['2014-06-01', 1], ['2013-12-10', 5], ['2014-06-01', 3], ['2013-12-10', 2]];
    expect(rows.sort((a, b) => compareDecided(a[0], a[1], b[0], b[1]))).toEqual([['2013-12-10', 2], ['2013-12-10', 5], ['2014-06-01', 1], ['2014-06-01', 3]]);
  });
});
