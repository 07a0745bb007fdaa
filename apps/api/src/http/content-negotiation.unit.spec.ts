import { acceptCheckOf, acceptsAnyOf, acceptsGzip, answersCsv, JSON_ONLY, JSON_OR_CSV, NotAcceptableError, prefersCsv, wantsGzip, withVary } from './content-negotiation';

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

describe('acceptsAnyOf (406 when false)', () => {
  const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
  it.each([
    [undefined, JSON_ONLY, true],
    ['', JSON_ONLY, true],
    [' , ', JSON_ONLY, true],
    ['*/*', JSON_ONLY, true],
    ['*', JSON_ONLY, true],
    [browser, JSON_ONLY, true],
    ['application/*', JSON_ONLY, true],
    ['application/json; charset=utf-8', JSON_ONLY, true],
    ['APPLICATION/JSON', JSON_ONLY, true],
    ['application/xml', JSON_ONLY, false],
    ['application/xml, text/csv', JSON_ONLY, false],
    ['application/json;q=0', JSON_ONLY, false],
    ['application/json;q=0, */*', JSON_ONLY, false], // the most specific range decides
    ['application/*;q=0, */*', JSON_ONLY, false],
    ['*/*;q=0', JSON_ONLY, false],
    ['*/*;q=0.001', JSON_ONLY, true],
    ['text/*', JSON_OR_CSV, true],
    ['text/csv;q=0.1', JSON_OR_CSV, true],
    ['application/xml', JSON_OR_CSV, false],
    ['text/csv;q=0', JSON_OR_CSV, false],
    ['application/json;q=0, text/csv;q=0', JSON_OR_CSV, false],
    [['application/xml', 'application/json;q=0.1'], JSON_ONLY, true], // repeated header lines are one list
    [browser, ['text/csv'], true],
    ['application/json', ['text/csv'], false],
  ])('%j of %j → %s', (accept, types, expected) => {
    expect(acceptsAnyOf(accept, types)).toBe(expected);
    if (typeof accept === 'string') expect(acceptCheckOf(types).accepts(accept)).toBe(expected);
  });

  it('shares one remembered check per list of types', () => {
    expect(acceptCheckOf(['application/json'])).toBe(acceptCheckOf(JSON_ONLY));
    expect(acceptCheckOf(JSON_ONLY).types).toEqual(['application/json']);
  });
});

describe('answersCsv', () => {
  it('an Accept that allows neither JSON nor CSV is 406 (after Vary: Accept is set); ?format= wins over it', () => {
    const h: Record<string, string> = {};
    const r = { header: (k: string, v: string) => (h[k] = v), getHeader: (k: string) => h[k] };
    for (const accept of ['application/xml', 'text/csv;q=0', 'application/json;q=0']) {
      expect(() => answersCsv({ headers: { accept } }, r)).toThrow(NotAcceptableError);
      expect(h.vary).toBe('Accept');
    }
    expect(() => answersCsv({ headers: { accept: 'application/xml' } }, r)).toThrow(expect.objectContaining({ available: ['application/json', 'text/csv'] }));
    expect(answersCsv({ headers: { accept: 'application/xml' } }, r, 'json')).toBe(false);
    expect(answersCsv({ headers: { accept: 'application/xml' } }, r, 'csv')).toBe(true);
    expect(answersCsv({ headers: { accept: '*/*' } }, r)).toBe(false);
    expect(answersCsv({ headers: { accept: 'application/json;q=0, text/csv;q=0.1' } }, r)).toBe(true);
  });

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
