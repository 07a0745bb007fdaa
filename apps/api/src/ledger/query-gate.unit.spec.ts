import { parseAsOf } from './query-gate';

describe('parseAsOf', () => {
  it('an instant with a zone is that instant', () => {
    expect(parseAsOf('2014-05-09T23:59:59Z')).toBe('2014-05-09T23:59:59.000Z');
    expect(parseAsOf('2014-05-09T23:59:59+02:00')).toBe('2014-05-09T21:59:59.000Z');
  });

  it('a bare date is the last millisecond of that day in Norway, summer and winter time alike', () => {
    expect(parseAsOf('2014-05-09')).toBe('2014-05-09T21:59:59.999Z'); // CEST, UTC+2
    expect(parseAsOf('2014-01-09')).toBe('2014-01-09T22:59:59.999Z'); // CET, UTC+1
    expect(parseAsOf('2014-12-31')).toBe('2014-12-31T22:59:59.999Z');
    expect(parseAsOf('2016-02-29')).toBe('2016-02-29T22:59:59.999Z');
  });

  it('on the days the clocks change the day ends at the new offset', () => {
    expect(parseAsOf('2014-03-30')).toBe('2014-03-30T21:59:59.999Z'); // spring forward at 01:00 UTC
    expect(parseAsOf('2014-10-26')).toBe('2014-10-26T22:59:59.999Z'); // fall back at 01:00 UTC
    expect(parseAsOf('2014-03-29')).toBe('2014-03-29T22:59:59.999Z');
    expect(parseAsOf('2014-10-25')).toBe('2014-10-25T21:59:59.999Z');
  });

  it('impossible dates and shapes are 400 REQUEST.BAD_AS_OF', () => {
    for (const bad of ['2014-02-29', '2014-13-01', '2014-05-09T24:00:00Z', '9 May 2014', '2014-05-09T10:00:00']) {
      expect(() => parseAsOf(bad)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_AS_OF' }));
    }
    expect(parseAsOf(undefined)).toBeNull();
  });
});
