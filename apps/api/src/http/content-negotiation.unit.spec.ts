import { acceptsGzip, answersCsv, prefersCsv, wantsGzip, withVary } from './content-negotiation';

describe('acceptsGzip', () => {
  it.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8, *;q=0.1', true],
    ['x-gzip', true],
    ['GZIP', true],
    ['*', true],
    ['identity', false],
    ['br', false],
    ['gzip;q=0', false],
    ['gzip;q=0, *', false],
    ['*, gzip;q=0', false],
    ['*;q=0', false],
    ['', false],
    [undefined, false],
  ])('%s → %s', (header, expected) => expect(acceptsGzip(header)).toBe(expected));

  it('is the same answer remembered (wantsGzip), and false for anything but a string', () => {
    expect(wantsGzip('gzip')).toBe(true);
    expect(wantsGzip('gzip;q=0')).toBe(false);
    expect(wantsGzip(['gzip'])).toBe(false);
  });
});

describe('prefersCsv (Accept, RFC 9110 §12.5.1)', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['text/csv', true],
    ['TEXT/CSV', true],
    ['text/csv;charset=utf-8', true],
    ['text/*', true],
    ['text/csv;q=0', false],
    ['text/csv;q=0, application/json', false],
    ['application/json, text/csv', true], // equal q: CSV ranks at least as high
    ['application/json, text/csv;q=0.5', false],
    ['application/json;q=0.5, text/csv', true],
    ['text/csv;q=0.5, */*', false], // JSON gets q=1 from */*
    ['text/csv, */*;q=0.1', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false], // a browser
    ['text/*;q=0.5, application/json', false],
    ['text/plain-csv', false],
    ['application/json, text/csv;q=0.001', false],
    [['application/json;q=0.1', 'text/csv'], true], // repeated header lines are one list
  ])('%s → %s', (accept, expected) => expect(prefersCsv(accept)).toBe(expected));
});

describe('answersCsv', () => {
  const reply = () => {
    const h: Record<string, string> = {};
    return { h, header: (k: string, v: string) => (h[k] = v), getHeader: (k: string) => h[k] };
  };
  it('?format= wins and does not vary; otherwise Accept decides and the answer says Vary: Accept', () => {
    const byFormat = reply();
    expect(answersCsv({ headers: { accept: 'application/json' } }, byFormat, 'csv')).toBe(true);
    expect(answersCsv({ headers: { accept: 'text/csv' } }, byFormat, 'json')).toBe(false);
    expect(byFormat.h.vary).toBeUndefined();
    const byAccept = reply();
    expect(answersCsv({ headers: { accept: 'text/csv' } }, byAccept)).toBe(true);
    expect(byAccept.h.vary).toBe('Accept');
    const json = reply();
    json.h.vary = 'Accept-Encoding';
    expect(answersCsv({ headers: {} }, json, '')).toBe(false);
    expect(json.h.vary).toBe('Accept-Encoding, Accept');
  });

  it('any other ?format= (or one given twice) is 400 REQUEST.BAD_FORMAT, not JSON passed off as what was asked', () => {
    for (const format of ['xml', 'CSV', ['csv', 'json']]) {
      expect(() => answersCsv({ headers: { accept: 'text/csv' } }, reply(), format)).toThrow(expect.objectContaining({ code: 'REQUEST.BAD_FORMAT' }));
    }
  });
});

describe('withVary', () => {
  it.each([
    [undefined, 'Accept-Encoding', 'Accept-Encoding'],
    ['', 'Accept', 'Accept'],
    ['Accept', 'Accept-Encoding', 'Accept, Accept-Encoding'],
    ['Accept, Accept-Encoding', 'Accept-Encoding', 'Accept, Accept-Encoding'],
    ['accept-encoding', 'Accept-Encoding', 'accept-encoding'],
    ['Accept-Encoding', 'Accept', 'Accept-Encoding, Accept'], // "Accept" is not "Accept-Encoding"
    ['*', 'Accept', '*'],
    [['Origin', 'Accept'], 'Accept-Encoding', 'Origin, Accept, Accept-Encoding'],
  ])('%s + %s → %s', (current, name, expected) => expect(withVary(current, name)).toBe(expected));
});
