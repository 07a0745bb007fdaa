import { gunzipSync } from 'node:zlib';
import { etagOf } from './etag';
import { AnswerCache, CACHED_ANSWER, CachedAnswerEntry, keepOutOfAnswerCache, rawAnswerOf, registerAnswerCache, tokenExp, VERIFIED_TTL_MS } from './answer-cache';
import { GZIP_MIN_BYTES } from './gzip';

const entry = (position: number, size: number, fill = 'x'): CachedAnswerEntry => ({
  position,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: Buffer.from(fill.repeat(size)),
  length: size,
  identityWanted: true,
  inflating: null,
  etag: 'W/"t"',
  exp: 4_000_000_000,
  verifiedUntil: Number.MAX_SAFE_INTEGER,
  gzipped: null,
  gzipping: null,
});

describe('AnswerCache (bounded, one position at a time)', () => {
  it('never holds more bytes than its limit and drops the least recently used first', () => {
    const cache = new AnswerCache(10_000);
    cache.get('a', 1); // at position 1
    for (const k of ['a', 'b', 'c']) expect(cache.set(k, entry(1, 3_000))).toBe(true);
    expect(cache.size).toBe(3);
    expect(cache.get('a', 1)).toBeDefined(); // a is now the most recently used; b the least
    expect(cache.set('d', entry(1, 3_000))).toBe(true);
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(['a', 'b', 'c', 'd'].filter((k) => cache.has(k))).toEqual(['a', 'c', 'd']);
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, entry(1, 100 + i * 37));
      expect(cache.bytes).toBeLessThanOrEqual(10_000);
    }
    expect(cache.bytes).toBeGreaterThan(5_000);
  });

  it('refuses an entry larger than the whole cache, and stores nothing when the limit is 0', () => {
    const cache = new AnswerCache(1_000);
    expect(cache.set('big', entry(1, 2_000))).toBe(false);
    expect(cache.size).toBe(0);
    const off = new AnswerCache(0);
    expect(off.enabled).toBe(false);
    expect(off.set('a', entry(1, 10))).toBe(false);
    expect(off.get('a', 1)).toBeUndefined();
  });

  it('counts a gzipped body once it arrives, within the bound', () => {
    const cache = new AnswerCache(7_000);
    const a = entry(1, 3_000);
    const b = entry(1, 3_000);
    cache.set('a', a);
    cache.set('b', b);
    const before = cache.bytes;
    a.gzipped = Buffer.alloc(500);
    cache.recount('a', a);
    expect(cache.bytes).toBe(before + 500);
    b.gzipped = Buffer.alloc(2_000);
    cache.recount('b', b);
    expect(cache.bytes).toBeLessThanOrEqual(7_000);
    expect(cache.has('a')).toBe(false); // least recently used went
  });

  it('answers only at the position an entry was computed at; a newer position empties it, an older entry is refused', () => {
    const cache = new AnswerCache(1_000_000);
    cache.set('a', entry(5, 10));
    expect(cache.get('a', 5)).toBeDefined();
    expect(cache.get('a', 6)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(cache.set('b', entry(5, 10))).toBe(false);
    expect(cache.set('c', entry(6, 10))).toBe(true);
  });
});

describe('tokenExp', () => {
  it('reads exp from a JWT payload, null for anything else', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'a', exp: 1_900_000_000 })).toString('base64url');
    expect(tokenExp(`Bearer h.${payload}.s`)).toBe(1_900_000_000);
    expect(tokenExp(`bearer h.${payload}.s`)).toBe(1_900_000_000); // the scheme is case-insensitive
    expect(tokenExp('Bearer nonsense')).toBeNull();
    expect(tokenExp(`Basic h.${payload}.s`)).toBeNull();
    expect(tokenExp(`Bearer h.${Buffer.from('{"exp":"soon"}').toString('base64url')}.s`)).toBeNull();
  });
});

/** The hooks against a fake Fastify: the rules that decide whether an answer is stored and served. */
describe('registerAnswerCache hooks', () => {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const auth = `Bearer h.${Buffer.from(JSON.stringify({ sub: 'a', exp })).toString('base64url')}.s`;
  type Hook = (...args: any[]) => void;
  const setup = (maxBytes = 1_000_000, trustedUntil?: (authorization: string) => number | undefined) => {
    const hooks: Record<string, Hook> = {};
    const views = { position: 10, upToDate: true };
    let now = 1_000_000;
    const host = { addHook: (name: string, fn: Hook) => (hooks[name] = fn) };
    const cache = registerAnswerCache(host as any, views, { maxBytes, now: () => now, trustedUntil });
    const raw = rawAnswerOf(host)!;
    const reply = () => {
      const h: Record<string, unknown> = { 'x-ratelimit-remaining': 7 };
      const r = {
        statusCode: 200,
        sent: undefined as unknown,
        code: (s: number) => ((r.statusCode = s), r),
        headers: h,
        header: (k: string, v: unknown) => ((h[k.toLowerCase()] = v), r),
        headers_: h,
        getHeader: (k: string) => h[k],
        getHeaders: () => ({ ...h }),
        removeHeader: (k: string) => (delete h[k], r),
        send: (p: unknown) => ((r.sent = p), r),
      };
      return Object.assign(r, { headers: (vs: Record<string, unknown>) => (Object.assign(h, vs), r) });
    };
    const request = (headers: Record<string, string> = {}, actorTrustedUntil?: number, url = '/x?y=1', method = 'GET') => ({ method, url, headers: { authorization: auth, ...headers }, routeOptions: { config: { [CACHED_ANSWER]: true } }, actor: { id: 'a' }, actorTrustedUntil });
    /** One request through both hooks; the handler's answer is `body` (unless served from the cache). */
    const run = async (body: string, opts: { headers?: Record<string, string>; url?: string; method?: 'GET' | 'HEAD'; during?: () => void; keepOut?: boolean; status?: number; trustedFor?: number; replyHeaders?: Record<string, string> } = {}) => {
      const req = request(opts.headers, opts.trustedFor === undefined ? undefined : now + opts.trustedFor, opts.url, opts.method);
      const rep = reply();
      let passed = false;
      hooks.onRequest(req, rep, () => (passed = true));
      if (!passed) {
        for (let i = 0; i < 50 && rep.sent === undefined; i++) await new Promise((r) => setTimeout(r, 5));
        // Fastify runs the onSend hooks on what a hit sent, as on any answer.
        const sent = await new Promise<unknown>((resolve) => hooks.onSend(req, rep, rep.sent, (_e: unknown, p: unknown) => resolve(p)));
        return { hit: true, payload: sent as Buffer, headers: rep.headers_, status: rep.statusCode };
      }
      opts.during?.();
      if (opts.keepOut) keepOutOfAnswerCache(req);
      rep.statusCode = opts.status ?? 200;
      rep.header('content-type', 'application/json; charset=utf-8');
      for (const [k, v] of Object.entries(opts.replyHeaders ?? {})) rep.header(k, v);
      const payload = await new Promise<unknown>((resolve) => hooks.onSend(req, rep, body, (_e: unknown, p: unknown) => resolve(p)));
      return { hit: false, payload, headers: rep.headers_, status: rep.statusCode };
    };
    /** One request on the raw path: what it wrote, or null when it left the request to Fastify. */
    const runRaw = (headers: Record<string, string> = {}, head: () => unknown[] | null = () => ['x-security', 'on']) => {
      let written: { status: number; headers: unknown[]; body: unknown } | null = null;
      let status = 0;
      let list: unknown[] = [];
      const res = { writeHead: (s: number, h: unknown[]) => ((status = s), (list = h)), end: (body: unknown) => (written = { status, headers: list, body }) };
      const answered = raw({ method: 'GET', url: '/x?y=1', headers: { authorization: auth, ...headers } } as any, res as any, head as any);
      expect(answered).toBe(written !== null);
      return written as { status: number; headers: unknown[]; body: unknown } | null;
    };
    return { cache, views, run, runRaw, advance: (ms: number) => (now += ms), now: () => now };
  };

  it('stores a 200 answer and serves it again at the same position, with its own headers but not the per-request ones', async () => {
    const t = setup();
    expect((await t.run('{"a":1}')).hit).toBe(false);
    const again = await t.run('{"a":2}');
    expect(again.hit).toBe(true);
    expect(String(again.payload)).toBe('{"a":1}');
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(t.cache.size).toBe(1);
  });

  it('does not store an answer when the views moved while the handler ran', async () => {
    const t = setup();
    await t.run('{"a":1}', { during: () => (t.views.position = 11) });
    expect(t.cache.size).toBe(0);
    expect((await t.run('{"a":2}')).hit).toBe(false);
  });

  it('does not serve while the views are behind an acknowledged write, nor at a newer position', async () => {
    const t = setup();
    await t.run('{"a":1}');
    t.views.upToDate = false;
    expect((await t.run('{"a":2}')).hit).toBe(false);
    t.views.upToDate = true;
    t.views.position = 12;
    expect((await t.run('{"a":3}')).hit).toBe(false);
    expect(String((await t.run('{"a":4}')).payload)).toBe('{"a":3}');
  });

  it('stores only 200 answers', async () => {
    const t = setup();
    await t.run('{"statusCode":404}', { status: 404 });
    expect(t.cache.size).toBe(0);
  });

  it('goes through the guard again once the token expired or the verification is older than VERIFIED_TTL_MS', async () => {
    const t = setup();
    await t.run('{"a":1}');
    t.advance(VERIFIED_TTL_MS);
    expect((await t.run('{"a":2}')).hit).toBe(false);
    expect((await t.run('{"a":3}')).hit).toBe(true);
    t.advance(exp * 1000); // far beyond exp
    expect((await t.run('{"a":4}')).hit).toBe(false);
  });

  it('serves an answer no longer than the token service still trusts the verification the guard relied on', async () => {
    const t = setup();
    await t.run('{"a":1}', { trustedFor: 10_000 }); // the guard admitted a token verified 50 s earlier
    t.advance(9_999);
    expect((await t.run('{"a":2}')).hit).toBe(true);
    t.advance(1);
    expect((await t.run('{"a":3}', { trustedFor: VERIFIED_TTL_MS })).hit).toBe(false); // through the guard again
    t.advance(VERIFIED_TTL_MS - 1);
    expect((await t.run('{"a":4}')).hit).toBe(true); // never beyond VERIFIED_TTL_MS of its own either
  });

  it('serves a token\'s entries again once the token service verified the token anew (any request of it), never beyond that verification', async () => {
    // The token service as the guard leaves it: trusted until a time, per token; the entries are keyed by Authorization.
    const trust = new Map<string, number>();
    const asked: string[] = [];
    const t = setup(1_000_000, (authorization) => (asked.push(authorization), trust.get(authorization)));
    trust.set(auth, t.now() + VERIFIED_TTL_MS);
    for (const url of ['/a', '/b']) await t.run(`{"url":"${url}"}`, { url, trustedFor: VERIFIED_TTL_MS });
    t.advance(VERIFIED_TTL_MS); // both entries' trust lapsed, and the token service's with them
    expect((await t.run('{"x":1}', { url: '/a' })).hit).toBe(false); // through the guard, which verifies in full...
    expect(asked).toEqual([auth]);
    trust.set(auth, t.now() + VERIFIED_TTL_MS); // ...and the token service trusts the token again
    const b = await t.run('{"x":2}', { url: '/b' });
    expect(b.hit).toBe(true); // served under the new verification, not computed again
    expect(String(b.payload)).toBe('{"url":"/b"}');
    expect(t.runRaw()).toBeNull(); // (no entry for /x?y=1)
    t.advance(VERIFIED_TTL_MS - 1);
    expect((await t.run('{"x":3}', { url: '/b' })).hit).toBe(true);
    t.advance(1); // the new verification lapsed too, and was not renewed: the guard again
    expect((await t.run('{"x":4}', { url: '/b' })).hit).toBe(false);
    // A verification that ends sooner (the token service re-verifies on its own clock) bounds the entry too.
    let until = 0;
    const u = setup(1_000_000, () => until);
    await u.run('{"a":1}', { trustedFor: 1_000 });
    until = u.now() + 5_000;
    u.advance(1_000);
    expect((await u.run('{"a":2}')).hit).toBe(true);
    u.advance(3_999);
    expect((await u.run('{"a":3}')).hit).toBe(true);
    u.advance(1);
    expect((await u.run('{"a":4}')).hit).toBe(false);
    const never = setup(1_000_000, () => undefined);
    await never.run('{"a":1}', { trustedFor: 1_000 });
    never.advance(1_000);
    expect((await never.run('{"a":2}')).hit).toBe(false);
  });

  it('gzips bodies of GZIP_MIN_BYTES (8 KiB) and more for clients that accept it, once per entry, with Vary', async () => {
    const t = setup();
    const body = JSON.stringify({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    expect(body.length).toBeGreaterThanOrEqual(GZIP_MIN_BYTES);
    const first = await t.run(body, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(first.payload as Buffer).toString()).toBe(body);
    const hit = await t.run('other', { headers: { 'accept-encoding': 'gzip' } });
    expect(hit.hit).toBe(true);
    expect(hit.payload).toBe(first.payload); // the same compressed buffer
    expect(hit.headers.vary).toBe('Accept-Encoding');
    const plain = await t.run('other');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(String(plain.payload)).toBe(body);
    // A few KB (a funding mix) is sent as it is by default: compressing it costs more than it saves.
    const fewKb = JSON.stringify({ rows: Array.from({ length: 300 }, (_, i) => ({ i })) });
    expect(fewKb.length).toBeGreaterThan(1024);
    expect(fewKb.length).toBeLessThan(GZIP_MIN_BYTES);
    const mid = await setup().run(fewKb, { headers: { 'accept-encoding': 'gzip' } });
    expect(mid.headers['content-encoding']).toBeUndefined();
    expect(String(mid.payload)).toBe(fewKb);
    const small = setup();
    const s = await small.run('{"a":1}', { headers: { 'accept-encoding': 'gzip' } });
    expect(s.payload).toBe('{"a":1}');
    expect(s.headers.vary).toBeUndefined();
  });

  it('does not store an answer its handler kept out (a business date that defaulted to today), and computes it again next time', async () => {
    const t = setup();
    const first = await t.run('{"date":"2014-05-09"}', { keepOut: true });
    expect(first.hit).toBe(false);
    expect(first.headers.etag).toBeDefined(); // still tagged: a conditional GET works without the cache
    expect(t.cache.size).toBe(0);
    const again = await t.run('{"date":"2014-05-10"}', { keepOut: true });
    expect(again.hit).toBe(false);
    expect(String(again.payload)).toBe('{"date":"2014-05-10"}');
    // Outside a cached route (no state on the request) it does nothing.
    expect(() => keepOutOfAnswerCache({})).not.toThrow();
  });

  it('answers HEAD like GET: the same entry, gzip included (Fastify measures the body and drops it); a HEAD 304 keeps the 200\'s body for its length', async () => {
    const t = setup();
    const body = JSON.stringify({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    const gzip = { 'accept-encoding': 'gzip' };
    const head = await t.run(body, { headers: gzip, method: 'HEAD' });
    expect(head.hit).toBe(false);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(head.payload as Buffer).toString()).toBe(body);
    const get = await t.run('other', { headers: gzip });
    expect(get.hit).toBe(true); // the entry HEAD filled
    const headHit = await t.run('other', { headers: gzip, method: 'HEAD' });
    expect(headHit).toMatchObject({ hit: true, status: 200, payload: get.payload });
    expect(headHit.headers['content-encoding']).toBe('gzip');
    expect(headHit.headers.etag).toBe(get.headers.etag);
    const nm = await t.run('other', { headers: { ...gzip, 'if-none-match': String(get.headers.etag) }, method: 'HEAD' });
    expect(nm).toMatchObject({ hit: true, status: 304, payload: get.payload });
    expect(nm.headers['content-encoding']).toBeUndefined();
    const nmMiss = await setup().run(body, { headers: { 'if-none-match': String(get.headers.etag) }, method: 'HEAD' });
    expect(nmMiss.status).toBe(304);
    expect(String(nmMiss.payload)).toBe(body); // not null: Fastify's HEAD step fails on null
  });

  it('answers a hit on the raw path with the request\'s own headers, then the entry\'s, content length and encoding; leaves everything else to Fastify', async () => {
    const t = setup();
    expect(t.runRaw()).toBeNull(); // nothing stored yet
    await t.run('{"a":1}');
    const hit = t.runRaw();
    const tag = etagOf('{"a":1}');
    expect(hit).toEqual({ status: 200, headers: ['x-security', 'on', 'content-type', 'application/json; charset=utf-8', 'etag', tag, 'cache-control', 'private, no-cache', 'content-length', '7'], body: Buffer.from('{"a":1}') });
    expect(t.cache.rawHits).toBe(1);
    expect(t.runRaw({}, () => null)).toBeNull(); // rate-limited: Fastify answers 429
    expect(t.runRaw({ 'x-ledger-position': '10' })).toBeNull();
    expect(t.runRaw({ accept: 'text/csv' })).toBeNull(); // another key
    t.views.upToDate = false;
    expect(t.runRaw()).toBeNull();
    t.views.upToDate = true;
    t.advance(VERIFIED_TTL_MS);
    expect(t.runRaw()).toBeNull(); // the guard verifies the token again
    // A big body: gzipped once compressed, with content-encoding and Vary; while compressing, Fastify waits for it.
    const g = setup();
    const body = JSON.stringify({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    const first = await g.run(body, { headers: { 'accept-encoding': 'gzip' } });
    const zipped = g.runRaw({ 'accept-encoding': 'gzip' })!;
    expect(zipped.body).toBe(first.payload);
    expect(zipped.headers).toEqual(['x-security', 'on', 'content-type', 'application/json; charset=utf-8', 'vary', 'Accept-Encoding', 'etag', etagOf(body), 'cache-control', 'private, no-cache', 'content-encoding', 'gzip', 'content-length', String((first.payload as Buffer).length)]);
    // Only the gzipped body is kept (see the test below): a client without gzip goes the normal way, which inflates it once.
    expect(g.runRaw({ 'accept-encoding': 'identity' })).toBeNull();
    expect(String((await g.run('other', { headers: { 'accept-encoding': 'identity' } })).payload)).toBe(body);
    const plain = g.runRaw({ 'accept-encoding': 'identity' })!;
    expect(String(plain.body)).toBe(body);
    expect(plain.headers).toContain('vary');
    expect(plain.headers).not.toContain('content-encoding');
    expect(plain.headers.slice(-2)).toEqual(['content-length', String(Buffer.byteLength(body))]);
    const pending = setup();
    await pending.run(body); // stored, never compressed
    expect(pending.runRaw({ 'accept-encoding': 'gzip' })).toBeNull();
  });

  it('keeps only the gzipped body of an entry its gzip clients use, inflates it once for a client without gzip, and keeps both from then on', async () => {
    const body = JSON.stringify({ rows: Array.from({ length: 5000 }, (_, i) => ({ i, name: `centre ${i}` })) });
    const identityBytes = Buffer.byteLength(body);
    const key = `GET /x?y=1\u0000${auth}\u0000`;
    const t = setup();
    const first = await t.run(body, { headers: { 'accept-encoding': 'gzip' } });
    const zipped = first.payload as Buffer;
    expect(zipped.length).toBeLessThan(identityBytes / 4);
    const entry = t.cache.get(key, 10)!;
    expect(entry.body).toBeNull(); // let go once compressed
    expect(entry.length).toBe(identityBytes);
    expect(t.cache.bytes).toBeLessThan(zipped.length + 2_000); // counted without the identity body
    // gzip clients are served the compressed body, on both paths, without inflating it
    expect((await t.run('other', { headers: { 'accept-encoding': 'gzip' } })).payload).toBe(zipped);
    expect(t.runRaw({ 'accept-encoding': 'gzip' })!.body).toBe(zipped);
    expect(entry.body).toBeNull();
    // a client without gzip: inflated once (two at the same time share it), then kept and counted
    const [a, b] = await Promise.all([t.run('other'), t.run('other')]);
    expect(a.hit && b.hit).toBe(true);
    expect(String(a.payload)).toBe(body);
    expect(b.payload).toBe(a.payload);
    expect(entry.body).toBe(a.payload);
    expect(t.cache.bytes).toBeGreaterThan(identityBytes + zipped.length);
    expect((await t.run('other', { headers: { 'accept-encoding': 'gzip' } })).payload).toBe(zipped);
    // An entry filled for a client without gzip keeps its identity body when a gzip client has it compressed.
    const mixed = setup();
    await mixed.run(body);
    const zipped2 = (await mixed.run('other', { headers: { 'accept-encoding': 'gzip' } })).payload as Buffer;
    expect(gunzipSync(zipped2).toString()).toBe(body);
    const e2 = mixed.cache.get(key, 10)!;
    expect(String(e2.body)).toBe(body);
    expect(e2.gzipped).toBe(zipped2);
    // Filled by a gzip client's conditional GET (304: nothing compressed yet), the identity body goes once a hit compresses it.
    const cond = setup();
    expect((await cond.run(body, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etagOf(body) } })).status).toBe(304);
    const e3 = cond.cache.get(key, 10)!;
    expect(String(e3.body)).toBe(body);
    const z3 = (await cond.run('other', { headers: { 'accept-encoding': 'gzip' } })).payload as Buffer;
    expect(gunzipSync(z3).toString()).toBe(body);
    expect(e3.body).toBeNull();
    // With the bytes for one identity body and a few gzipped ones, the cache holds several answers compressed.
    const small = setup(identityBytes + 1_000);
    for (const url of ['/a', '/b', '/c']) await small.run(body, { headers: { 'accept-encoding': 'gzip' }, url });
    expect(small.cache.size).toBe(3);
    expect(small.cache.bytes).toBeLessThan(3 * (zipped.length + 2_000));
  });

  it('tags each answer with the weak ETag of its identity body and Cache-Control, stored with the entry (gzip or not)', async () => {
    const t = setup();
    const body = JSON.stringify({ rows: Array.from({ length: 1000 }, (_, i) => ({ i })) });
    const first = await t.run(body, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(first.headers.etag).toBe(etagOf(body));
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const hit = await t.run('other');
    expect(hit.hit).toBe(true);
    expect(hit.headers.etag).toBe(etagOf(body)); // the identity answer of the same body: the same tag
    const entry = t.cache.get(`GET /x?y=1\u0000${auth}\u0000`, 10)!;
    expect(entry.etag).toBe(etagOf(body));
    // A Cache-Control the route set is kept.
    const own = setup();
    const r = await own.run('{"a":1}', { replyHeaders: { 'cache-control': 'no-store' } });
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers.etag).toBe(etagOf('{"a":1}'));
  });

  it('answers 304 without a body when If-None-Match matches: on the computed answer (after storing it), on a hit and on the raw path; a hit never hashes', async () => {
    const t = setup();
    const tag = etagOf('{"a":1}');
    const computed = await t.run('{"a":1}', { headers: { 'if-none-match': tag } });
    expect(computed.hit).toBe(false);
    expect(computed.status).toBe(304);
    expect(computed.payload).toBeNull();
    expect(computed.headers.etag).toBe(tag);
    expect(computed.headers['content-type']).toBeUndefined();
    expect(t.cache.size).toBe(1); // the 200 it stands for was stored
    const hit = await t.run('{"a":2}', { headers: { 'if-none-match': `"other", ${tag.slice(2)}` } }); // strong form of the same tag: weak comparison matches
    expect(hit.hit).toBe(true);
    expect(hit.status).toBe(304);
    expect(hit.payload).toBeUndefined();
    expect(hit.headers.etag).toBe(tag);
    expect(hit.headers['cache-control']).toBe('private, no-cache');
    expect(hit.headers['content-type']).toBeUndefined();
    const stale = await t.run('{"a":2}', { headers: { 'if-none-match': 'W/"old"' } });
    expect(stale.status).toBe(200);
    expect(String(stale.payload)).toBe('{"a":1}');
    expect(t.runRaw({ 'if-none-match': '*' })).toEqual({ status: 304, headers: ['x-security', 'on', 'etag', tag, 'cache-control', 'private, no-cache'], body: undefined });
    expect(t.runRaw({ 'if-none-match': 'W/"old"' })!.status).toBe(200);
    expect(t.runRaw({ 'if-none-match': tag }, () => null)).toBeNull(); // rate-limited: Fastify answers 429
    // The tag compared on a hit is the stored one, not a hash of the body.
    (t.cache.get(`GET /x?y=1\u0000${auth}\u0000`, 10) as { etag: string }).etag = 'W/"stored"';
    expect(t.runRaw({ 'if-none-match': 'W/"stored"' })!.status).toBe(304);
    expect(t.runRaw({ 'if-none-match': tag })!.status).toBe(200);
    // Errors are neither tagged nor answered 304.
    const err = await setup().run('{"statusCode":404}', { status: 404, headers: { 'if-none-match': '*' } });
    expect(err.status).toBe(404);
    expect(err.headers.etag).toBeUndefined();
  });

  it('keys on the Authorization and Accept headers', async () => {
    const t = setup();
    await t.run('{"a":1}');
    expect((await t.run('a;b', { headers: { accept: 'text/csv' } })).hit).toBe(false);
    expect((await t.run('{"a":3}', { headers: { authorization: `${auth}x` } })).hit).toBe(false);
    expect(t.cache.size).toBe(3);
  });
});
