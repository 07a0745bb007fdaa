import { gunzipSync } from 'node:zlib';
import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { etagOf } from '../../apps/api/src/http/etag';
import { SECURITY_HEADERS } from '../../apps/api/src/http/security-headers';
import { QueryGate } from '../../apps/api/src/ledger/query-gate';
import { rawGet, RawAnswer } from '../helpers/raw-get';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Conditional GETs through the real app: every GET 200 carries a weak ETag of its identity body and
 * Cache-Control, a matching If-None-Match gets 304 without a body (computed, cached and raw-path
 * answers alike), and a 304 is never given where the 200 would not have been.
 */

/** Headers that differ per request or describe the body (a 304 has none of the latter). */
const PER_REQUEST = ['date', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'connection', 'keep-alive'];
const REPRESENTATION = ['content-type', 'content-length', 'content-encoding', 'content-disposition', 'transfer-encoding'];
const without = (h: Record<string, unknown>, names: string[]) => Object.fromEntries(Object.entries(h).filter(([k]) => !names.includes(k)));

const CENTRE = (centreId: string) => ({ centreId, countyId: 'telemark', name: `Karrieresenteret ${centreId}`, municipality: 'Skien', openedOn: '2014-03-01' });

describe('conditional GETs (ETag, If-None-Match → 304)', () => {
  let t: TestApp;
  let views: jest.SpyInstance;
  const get = (url: string, headers: Record<string, string> = {}): Promise<RawAnswer> => rawGet(t.app.getHttpServer(), url, headers);
  const cache = () => answerCacheOf(t.app.getHttpAdapter().getInstance())!;

  /** The 304 carries every header the 200 did (security, rate limit, ETag, Vary, Cache-Control) but the representation ones, and no body. */
  const expectNotModified = (res: RawAnswer, full: RawAnswer) => {
    expect(res.statusCode).toBe(304);
    expect(res.rawPayload.length).toBe(0);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers.etag).toBe(full.headers.etag);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    expect(without(res.headers, PER_REQUEST)).toEqual(without(full.headers, [...PER_REQUEST, ...REPRESENTATION]));
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers[name]).toBe(value);
    expect(res.headers['x-ratelimit-limit']).toBe('1000');
    expect(Number(res.headers['x-ratelimit-remaining'])).toBeGreaterThanOrEqual(0);
  };

  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { LEDGER_RATE_LIMIT_PER_MINUTE: '1000', LEDGER_GZIP_MIN_BYTES: '1024' } });
    const admin = await t.auth('admin');
    expect((await t.http().post('/centres').set(admin).send(CENTRE('kc-etag-1'))).status).toBe(201);
    views = jest.spyOn(t.app.get(QueryGate), 'view');
  });
  afterAll(() => t.close());
  beforeEach(() => views.mockClear());

  it('tags a cached route\'s answer with the weak ETag of its body and Cache-Control: private, no-cache', async () => {
    const auth = await t.auth('auditor', [], 'etag-cached');
    const res = await get('/counties/telemark', auth);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(etagOf(res.rawPayload));
    expect(res.headers.etag).toMatch(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(res.headers['cache-control']).toBe('private, no-cache');
    const again = await get('/counties/telemark', auth); // from the cache
    expect(views).toHaveBeenCalledTimes(1);
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(again.headers['cache-control']).toBe('private, no-cache');
  });

  it('tags a GET route that is not cached the same way (and the CSV of a cached one)', async () => {
    const auth = await t.auth('auditor', [], 'etag-plain');
    for (const [url, extra] of [
      ['/nav-links?date=2020-01-01', {}],
      ['/audit/streams/centre-kc-etag-1', {}],
      ['/key-figures/2014', { accept: 'text/csv' }],
    ] as [string, Record<string, string>][]) {
      const res = await get(url, { ...auth, ...extra });
      expect(res.statusCode).toBe(200);
      expect(res.headers.etag).toBe(etagOf(res.rawPayload));
      expect(res.headers['cache-control']).toBe('private, no-cache');
    }
  });

  it('answers 304 to a matching If-None-Match on a cached route: when computed, from the cache before routing, and for a list, * or the strong form', async () => {
    const auth = await t.auth('auditor', [], 'etag-304-cached');
    const full = await get('/centres', auth);
    const tag = full.headers.etag as string;
    expect(full.statusCode).toBe(200);
    // A new key for the same caller (another Accept) so the first answer with If-None-Match is computed.
    const headers = { ...auth, accept: 'application/json' };
    const computed = await get('/centres', { ...headers, 'if-none-match': tag });
    expect(views).toHaveBeenCalledTimes(2);
    expectNotModified(computed, full);
    // …and stored: the next ones come from the cache, written before Fastify routes them.
    const rawBefore = cache().rawHits;
    for (const inm of [tag, `W/"stale", ${tag}`, '*', tag.slice(2)]) {
      const hit = await get('/centres', { ...headers, 'if-none-match': inm });
      expectNotModified(hit, full);
    }
    expect(cache().rawHits).toBe(rawBefore + 4);
    expect(views).toHaveBeenCalledTimes(2);
    // A tag that does not match, or a garbled field, gets the full answer.
    for (const inm of ['W/"stale"', 'garbage', `${tag} junk`]) {
      const res = await get('/centres', { ...headers, 'if-none-match': inm });
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.equals(full.rawPayload)).toBe(true);
      expect(res.headers.etag).toBe(tag);
    }
  });

  it('answers 304 to a matching If-None-Match on a route that is not cached, after the handler ran', async () => {
    const auth = await t.auth('auditor', [], 'etag-304-plain');
    const full = await get('/nav-links?date=2020-01-01', auth);
    expect(full.statusCode).toBe(200);
    const gate = jest.spyOn(t.app.get(QueryGate), 'views'); // the governance routes read several views at once
    const res = await get('/nav-links?date=2020-01-01', { ...auth, 'if-none-match': full.headers.etag as string });
    expect(gate).toHaveBeenCalledTimes(1);
    gate.mockRestore();
    expectNotModified(res, full);
    const other = await get('/nav-links?date=2020-01-01', { ...auth, 'if-none-match': 'W/"stale"' });
    expect(other.statusCode).toBe(200);
    expect(other.body).toBe(full.body);
  });

  it('gives gzip and identity answers of the same body the same ETag, and a 304 to either', async () => {
    const auth = await t.auth('auditor', [], 'etag-gzip');
    const zipped = await get('/counties', { ...auth, 'accept-encoding': 'gzip' });
    const identity = await get('/counties', auth);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(gunzipSync(zipped.rawPayload).equals(identity.rawPayload)).toBe(true);
    expect(zipped.headers.etag).toBe(etagOf(identity.rawPayload));
    expect(identity.headers.etag).toBe(zipped.headers.etag);
    // A second gzip answer from the cache: the same tag; and either tag revalidates the other encoding.
    expect((await get('/counties', { ...auth, 'accept-encoding': 'gzip' })).headers.etag).toBe(identity.headers.etag);
    const nm = await get('/counties', { ...auth, 'accept-encoding': 'gzip', 'if-none-match': identity.headers.etag as string });
    expectNotModified(nm, zipped);
    expect(nm.headers.vary).toBe('Accept-Encoding');
    expectNotModified(await get('/counties', { ...auth, 'if-none-match': zipped.headers.etag as string }), identity);
  });

  it('a write that changes the answer changes the ETag: the old tag then gets 200 with the new body (cached and not cached)', async () => {
    const auth = await t.auth('auditor', [], 'etag-write');
    const urls = ['/centres', '/nav-links?date=2020-01-01'];
    const before = await Promise.all(urls.map((u) => get(u, auth)));
    for (const [i, u] of urls.entries()) expect((await get(u, { ...auth, 'if-none-match': before[i].headers.etag as string })).statusCode).toBe(304);
    const admin = await t.auth('admin');
    expect((await t.http().post('/centres').set(admin).send(CENTRE('kc-etag-2'))).status).toBe(201);
    for (const [i, u] of urls.entries()) {
      const after = await get(u, { ...auth, 'if-none-match': before[i].headers.etag as string });
      expect(after.statusCode).toBe(200);
      expect(after.body).toContain('kc-etag-2');
      expect(before[i].body).not.toContain('kc-etag-2');
      expect(after.headers.etag).toBe(etagOf(after.rawPayload));
      expect(after.headers.etag).not.toBe(before[i].headers.etag);
      expect((await get(u, { ...auth, 'if-none-match': after.headers.etag as string })).statusCode).toBe(304);
    }
  });

  it('never answers 304 where the 200 would not have been given: expired, forged or missing token → 401; another role → 403', async () => {
    const token = await t.tokens.issue({ sub: 'etag-exp', name: 'Expiring', roles: ['auditor'], counties: [] }, 2);
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp as number;
    const auth = { authorization: `Bearer ${token}` };
    const urls = ['/counties/telemark', '/audit/streams/centre-kc-etag-1'];
    const tags: string[] = [];
    for (const u of urls) {
      const full = await get(u, auth);
      expect(full.statusCode).toBe(200);
      tags.push(full.headers.etag as string);
      expect((await get(u, { ...auth, 'if-none-match': tags.at(-1)! })).statusCode).toBe(304); // cached for /counties/telemark
    }
    const [h, p, s] = token.split('.');
    const forged = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const [i, u] of urls.entries()) {
      for (const [headers, code] of [
        [{ authorization: `Bearer ${forged}` }, 'AUTH.TOKEN_INVALID'],
        [{}, 'AUTH.MISSING_TOKEN'],
      ] as [Record<string, string>, string][]) {
        const res = await get(u, { ...headers, 'if-none-match': tags[i] });
        expect(res.statusCode).toBe(401);
        expect(JSON.parse(res.body).code).toBe(code);
        expect(res.headers.etag).toBeUndefined();
      }
    }
    // A board member may not read the audit trail: 403 even with the auditor's tag, or with *.
    const board = await t.auth('board-member', [], 'etag-board');
    for (const inm of [tags[1], '*']) {
      const res = await get(urls[1], { ...board, 'if-none-match': inm });
      expect(res.statusCode).toBe(403);
      expect(res.headers.etag).toBeUndefined();
    }
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
    for (const [i, u] of urls.entries()) {
      const res = await get(u, { ...auth, 'if-none-match': tags[i] });
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(res.body).code).toBe('AUTH.TOKEN_EXPIRED');
      expect(res.headers.etag).toBeUndefined();
    }
  });

  it('puts no ETag (and never a 304) on errors: 404 and 400', async () => {
    const auth = await t.auth('auditor', [], 'etag-errors');
    for (const [url, status] of [
      ['/counties/atlantis', 404],
      ['/centres/kc-nowhere/nav-link', 404],
      ['/nowhere', 404],
      ['/key-figures/2014?asOf=yesterday', 400],
      ['/nav-links?date=not-a-date', 400],
    ] as [string, number][]) {
      for (const inm of [undefined, '*']) {
        const res = await get(url, { ...auth, ...(inm ? { 'if-none-match': inm } : {}) });
        expect([url, res.statusCode]).toEqual([url, status]);
        expect(res.headers.etag).toBeUndefined();
        expect(res.headers['cache-control']).toBeUndefined();
        expect(JSON.parse(res.body).statusCode).toBe(status);
      }
    }
  });

  it('answers HEAD with the headers GET gives (the same ETag and Cache-Control, no body), and 304 when If-None-Match matches', async () => {
    const auth = await t.auth('auditor', [], 'etag-head');
    for (const url of ['/counties/telemark', '/nav-links?date=2020-01-01']) {
      const full = await get(url, auth);
      expect(full.statusCode).toBe(200);
      const head = await rawGet(t.app.getHttpServer(), url, auth, 'HEAD');
      expect(head.statusCode).toBe(200);
      expect(head.rawPayload.length).toBe(0);
      expect(head.headers.etag).toBe(full.headers.etag);
      expect(head.headers['cache-control']).toBe('private, no-cache');
      expect(head.headers['content-length']).toBe(String(full.rawPayload.length));
      const unchanged = await rawGet(t.app.getHttpServer(), url, { ...auth, 'if-none-match': full.headers.etag as string }, 'HEAD');
      expect(unchanged.statusCode).toBe(304);
      expect(unchanged.rawPayload.length).toBe(0);
      expect(unchanged.headers.etag).toBe(full.headers.etag);
      expect(unchanged.headers['content-type']).toBeUndefined();
      const stale = await rawGet(t.app.getHttpServer(), url, { ...auth, 'if-none-match': 'W/"stale"' }, 'HEAD');
      expect(stale.statusCode).toBe(200);
    }
  });

  it('leaves writes alone: a POST carries no ETag even with If-None-Match', async () => {
    const admin = await t.auth('admin');
    const res = await t.http().post('/centres').set(admin).set('If-None-Match', '*').send(CENTRE('kc-etag-3'));
    expect(res.status).toBe(201);
    expect(res.headers.etag).toBeUndefined();
  });
});
