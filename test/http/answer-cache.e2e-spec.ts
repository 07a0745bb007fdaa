import { gunzipSync } from 'node:zlib';
import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { QueryGate } from '../../apps/api/src/ledger/query-gate';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The answer cache at the HTTP edge, through the real app: what is served from it, what never is,
 * and that a cached answer looks exactly like a computed one.
 */

const PER_REQUEST = ['date', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'connection', 'keep-alive'];
const stable = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !PER_REQUEST.includes(k)));

describe('answer cache (HTTP)', () => {
  let t: TestApp;
  let views: jest.SpyInstance;
  const get = (url: string, headers: Record<string, string> = {}): Promise<RawAnswer> => rawGet(t.app.getHttpServer(), url, headers);
  const cache = () => answerCacheOf(t.app.getHttpAdapter().getInstance())!;

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '1000', LEDGER_GZIP_MIN_BYTES: '1024' } });
    views = jest.spyOn(t.app.get(QueryGate), 'view');
  });
  afterAll(() => t.close());
  beforeEach(() => views.mockClear());

  it('answers the same question at the same position from the cache: same status, bytes and headers, without running the handler', async () => {
    const auth = await t.auth('auditor', [], 'cache-same');
    const first = await get('/counties', auth);
    expect(first.statusCode).toBe(200);
    expect(views).toHaveBeenCalledTimes(1);
    const second = await get('/counties', auth);
    expect(views).toHaveBeenCalledTimes(1); // served before Nest
    expect(second.statusCode).toBe(200);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(stable(second.headers)).toEqual(stable(first.headers));
    expect(first.headers['content-security-policy']).toBeDefined();
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    // The rate-limit headers are the request's own, not the cached answer's.
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(Number(first.headers['x-ratelimit-remaining']) - 1);
  });

  it('writes a hit before routing (the raw path) with every header a computed answer has: security, rate limit, content type and length, encoding and Vary', async () => {
    const auth = await t.auth('auditor', [], 'cache-raw');
    for (const encoding of [{}, { 'accept-encoding': 'gzip' }] as Record<string, string>[]) {
      const first = await get('/counties', { ...auth, ...encoding });
      const rawBefore = cache().rawHits;
      const hit = await get('/counties', { ...auth, ...encoding });
      expect(cache().rawHits).toBe(rawBefore + 1);
      expect(hit.statusCode).toBe(200);
      expect(hit.rawPayload.equals(first.rawPayload)).toBe(true);
      expect(Object.keys(hit.headers).sort()).toEqual(Object.keys(first.headers).sort());
      expect(stable(hit.headers)).toEqual(stable(first.headers));
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(hit.headers[name]).toBe(value);
      expect(hit.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(hit.headers['content-length'])).toBe(hit.rawPayload.length);
      expect(hit.headers['x-ratelimit-limit']).toBe('1000');
      expect(Number(hit.headers['x-ratelimit-remaining'])).toBe(Number(first.headers['x-ratelimit-remaining']) - 1);
      expect(Number(hit.headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
      expect(hit.headers.vary).toBe('Accept-Encoding');
      expect(hit.headers['content-encoding']).toBe('accept-encoding' in encoding ? 'gzip' : undefined);
    }
    // A request naming a position never takes it.
    const rawBefore = cache().rawHits;
    expect((await get('/counties', { ...auth, 'x-ledger-position': '0' })).statusCode).toBe(200);
    expect(cache().rawHits).toBe(rawBefore);
  });

  it('shows a write to the next read (read-your-writes), without X-Ledger-Position', async () => {
    const auth = await t.auth('auditor', [], 'cache-ryw');
    const before = await get('/centres', auth);
    expect(JSON.parse(before.body).map((c: { centreId: string }) => c.centreId)).not.toContain('kc-cache');
    expect((await get('/centres', auth)).body).toBe(before.body); // cached
    const admin = await t.auth('admin');
    const w = await t.http().post('/centres').set(admin).send({ centreId: 'kc-cache', countyId: 'telemark', name: 'Karrieresenteret Cache', municipality: 'Skien', openedOn: '2014-03-01' });
    expect(w.status).toBe(201);
    const after = await get('/centres', auth);
    expect(JSON.parse(after.body).map((c: { centreId: string }) => c.centreId)).toContain('kc-cache');
  });

  it('keys on Accept: JSON and CSV of key figures are different answers', async () => {
    const auth = await t.auth('auditor', [], 'cache-accept');
    const json = await get('/key-figures/2014', auth);
    const csv = await get('/key-figures/2014', { ...auth, accept: 'text/csv' });
    const json2 = await get('/key-figures/2014', auth);
    const csv2 = await get('/key-figures/2014', { ...auth, accept: 'text/csv' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('inline; filename="nokkeltall-2014.csv"');
    expect(views).toHaveBeenCalledTimes(2);
    expect(json2.body).toBe(json.body);
    expect(csv2.body).toBe(csv.body);
    expect(stable(csv2.headers)).toEqual(stable(csv.headers));
  });

  it('never serves a cached answer to another Authorization: a forged token and a missing one get 401', async () => {
    const token = await t.token('auditor', [], 'cache-auth');
    const ok = await get('/counties/telemark', { authorization: `Bearer ${token}` });
    expect(ok.statusCode).toBe(200);
    const [h, p, s] = token.split('.');
    const forged = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const bad = await get('/counties/telemark', { authorization: `Bearer ${forged}` });
    expect(bad.statusCode).toBe(401);
    expect(JSON.parse(bad.body).code).toBe('AUTH.TOKEN_INVALID');
    expect((await get('/counties/telemark')).statusCode).toBe(401);
    // A token without a known role is refused too (the guard runs for every key it has not seen).
    const roleless = await t.tokens.issue({ sub: 'x', name: 'x', roles: ['intruder' as never], counties: [] });
    expect((await get('/counties/telemark', { authorization: `Bearer ${roleless}` })).statusCode).toBe(401);
  });

  it('re-checks the token on a hit: once it has expired the answer is the same 401 as without the cache', async () => {
    const token = await t.tokens.issue({ sub: 'cache-exp', name: 'Expiring', roles: ['auditor'], counties: [] }, 2);
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    const auth = { authorization: `Bearer ${token}` };
    expect((await get('/counties', auth)).statusCode).toBe(200);
    expect((await get('/counties', auth)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
    const expired = await get('/counties', auth);
    expect(expired.statusCode).toBe(401);
    expect(JSON.parse(expired.body).code).toBe('AUTH.TOKEN_EXPIRED');
  });

  it('goes the normal way with X-Ledger-Position, and keeps only 200 answers', async () => {
    const auth = await t.auth('auditor', [], 'cache-position');
    await get('/counties', auth);
    views.mockClear();
    const named = await get('/counties', { ...auth, 'x-ledger-position': '0' });
    expect(named.statusCode).toBe(200);
    expect(views).toHaveBeenCalledTimes(1);
    const size = cache().size;
    expect((await get('/counties/atlantis', auth)).statusCode).toBe(404);
    expect((await get('/counties/atlantis', auth)).statusCode).toBe(404);
    expect(views).toHaveBeenCalledTimes(3);
    expect(cache().size).toBe(size);
  });

  it('gzips answers of LEDGER_GZIP_MIN_BYTES (here 1 KiB) and more for clients that accept it (first answer and cached), with Vary; others get identity bytes', async () => {
    const auth = await t.auth('auditor', [], 'cache-gzip');
    const first = await get('/counties', { ...auth, 'accept-encoding': 'gzip, deflate' });
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toBe('Accept-Encoding');
    const cached = await get('/counties', { ...auth, 'accept-encoding': 'gzip, deflate' });
    expect(cached.headers['content-encoding']).toBe('gzip');
    expect(cached.headers.vary).toBe('Accept-Encoding');
    expect(stable(cached.headers)).toEqual(stable(first.headers));
    const identity = await get('/counties', auth);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toBe('Accept-Encoding');
    expect(identity.rawPayload.length).toBeGreaterThanOrEqual(1024);
    expect(gunzipSync(first.rawPayload).equals(identity.rawPayload)).toBe(true);
    expect(gunzipSync(cached.rawPayload).equals(identity.rawPayload)).toBe(true);
    expect(first.rawPayload.length).toBeLessThan(identity.rawPayload.length / 2);
    const refused = await get('/counties', { ...auth, 'accept-encoding': 'gzip;q=0, identity' });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.rawPayload.equals(identity.rawPayload)).toBe(true);
    // A small answer is sent as it is.
    const small = await get('/counties/telemark', { ...auth, 'accept-encoding': 'gzip' });
    expect(small.rawPayload.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('serves a token\'s other answers without running their handlers once one request had the token verified again (past the 60-s trust)', async () => {
    const auth = await t.auth('auditor', [], 'cache-renew');
    expect((await get('/counties', auth)).statusCode).toBe(200);
    expect((await get('/counties/telemark', auth)).statusCode).toBe(200);
    views.mockClear();
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000); // the token service's and the entries' trust lapsed
    try {
      expect((await get('/counties', auth)).statusCode).toBe(200); // through the guard (verified in full) and the handler
      expect(views).toHaveBeenCalledTimes(1);
      const other = await get('/counties/telemark', auth);
      expect(other.statusCode).toBe(200);
      expect(views).toHaveBeenCalledTimes(1); // served under the new verification
    } finally {
      later.mockRestore();
    }
  });
});

describe('answer cache (HTTP) with the rate limit and when turned off', () => {
  it('rate-limits cached answers like any other', async () => {
    const t = await startTestApp({ env: { LEDGER_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const auth = await t.auth('auditor');
      const views = jest.spyOn(t.app.get(QueryGate), 'view');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await rawGet(t.app.getHttpServer(), '/counties', auth)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // The 2nd and 3rd were written before routing; the 4th and 5th were counted there once and answered 429 the normal way.
      expect(answerCacheOf(t.app.getHttpAdapter().getInstance())!.rawHits).toBe(2);
      expect(views).toHaveBeenCalledTimes(1); // the 2nd and 3rd were cached, and still counted
    } finally {
      await t.close();
    }
  });

  it('LEDGER_ANSWER_CACHE_MB=0 turns the cache off (gzip stays)', async () => {
    const t = await startTestApp({ seed: true, env: { LEDGER_ANSWER_CACHE_MB: '0', LEDGER_RATE_LIMIT_PER_MINUTE: '1000', LEDGER_GZIP_MIN_BYTES: '1024' } });
    try {
      const auth = await t.auth('auditor');
      const views = jest.spyOn(t.app.get(QueryGate), 'view');
      await rawGet(t.app.getHttpServer(), '/counties', auth);
      const r = await rawGet(t.app.getHttpServer(), '/counties', { ...auth, 'accept-encoding': 'gzip' });
      expect(views).toHaveBeenCalledTimes(2);
      expect(r.headers['content-encoding']).toBe('gzip');
      expect(answerCacheOf(t.app.getHttpAdapter().getInstance())!.size).toBe(0);
    } finally {
      await t.close();
    }
  });
});
