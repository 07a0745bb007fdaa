import { parseAsOf, parseRangeStart } from './query-gate';

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

  it('a year before 1970 is refused (a mistyped year, not an empty ledger); 0000–0099 is no longer read as 1900–1999', () => {
    for (const bad of ['0014-05-09', '0099-12-31', '0000-01-01', '0014-05-09T10:00:00Z', '1969-12-31', '1969-12-31T23:59:59.999Z']) {
      expect(() => parseAsOf(bad)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_AS_OF', message: expect.stringContaining('1970') }));
      expect(() => parseRangeStart(bad)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_AS_OF' }));
    }
    expect(parseAsOf('1970-01-01')).toBe('1970-01-01T22:59:59.999Z');
    expect(parseAsOf('1970-01-01T00:00:00Z')).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('parseRangeStart (the start of /audit/events?from=)', () => {
  it('a bare date is the first millisecond of that day in Norway, on the DST days too', () => {
    expect(parseRangeStart('2014-06-02')).toBe('2014-06-01T22:00:00.000Z'); // CEST, UTC+2
    expect(parseRangeStart('2014-01-09')).toBe('2014-01-08T23:00:00.000Z'); // CET, UTC+1
    expect(parseRangeStart('2014-03-30')).toBe('2014-03-29T23:00:00.000Z'); // spring forward: the day starts in winter time
    expect(parseRangeStart('2014-03-31')).toBe('2014-03-30T22:00:00.000Z');
    expect(parseRangeStart('2014-10-26')).toBe('2014-10-25T22:00:00.000Z'); // fall back: the day starts in summer time (25 hours)
    expect(parseRangeStart('2014-10-27')).toBe('2014-10-26T23:00:00.000Z');
    expect(parseRangeStart('2014-01-01')).toBe('2013-12-31T23:00:00.000Z');
    expect(parseRangeStart('2016-03-01')).toBe('2016-02-29T23:00:00.000Z');
  });

  it('follows the previous day\'s end exactly: from=D and to=D-1 meet without a gap or an overlap', () => {
    for (const [d, before] of [['2014-03-30', '2014-03-29'], ['2014-03-31', '2014-03-30'], ['2014-10-26', '2014-10-25'], ['2014-10-27', '2014-10-26'], ['2015-01-01', '2014-12-31']]) {
      expect(Date.parse(parseRangeStart(d)!) - Date.parse(parseAsOf(before)!)).toBe(1);
    }
  });

  it('an instant finer than the millisecond rounds up to the next one; whole milliseconds stay', () => {
    expect(parseRangeStart('2014-11-01T10:00:00.0005Z')).toBe('2014-11-01T10:00:00.001Z');
    expect(parseRangeStart('2014-11-01T10:00:00.000000001Z')).toBe('2014-11-01T10:00:00.001Z');
    expect(parseRangeStart('2014-11-01T10:00:00.999001Z')).toBe('2014-11-01T10:00:01.000Z');
    expect(parseRangeStart('2014-11-01T10:00:00.0010Z')).toBe('2014-11-01T10:00:00.001Z');
    expect(parseRangeStart('2014-11-01T10:00:00.000Z')).toBe('2014-11-01T10:00:00.000Z');
    expect(parseRangeStart('2014-11-01T11:00:00.0005+01:00')).toBe('2014-11-01T10:00:00.001Z');
    expect(parseRangeStart('2014-11-01T10:00Z')).toBe('2014-11-01T10:00:00.000Z');
    // The end of a range (and asOf) truncates: 10:00:00.0005 includes what was recorded at 10:00:00.000.
    expect(parseAsOf('2014-11-01T10:00:00.0005Z')).toBe('2014-11-01T10:00:00.000Z');
  });

  it('refuses what parseAsOf refuses', () => {
    for (const bad of ['2014-02-29', '2014-13-01', '2014-05-09T24:00:00Z', 'tomorrow', '2014-05-09T10:00:00']) {
      expect(() => parseRangeStart(bad)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_AS_OF' }));
    }
    expect(parseRangeStart(undefined)).toBeNull();
  });
});
