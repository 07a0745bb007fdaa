import { createHash } from 'node:crypto';
import { CACHE_CONTROL, conditionalGetOnSend, etagOf, ifNoneMatch } from './etag';

describe('etagOf', () => {
  it('is W/"<base64url of the first 16 bytes of sha256(body)>", the same for a string and its UTF-8 bytes', () => {
    const body = '{"name":"Karrieresenteret Møre og Romsdal"}';
    const expected = `W/"${createHash('sha256').update(Buffer.from(body, 'utf8')).digest().subarray(0, 16).toString('base64url')}"`;
    expect(etagOf(body)).toBe(expected);
    expect(etagOf(Buffer.from(body))).toBe(expected);
    expect(expected).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
  });
});

describe('ifNoneMatch (weak comparison, RFC 9110 §13.1.2)', () => {
  const tag = 'W/"abc"';
  it.each([
    ['W/"abc"', true],
    ['"abc"', true], // weak comparison: a strong tag with the same opaque-tag matches
    ['W/"x", W/"abc"', true],
    ['"x","abc"', true],
    ['  W/"x" ,\tW/"abc"  ', true],
    [', ,W/"abc",', true], // empty list elements are allowed
    ['*', true],
    [' * ', true],
    ['W/"abcd"', false],
    ['W/"ab"', false],
    ['"ABC"', false], // opaque-tags compare case-sensitively
    ['w/"abc"', false], // the weak indicator is case-sensitive: garbage, ignored
    ['W/"x"', false],
    ['', false],
    ['   ', false],
    ['abc', false], // unquoted: garbage
    ['W/abc', false],
    ['"abc', false], // unterminated
    ['"abc" junk', false],
    ['"abc";q=1', false],
    ['"a"b", "abc"', false], // garbage anywhere: the whole field is ignored
    ['"ab c"', false], // space is not an etagc
    ['*, "abc"', false], // `*` is only valid alone
    ['**', false],
    ['W/*', false],
  ])('%j → %s', (field, expected) => expect(ifNoneMatch(field, tag)).toBe(expected));

  it('reads a repeated field as one list, and ignores anything that is not a string', () => {
    expect(ifNoneMatch(['W/"x"', '"abc"'], tag)).toBe(true);
    expect(ifNoneMatch(['W/"x"', '"y"'], tag)).toBe(false);
    expect(ifNoneMatch(undefined, tag)).toBe(false);
    expect(ifNoneMatch(42, tag)).toBe(false);
    expect(ifNoneMatch([1], tag)).toBe(false);
  });

  it('compares against a strong tag by its opaque-tag too, and allows commas inside a tag', () => {
    expect(ifNoneMatch('W/"a,b"', '"a,b"')).toBe(true);
    expect(ifNoneMatch('"a", "b"', '"a,b"')).toBe(false);
  });

  it('matches real tags of real bodies', () => {
    const body = JSON.stringify({ year: 2019, rows: [1, 2, 3] });
    expect(ifNoneMatch(etagOf(body), etagOf(body))).toBe(true);
    expect(ifNoneMatch(`W/"stale", ${etagOf(body)}`, etagOf(body))).toBe(true);
    expect(ifNoneMatch(etagOf(`${body} `), etagOf(body))).toBe(false);
  });
});

describe('conditionalGetOnSend', () => {
  const reply = (status = 200, headers: Record<string, unknown> = {}) => {
    const h: Record<string, unknown> = { 'content-type': 'application/json; charset=utf-8', 'x-frame-options': 'SAMEORIGIN', ...headers };
    const r = {
      statusCode: status,
      headers: h,
      code: (s: number) => ((r.statusCode = s), r),
      header: (k: string, v: unknown) => ((h[k] = v), r),
      getHeader: (k: string) => h[k],
      removeHeader: (k: string) => (delete h[k], r),
    };
    return r;
  };
  const send = (req: { method?: string; headers?: Record<string, string> }, rep: ReturnType<typeof reply>, payload: unknown): unknown => {
    let out: unknown = 'not called';
    conditionalGetOnSend({ method: req.method ?? 'GET', headers: req.headers ?? {} }, rep, payload, (err, p) => {
      expect(err).toBeNull();
      out = p;
    });
    return out;
  };

  it('adds ETag and Cache-Control to a GET 200 string or Buffer answer and leaves the body alone', () => {
    for (const payload of ['{"a":1}', Buffer.from('{"a":1}')]) {
      const rep = reply();
      expect(send({}, rep, payload)).toBe(payload);
      expect(rep.statusCode).toBe(200);
      expect(rep.headers.etag).toBe(etagOf('{"a":1}'));
      expect(rep.headers['cache-control']).toBe(CACHE_CONTROL);
    }
  });

  it('keeps a Cache-Control the route set, and does not hash an answer that already has an ETag', () => {
    const rep = reply(200, { 'cache-control': 'no-store' });
    send({}, rep, '{"a":1}');
    expect(rep.headers['cache-control']).toBe('no-store');
    const tagged = reply(200, { etag: 'W/"cached"' });
    expect(send({ headers: { 'if-none-match': etagOf('{"a":1}') } }, tagged, '{"a":1}')).toBe('{"a":1}');
    expect(tagged.headers.etag).toBe('W/"cached"');
    expect(tagged.statusCode).toBe(200);
  });

  it('answers 304 with a null payload and without the representation headers when If-None-Match matches', () => {
    const rep = reply(200, { 'content-disposition': 'inline; filename="x.csv"', vary: 'Accept-Encoding', 'x-total-count': '3' });
    expect(send({ headers: { 'if-none-match': `W/"old", ${etagOf('a;b')}` } }, rep, 'a;b')).toBeNull();
    expect(rep.statusCode).toBe(304);
    expect(rep.headers).toEqual({ 'x-frame-options': 'SAMEORIGIN', vary: 'Accept-Encoding', 'x-total-count': '3', etag: etagOf('a;b'), 'cache-control': CACHE_CONTROL });
    const star = reply();
    expect(send({ headers: { 'if-none-match': '*' } }, star, 'a;b')).toBeNull();
    expect(star.statusCode).toBe(304);
    const other = reply();
    expect(send({ headers: { 'if-none-match': 'W/"old"' } }, other, 'a;b')).toBe('a;b');
    expect(other.statusCode).toBe(200);
    expect(other.headers['content-type']).toBeDefined();
  });

  it('tags HEAD answers as GET ones and answers 304 to a matching If-None-Match', () => {
    const rep = reply();
    expect(send({ method: 'HEAD', headers: {} }, rep, '{"a":1}')).toBe('{"a":1}');
    expect(rep.headers.etag).toBe(etagOf('{"a":1}'));
    expect(rep.headers['cache-control']).toBe(CACHE_CONTROL);
    const matched = reply();
    // The body goes on to Fastify's HEAD hook, which drops it (it fails on null).
    expect(send({ method: 'HEAD', headers: { 'if-none-match': etagOf('{"a":1}') } }, matched, '{"a":1}')).toBe('{"a":1}');
    expect(matched.statusCode).toBe(304);
    expect(matched.headers['content-type']).toBeUndefined();
  });

  it('leaves errors, other methods and streams alone', () => {
    for (const status of [201, 204, 400, 401, 403, 404, 500]) {
      const rep = reply(status);
      expect(send({ headers: { 'if-none-match': '*' } }, rep, '{"statusCode":1}')).toBe('{"statusCode":1}');
      expect(rep.statusCode).toBe(status);
      expect(rep.headers.etag).toBeUndefined();
      expect(rep.headers['cache-control']).toBeUndefined();
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const rep = reply();
      expect(send({ method, headers: { 'if-none-match': '*' } }, rep, '{}')).toBe('{}');
      expect(rep.statusCode).toBe(200);
      expect(rep.headers.etag).toBeUndefined();
    }
    const stream = { pipe: () => undefined };
    const rep = reply();
    expect(send({ headers: { 'if-none-match': '*' } }, rep, stream)).toBe(stream);
    expect(rep.headers.etag).toBeUndefined();
    expect(rep.statusCode).toBe(200);
  });
});
