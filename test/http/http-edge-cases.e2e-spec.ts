import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { QueryGate } from '../../apps/api/src/ledger/query-gate';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';
import { addDays, osloDateOf } from '../../libs/domain/src/shared';
import { fakeDateOnly, osloMidnight } from '../helpers/fake-date';

/**
 * Edge cases of the HTTP edge, from an adversarial review: answer cache, ETag / 304, content negotiation
 * (Accept with q-values, Vary), gzip (HEAD and routes that are not cached too), paging cursors, the auth
 * guard (WWW-Authenticate, the scheme's case), rate limit, idempotency keys, X-Ledger-Position / asOf,
 * and the error shape (requests the HTTP parser refuses too). The "today" routes: today-default-dates.e2e-spec.ts.
 */

type Auth = { Authorization: string };
const ERROR_KEYS = ['code', 'details', 'message', 'statusCode'];

/** Writes a raw request on a socket and returns what came back (status line, headers, body) once the server closes. */
const rawExchange = async (server: Server, text: string): Promise<{ status: number; head: string; body: string }> => {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1', () => sock.end(text));
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const i = all.indexOf('\r\n\r\n');
      const head = i < 0 ? all : all.slice(0, i);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: i < 0 ? '' : all.slice(i + 4) });
    });
  });
};

describe('HTTP edge cases', () => {
  let t: TestApp;
  let fo: Auth;
  let admin: Auth;
  const get = (url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<RawAnswer> => rawGet(t.app.getHttpServer(), url, headers, method);

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0', LEDGER_GZIP_MIN_BYTES: '1024' } });
    fo = await t.auth('finance-officer', ['telemark'], 'review-fo');
    admin = await t.auth('admin', [], 'review-admin');
    const post = async (url: string, body: object) => {
      const res = await t.http().post(url).set(fo).send(body);
      if (res.status !== 201) throw new Error(`${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await post('/centres', { centreId: 'rv-kc', countyId: 'telemark', name: 'Karrieresenteret Review', municipality: 'Skien', openedOn: '2005-01-01' });
    await post('/parties', { partyId: 'rv-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' });
    await post('/parties', { partyId: 'rv-nav', name: 'NAV Telemark', kind: 'nav-county-office', countyId: 'telemark' });
    await post('/centres/rv-kc/owner-agreements', { agreementId: 'rv-2009', parties: [{ partyId: 'rv-nav', shareBp: 5000 }, { partyId: 'rv-fk', shareBp: 5000 }], period: { from: '2009-01-01' }, signedOn: '2009-03-01' });
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------- answer cache: "today" answers

  it('a cached route whose ?date= defaults to today answers the new day after midnight, not yesterday from the cache', async () => {
    // /owner-agreements/:id treats an empty ?date= as "today" (businessDate), yet the route is @CachedAnswer().
    const token = await t.tokens.issue({ sub: 'review-midnight', name: 'Midnight', roles: ['auditor'], counties: [] }, 3 * 86400);
    const auth = { authorization: `Bearer ${token}` };
    // Today is the date in Norway: the midnight that matters is Oslo's (23:00 or 22:00 UTC).
    const today = osloDateOf(new Date().toISOString());
    const tomorrow = addDays(today, 1);
    fakeDateOnly(osloMidnight(tomorrow) - 10_000);
    try {
      const before = await get('/owner-agreements/rv-2009?date=', auth);
      expect(before.statusCode).toBe(200);
      expect(JSON.parse(before.body).inForceOn.date).toBe(today);
      jest.setSystemTime(osloMidnight(tomorrow) + 5_000);
      // The same question without the cache (X-Ledger-Position takes the normal way) says "tomorrow":
      const uncached = await get('/owner-agreements/rv-2009?date=', { ...auth, 'x-ledger-position': '0' });
      expect(JSON.parse(uncached.body).inForceOn.date).toBe(tomorrow);
      const after = await get('/owner-agreements/rv-2009?date=', auth);
      expect(after.statusCode).toBe(200);
      expect(JSON.parse(after.body).inForceOn.date).toBe(tomorrow);
    } finally {
      jest.useRealTimers();
    }
  });

  // ---------------------------------------------------------------- answer cache: tokens, headers, writers

  it('repeated Authorization lines: the first one counts (a forged first line is 401 even when the second token has a cached answer)', async () => {
    const token = await t.token('auditor', [], 'review-dup-auth');
    const good = `Bearer ${token}`;
    expect((await get('/counties', { authorization: good })).statusCode).toBe(200);
    expect((await get('/counties', { authorization: good })).statusCode).toBe(200); // cached
    const forged = `Bearer ${token.slice(0, -3)}AAA`;
    const res = await rawGet(t.app.getHttpServer(), '/counties', { authorization: [forged, good] });
    expect(res.statusCode).toBe(401);
    expect(Object.keys(JSON.parse(res.body)).sort()).toEqual(ERROR_KEYS);
  });

  it('two finance officers of different counties each get their own computed answer (the cache never answers one from the other\'s entry)', async () => {
    const views = jest.spyOn(t.app.get(QueryGate), 'view');
    try {
      const a = await t.auth('finance-officer', ['telemark'], 'review-iso-a');
      const b = await t.auth('finance-officer', ['ostfold'], 'review-iso-b');
      await get('/centres', a);
      await get('/centres', a);
      expect(views).toHaveBeenCalledTimes(1);
      await get('/centres', b);
      expect(views).toHaveBeenCalledTimes(2);
    } finally {
      views.mockRestore();
    }
  });

  it('?asOf= in the future is answered again after a write (no stale cached or as-of answer)', async () => {
    const auth = await t.auth('auditor', [], 'review-asof-future');
    const url = '/centres?asOf=2099-12-31';
    const before = await get(url, auth);
    expect(before.statusCode).toBe(200);
    expect(before.body).not.toContain('rv-future');
    await get(url, auth);
    expect((await t.http().post('/centres').set(admin).send({ centreId: 'rv-future', countyId: 'telemark', name: 'Future', municipality: 'Skien', openedOn: '2010-01-01' })).status).toBe(201);
    const after = await get(url, auth);
    expect(after.body).toContain('rv-future');
    expect((await get(url, { ...auth, 'if-none-match': before.headers.etag as string })).statusCode).toBe(200);
  });

  // ---------------------------------------------------------------- content negotiation, Vary, HEAD, gzip

  it('key figures: Accept "text/csv;q=0, application/json" refuses CSV (q=0 is "not acceptable"), so the answer is JSON', async () => {
    const auth = await t.auth('auditor', [], 'review-q0');
    const res = await get('/key-figures/2014', { ...auth, accept: 'text/csv;q=0, application/json' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('key figures chooses JSON or CSV by Accept, so its answers say Vary: Accept', async () => {
    const auth = await t.auth('auditor', [], 'review-vary');
    const json = await get('/key-figures/2014', auth);
    const csv = await get('/key-figures/2014', { ...auth, accept: 'text/csv' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    for (const res of [json, csv]) expect(String(res.headers.vary ?? '')).toMatch(/(^|,)\s*accept\s*(,|$)/i);
  });

  it('key figures rank CSV against JSON by q (RFC 9110 §12.4.2); a wildcard alone is JSON; ?format= wins and does not vary by Accept', async () => {
    const auth = await t.auth('auditor', [], 'review-q-rank');
    for (const [accept, type] of [
      ['text/csv;q=0.5, application/json', 'application/json'],
      ['application/json;q=0.5, text/csv', 'text/csv'],
      ['application/json, text/csv', 'text/csv'],
      ['*/*', 'application/json'],
      ['text/csv;q=0.2, */*', 'application/json'],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json'],
      ['text/*', 'text/csv'],
    ]) {
      for (let i = 0; i < 2; i++) {
        // twice: computed, then cached
        const res = await get('/key-figures/2014', { ...auth, accept });
        expect([accept, res.statusCode, String(res.headers['content-type']).split(';')[0]]).toEqual([accept, 200, type]);
      }
    }
    const byFormat = await get('/key-figures/2014?format=csv', { ...auth, accept: 'application/json' });
    expect(byFormat.headers['content-type']).toMatch(/^text\/csv/);
    expect(String(byFormat.headers.vary ?? '')).not.toMatch(/(^|,)\s*accept\s*(,|$)/i);
  });

  it('key figures: Vary says Accept and Accept-Encoding in one value when the answer is gzipped, computed, cached and on a 304', async () => {
    const auth = await t.auth('auditor', [], 'review-vary-gzip');
    const headers = { ...auth, 'accept-encoding': 'gzip' };
    const first = await get('/key-figures/2014', headers);
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toBe('Accept, Accept-Encoding');
    const cached = await get('/key-figures/2014', headers);
    expect(cached.headers.vary).toBe('Accept, Accept-Encoding');
    const notModified = await get('/key-figures/2014', { ...headers, 'if-none-match': first.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers.vary).toBe('Accept, Accept-Encoding');
    const csv = await get('/key-figures/2014', { ...headers, accept: 'text/csv' });
    expect(csv.headers.vary).toMatch(/^Accept(, Accept-Encoding)?$/);
  });

  it('HEAD with Accept-Encoding: gzip gets the headers GET would (Content-Encoding, Content-Length, Vary, ETag)', async () => {
    const auth = await t.auth('auditor', [], 'review-head-gzip');
    const headers = { ...auth, 'accept-encoding': 'gzip' };
    const full = await get('/counties', headers);
    expect(full.headers['content-encoding']).toBe('gzip');
    const head = await get('/counties', headers, 'HEAD');
    expect(head.statusCode).toBe(200);
    const pick = (h: Record<string, unknown>) => ({ etag: h.etag, vary: h.vary, 'content-encoding': h['content-encoding'], 'content-length': h['content-length'] });
    expect(pick(head.headers)).toEqual(pick(full.headers));
  });

  it('odd Accept-Encoding values never give a 500, and gzip is sent only where it is acceptable', async () => {
    const auth = await t.auth('auditor', [], 'review-ae');
    const identity = await get('/counties', auth);
    expect(identity.statusCode).toBe(200);
    const cases: [string | string[], boolean][] = [
      ['gzip;q=0', false],
      ['identity;q=0', false],
      ['*', true],
      ['*;q=0', false],
      ['GZIP', true],
      ['x-gzip', true],
      ['gzip;q=0.001', true],
      ['*, gzip;q=0', false],
      ['gzip;q=0, *', false],
      [['identity', 'gzip'], true],
      ['br, deflate', false],
      ['', false],
      [`${'a,'.repeat(2000)}gzip`, true],
    ];
    for (const [ae, gz] of cases) {
      for (let i = 0; i < 2; i++) {
        // twice: computed, then cached
        const res = await rawGet(t.app.getHttpServer(), '/counties', { ...auth, 'accept-encoding': ae });
        expect([ae, res.statusCode]).toEqual([ae, 200]);
        expect([ae, res.headers['content-encoding'] === 'gzip']).toEqual([ae, gz]);
        const body = res.headers['content-encoding'] === 'gzip' ? gunzipSync(res.rawPayload) : res.rawPayload;
        expect(body.equals(identity.rawPayload)).toBe(true);
      }
    }
  });

  it('LEDGER_GZIP_MIN_BYTES applies to every answer (README, Configuration): a large answer of a route that is not cached is gzipped too', async () => {
    const auth = await t.auth('auditor', [], 'review-gzip-plain');
    const identity = await get('/audit/events?limit=500', auth);
    expect(identity.statusCode).toBe(200);
    expect(identity.rawPayload.length).toBeGreaterThan(1024);
    const zipped = await get('/audit/events?limit=500', { ...auth, 'accept-encoding': 'gzip' });
    expect(zipped.statusCode).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).equals(identity.rawPayload)).toBe(true);
  });

  it('gzip on a route that is not cached: Vary on every long answer, q=0 respected, HEAD gets GET\'s headers without a body, a 304 is not compressed, a short answer goes as it is', async () => {
    const auth = await t.auth('auditor', [], 'review-gzip-plain-more');
    const url = '/audit/events?limit=500';
    const identity = await get(url, auth);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    const refused = await get(url, { ...auth, 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.rawPayload.equals(identity.rawPayload)).toBe(true);
    const headers = { ...auth, 'accept-encoding': 'gzip' };
    const zipped = await get(url, headers);
    const head = await get(url, headers, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.rawPayload.length).toBe(0);
    const pick = (h: Record<string, unknown>) => ({ etag: h.etag, vary: h.vary, 'content-encoding': h['content-encoding'], 'content-length': h['content-length'] });
    expect(pick(head.headers)).toEqual(pick(zipped.headers));
    expect(Number(zipped.headers['content-length'])).toBe(zipped.rawPayload.length);
    const notModified = await get(url, { ...headers, 'if-none-match': zipped.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers['content-encoding']).toBeUndefined();
    expect(notModified.rawPayload.length).toBe(0);
    const short = await get('/audit/events?limit=1', headers);
    expect(short.rawPayload.length).toBeLessThan(1024);
    expect(short.headers['content-encoding']).toBeUndefined();
  });

  // ---------------------------------------------------------------- conditional GETs and paging

  it('a 304 on a paged list after an item was added carries the new X-Total-Count and Link (the 200 would)', async () => {
    const auth = await t.auth('auditor', [], 'review-page-304');
    const url = '/parties?limit=1';
    const first = await get(url, auth);
    expect(first.statusCode).toBe(200);
    const total = Number(first.headers['x-total-count']);
    expect((await t.http().post('/parties').set(fo).send({ partyId: 'rv-zzz', name: 'Zed', kind: 'other', countyId: 'telemark' })).status).toBe(201);
    const res = await get(url, { ...auth, 'if-none-match': first.headers.etag as string });
    expect([200, 304]).toContain(res.statusCode);
    expect(Number(res.headers['x-total-count'])).toBe(total + 1);
    expect(res.headers.link).toBeDefined();
  });

  it('a cursor cannot leave its list: a cursor of /parties?countyId=telemark is refused on /parties?countyId=ostfold', async () => {
    const auth = await t.auth('auditor', [], 'review-cursor');
    const page = await get('/parties?countyId=telemark&limit=1', auth);
    const link = String(page.headers.link);
    const after = new URLSearchParams(/<([^>]+)>/.exec(link)![1].split('?')[1]).get('after')!;
    const res = await get(`/parties?countyId=ostfold&limit=1&after=${after}`, auth);
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).code).toBe('REQUEST.BAD_CURSOR');
    const forged = await get(`/parties?limit=1&after=${Buffer.from('../../etc').toString('base64url')}`, auth);
    expect(forged.statusCode).toBe(400);
  });

  // ---------------------------------------------------------------- auth guard

  it('a 401 says how to authenticate: WWW-Authenticate: Bearer (RFC 9110 §15.5.2, RFC 6750 §3)', async () => {
    for (const headers of [{}, { authorization: 'Bearer not.a.token' }] as Record<string, string>[]) {
      const res = await get('/counties', headers);
      expect(res.statusCode).toBe(401);
      expect(String(res.headers['www-authenticate'] ?? '')).toMatch(/^Bearer\b/);
    }
  });

  it('the auth scheme is case-insensitive: "bearer <valid token>" is let in (RFC 9110 §11.1)', async () => {
    const token = await t.token('auditor', [], 'review-lower');
    const res = await get('/counties/telemark', { authorization: `bearer ${token}` });
    expect(res.statusCode).toBe(200);
  });

  it('a 401 adds error="invalid_token" when a token was sent but refused (bad or expired), not when none was sent (RFC 6750 §3)', async () => {
    const missing = await get('/counties', {});
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="ledger"');
    expect(JSON.parse(missing.body).code).toBe('AUTH.MISSING_TOKEN');
    const basic = await get('/counties', { authorization: 'Basic dXNlcjpwYXNz' });
    expect(basic.headers['www-authenticate']).toBe('Bearer realm="ledger"');
    const invalid = await get('/counties', { authorization: 'Bearer not.a.token' });
    expect(JSON.parse(invalid.body).code).toBe('AUTH.TOKEN_INVALID');
    expect(invalid.headers['www-authenticate']).toBe('Bearer realm="ledger", error="invalid_token"');
    const expiredToken = await t.tokens.issue({ sub: 'review-expired', name: 'Expired', roles: ['auditor'], counties: [] }, -10);
    const expired = await get('/counties', { authorization: `Bearer ${expiredToken}` });
    expect(JSON.parse(expired.body).code).toBe('AUTH.TOKEN_EXPIRED');
    expect(expired.headers['www-authenticate']).toBe('Bearer realm="ledger", error="invalid_token"');
    // A 403 does not challenge: signing in again would not help.
    const forbidden = await t.http().post('/counties').set(await t.auth('auditor', [], 'review-www-403')).send({});
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['www-authenticate']).toBeUndefined();
  });

  it('"BEARER" and "bearer" are let in on cached routes too, and their answers are served from the cache', async () => {
    const token = await t.token('auditor', [], 'review-upper');
    const views = jest.spyOn(t.app.get(QueryGate), 'view');
    try {
      for (const scheme of ['BEARER ', 'bearer ', 'Bearer  ']) {
        views.mockClear();
        const first = await get('/centres', { authorization: `${scheme}${token}` });
        const again = await get('/centres', { authorization: `${scheme}${token}` });
        expect([scheme, first.statusCode, again.statusCode]).toEqual([scheme, 200, 200]);
        expect([scheme, views.mock.calls.length]).toEqual([scheme, 1]); // the second from the cache
      }
    } finally {
      views.mockRestore();
    }
    expect((await get('/centres', { authorization: `Bearer${token}` })).statusCode).toBe(401);
  });

  // ---------------------------------------------------------------- X-Ledger-Position, asOf

  it('odd X-Ledger-Position and asOf values are 400 in the one error shape, on cached routes too', async () => {
    const auth = await t.auth('auditor', [], 'review-position');
    for (const [headers, code] of [
      [{ 'x-ledger-position': 'abc' }, 'REQUEST.BAD_POSITION'],
      [{ 'x-ledger-position': '-1' }, 'REQUEST.BAD_POSITION'],
      [{ 'x-ledger-position': '1.5' }, 'REQUEST.BAD_POSITION'],
      [{ 'x-ledger-position': '99999999999999999999' }, 'REQUEST.BAD_POSITION'],
    ] as [Record<string, string>, string][]) {
      const res = await get('/counties', { ...auth, ...headers });
      expect([headers, res.statusCode]).toEqual([headers, 400]);
      const body = JSON.parse(res.body);
      expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
      expect(body.code).toBe(code);
    }
    const dup = await rawGet(t.app.getHttpServer(), '/counties', { ...auth, 'x-ledger-position': ['1', '2'] });
    expect(dup.statusCode).toBe(400);
    for (const asOf of ['2014-02-30', 'now', '2014-05-09T25:00:00Z', '2014-05-09T10:00:00', `${'9'.repeat(50)}`]) {
      const res = await get(`/counties?asOf=${encodeURIComponent(asOf)}`, auth);
      expect([asOf, res.statusCode, JSON.parse(res.body).code]).toEqual([asOf, 400, 'REQUEST.BAD_AS_OF']);
    }
    const twice = await get('/counties?asOf=2014-01-01&asOf=2015-01-01', auth);
    expect(twice.statusCode).toBe(400);
  });

  // ---------------------------------------------------------------- idempotency

  it('an Idempotency-Key of one finance officer replayed by an officer of another county is not answered from the first one\'s record', async () => {
    const body = { fiscalYear: 2014, partyId: 'rv-fk', decidedOn: '2014-01-10', amount: '1000.00' };
    const first = await t.http().post('/centres/rv-kc/funding/operating-grants').set(fo).set('Idempotency-Key', 'rv-idem-1').send(body);
    expect(first.status).toBe(201);
    const again = await t.http().post('/centres/rv-kc/funding/operating-grants').set(fo).set('Idempotency-Key', 'rv-idem-1').send(body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const stranger = await t.auth('finance-officer', ['ostfold'], 'review-stranger');
    const res = await t.http().post('/centres/rv-kc/funding/operating-grants').set(stranger).set('Idempotency-Key', 'rv-idem-1').send(body);
    expect([403, 409]).toContain(res.status);
    expect(res.body.eventIds).toBeUndefined();
    // the same key and body on another route is another request
    const other = await t.http().post('/centres/rv-kc/funding/other-income').set(fo).set('Idempotency-Key', 'rv-idem-1').send({ ...body, incomeKind: 'course-fees' });
    expect(other.status).not.toBe(201);
  });

  // ---------------------------------------------------------------- error shapes for odd requests

  it('a request whose headers are too large is refused in the one error shape', async () => {
    const token = await t.token('auditor', [], 'review-huge');
    const res = await rawExchange(t.app.getHttpServer(), `GET /counties HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Junk: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const body = JSON.parse(res.body);
    expect(Object.keys(body).sort()).toEqual(ERROR_KEYS);
  });

  it('a request with a malformed header line is refused in the one error shape', async () => {
    const res = await rawExchange(t.app.getHttpServer(), 'GET /counties HTTP/1.1\r\nHost: x\r\nBad Header: yes\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(400);
    expect(Object.keys(JSON.parse(res.body)).sort()).toEqual(ERROR_KEYS);
  });

  it('requests refused before routing say REQUEST.HEADERS_TOO_LARGE (431) or REQUEST.MALFORMED (400), with the security headers', async () => {
    const headerOf = (head: string, name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
    const huge = await rawExchange(t.app.getHttpServer(), `GET /counties HTTP/1.1\r\nHost: x\r\nX-Junk: ${'a'.repeat(20_000)}\r\n\r\n`);
    const bad = await rawExchange(t.app.getHttpServer(), 'GET /counties HTTP/1.1\r\nHost: x\r\nBad Header: yes\r\n\r\n');
    for (const [res, status, code] of [[huge, 431, 'REQUEST.HEADERS_TOO_LARGE'], [bad, 400, 'REQUEST.MALFORMED']] as const) {
      const body = JSON.parse(res.body);
      expect([res.status, body.statusCode, body.code]).toEqual([status, status, code]);
      expect(body.message.length).toBeGreaterThan(20);
      expect(headerOf(res.head, 'content-type')).toBe('application/json; charset=utf-8');
      expect(Number(headerOf(res.head, 'content-length'))).toBe(Buffer.byteLength(res.body));
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect([name, headerOf(res.head, name)]).toEqual([name, value]);
    }
  });

  it('odd methods and bodies: 4xx in the one error shape, never 500', async () => {
    const auth = await t.auth('auditor', [], 'review-odd');
    const cases: [string, () => Promise<{ status: number; body: any }>][] = [
      ['DELETE /centres', () => t.http().delete('/centres').set(auth)],
      ['PUT /centres/rv-kc', () => t.http().put('/centres/rv-kc').set(admin).send({})],
      ['POST empty json', () => t.http().post('/centres').set(admin).set('content-type', 'application/json').send('')],
      ['POST utf-16 json', () => t.http().post('/centres').set(admin).set('content-type', 'application/json; charset=utf-16').send('{}')],
      ['POST text/plain', () => t.http().post('/centres').set(admin).set('content-type', 'text/plain').send('{}')],
      ['POST no content type', () => t.http().post('/centres').set(admin).send(Buffer.from('{}'))],
      ['POST gzip body', () => t.http().post('/centres').set(admin).set('content-type', 'application/json').set('content-encoding', 'gzip').send('{}')],
      ['GET with limit=0', () => t.http().get('/centres?limit=0').set(auth)],
    ];
    const codes: Record<string, string> = {};
    for (const [label, send] of cases) {
      const res = await send();
      expect([label, res.status >= 400 && res.status < 500]).toEqual([label, true]);
      expect([label, Object.keys(res.body).sort()]).toEqual([label, ERROR_KEYS]);
      codes[label] = `${res.status} ${res.body.code}`;
    }
    expect(codes).toMatchObject({
      'DELETE /centres': '405 ROUTE.METHOD_NOT_ALLOWED',
      'PUT /centres/rv-kc': '405 ROUTE.METHOD_NOT_ALLOWED',
      'POST empty json': '400 REQUEST.INVALID_JSON',
      'POST text/plain': '415 REQUEST.UNSUPPORTED_MEDIA_TYPE',
      'POST no content type': '415 REQUEST.UNSUPPORTED_MEDIA_TYPE',
    });
  });
});

describe('HTTP edge cases: another writer on the same store', () => {
  it('a write by another process on the same store is seen with X-Ledger-Position, and the cached answer is not served once the views moved', async () => {
    // Two apps on one store (as the server and another writer sharing the log); closing an app closes the store, so both are private here.
    const t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    const other = await startTestApp({ store: t.store, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '0' } });
    const get = (url: string, headers: Record<string, string> = {}): Promise<RawAnswer> => rawGet(t.app.getHttpServer(), url, headers);
    try {
      const auth = await t.auth('auditor', [], 'review-other-process');
      const before = await get('/centres', auth);
      expect(before.body).not.toContain('rv-other');
      await get('/centres', auth); // cached
      const w = await other.http().post('/centres').set(await other.auth('admin')).send({ centreId: 'rv-other', countyId: 'ostfold', name: 'Other process', municipality: 'Moss', openedOn: '2010-01-01' });
      expect(w.status).toBe(201);
      const named = await get('/centres', { ...auth, 'x-ledger-position': String(w.body.position) });
      expect(named.statusCode).toBe(200);
      expect(named.body).toContain('rv-other');
      const plain = await get('/centres', auth);
      expect(plain.body).toContain('rv-other');
      const nm = await get('/centres', { ...auth, 'if-none-match': before.headers.etag as string });
      expect(nm.statusCode).toBe(200);
    } finally {
      await other.close();
      await t.close().catch(() => undefined);
    }
  });

});

describe('HTTP edge cases: configuration of the rate limit', () => {
  it('an unparseable LEDGER_RATE_LIMIT_PER_MINUTE does not silently turn the limit off (only 0 does)', async () => {
    const off: string[] = [];
    for (const value of ['abc', '', '6000/min', '-5']) {
      let t: TestApp | null = null;
      try {
        t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: value } });
      } catch {
        continue; // refusing to start is fine too
      }
      try {
        // A limited route (/health is exempt from the limit): refused for want of a token, counted all the same.
        const res = await t.http().get('/counties');
        if (res.headers['x-ratelimit-limit'] === undefined) off.push(value);
      } finally {
        await t.close();
      }
    }
    expect(off).toEqual([]);
  });
});
