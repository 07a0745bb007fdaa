import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TokenService } from '../../apps/api/src/auth/token.service';
import { answerCacheOf } from '../../apps/api/src/http/answer-cache';
import { memoOf } from '../../apps/api/src/http/bounded-memo';
import { RateLimiter } from '../../apps/api/src/http/rate-limit';
import { AuditController } from '../../apps/api/src/audit/audit.controller';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { memo, memoPiece } from '../../libs/projections/src/funding/memo';
import { SignJWT } from 'jose';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

/**
 * Session twenty, adversarial review of one property: a server in service for months does not grow
 * without bound. Every long-lived cache and map is driven with many distinct inputs, through the real
 * HTTP app where it can be, and its size is read through the object itself (never process memory).
 *
 * Bounds found in the code (the checks below hold each one):
 * - AnswerCache.entries (apps/api/src/http/answer-cache.ts): LEDGER_ANSWER_CACHE_MB bytes, LRU; emptied when the views move.
 * - memoOf (apps/api/src/http/bounded-memo.ts; Accept checks, Accept-Encoding, a token's exp): 1,000 arguments, then cleared.
 * - TokenService.verified (apps/api/src/auth/token.service.ts): 10,000 tokens, oldest dropped.
 * - RateLimiter.windows (apps/api/src/http/rate-limit.ts): the buckets seen in the last minute; stale ones pruned
 *   when a new bucket arrives at 10,000 or more.
 * - ProjectionEngine.asOfCache: asOfCacheSize (1) positions, each with at most one entry per view; ProjectionEngine.waiters: removed when their wait times out.
 * - SqliteEventStore.streamCache: 4,096 streams of at most 64 events; tail: at most 4,096 events; paged statements:
 *   one per (shape, page size), page sizes bounded by the routes' `limit` (at most 500).
 * - AuditController.running: one walk per distinct (digest, position) in flight, removed when it ends.
 * - memo (libs/projections/src/funding/memo.ts): 256 answers per view revision; memoPiece: 100,000 pieces per view.
 */

jest.setTimeout(60_000);

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

const listening = async (server: Server): Promise<number> => {
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

/** Many requests over a few kept-alive sockets (one client, as a load generator would send them). */
const drive = async (server: Server, requests: { path: string; headers?: Record<string, string>; method?: string; body?: string }[], concurrency = 8): Promise<Answer[]> => {
  const port = await listening(server);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const out: Answer[] = new Array(requests.length);
  let next = 0;
  const one = (i: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const r = requests[i];
      const body = r.body === undefined ? undefined : Buffer.from(r.body);
      const headers = { ...(r.headers ?? {}), ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) };
      const req = httpRequest({ host: '127.0.0.1', port, path: r.path, method: r.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          out[i] = { status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') };
          resolve();
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < requests.length) await one(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return out;
};

/** A GET whose client closes its socket after `afterMs`, before any answer (resolves when closed). */
const abortedGet = async (server: Server, path: string, headers: Record<string, string>, afterMs: number): Promise<void> => {
  const port = await listening(server);
  await new Promise<void>((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: false });
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, afterMs);
  });
};

const statuses = (answers: Answer[]): Record<number, number> => answers.reduce<Record<number, number>>((m, a) => ((m[a.status] = (m[a.status] ?? 0) + 1), m), {});

const NO_RATE_LIMIT = { LEDGER_RATE_LIMIT_PER_MINUTE: '100000000' };

describe('tokens: many distinct subs and exps (TokenService.verified, the answer cache, memoOf)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { ...NO_RATE_LIMIT, LEDGER_ANSWER_CACHE_MB: '1' } });
  });
  afterAll(() => t?.close());

  it('10,300 distinct tokens (distinct sub, distinct exp) read a cached route: the verification memo stays at its 10,000 and the answer cache within its MiB', async () => {
    const service = t.app.get(TokenService);
    const verified = (service as any).verified as Map<string, unknown>;
    const max = (TokenService as any).VERIFIED_MAX as number;
    expect(max).toBe(10_000);
    const n = max + 300;
    const tokens: string[] = [];
    for (let i = 0; i < n; i++) tokens.push(await t.tokens.issue({ sub: `user-${i}`, name: `U ${i}`, roles: ['auditor'], counties: [] }, 3600 + i));
    const answers = await drive(t.app.getHttpServer(), tokens.map((tok) => ({ path: '/counties', headers: { authorization: `Bearer ${tok}` } })));
    expect(statuses(answers)).toEqual({ 200: n });
    expect(verified.size).toBeLessThanOrEqual(max);
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    expect(cache.size).toBeGreaterThan(0);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(cache.maxBytes).toBe(1024 * 1024);
  }, 120_000);

  it('2,000 refused tokens (1,000 forged, 500 expired, 500 valid for longer than allowed; distinct subs and exps): none is remembered', async () => {
    const verified = (t.app.get(TokenService) as any).verified as Map<string, unknown>;
    const before = verified.size;
    const good = await t.tokens.issue({ sub: 'someone', name: 'S', roles: ['auditor'], counties: [] }, 3600);
    const [h, , sig] = good.split('.');
    const forged = Array.from({ length: 1_000 }, (_, i) => `${h}.${Buffer.from(JSON.stringify({ sub: `forged-${i}`, roles: ['admin'], exp: Math.floor(Date.now() / 1000) + 600 + i })).toString('base64url')}.${sig}`);
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const expired: string[] = [];
    for (let i = 0; i < 500; i++) expired.push(await new SignJWT({ roles: ['auditor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject(`gone-${i}`).setIssuedAt(now - 7200).setExpirationTime(now - 60 - i).sign(key));
    const tooLong: string[] = [];
    for (let i = 0; i < 500; i++) tooLong.push(await new SignJWT({ roles: ['auditor'] }).setProtectedHeader({ alg: 'HS256' }).setSubject(`long-${i}`).setIssuedAt(now).setExpirationTime(now + 400 * 3600 + i).sign(key));
    const answers = await drive(t.app.getHttpServer(), [...forged, ...expired, ...tooLong].map((tok) => ({ path: '/counties', headers: { authorization: `Bearer ${tok}` } })));
    expect(Object.keys(statuses(answers))).toEqual(['401']);
    expect(verified.size).toBe(before);
  }, 60_000);
});

describe('read routes: distinct query strings and Accept headers (AnswerCache, memoOf)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { ...NO_RATE_LIMIT, LEDGER_ANSWER_CACHE_MB: '1' } });
  });
  afterAll(() => t?.close());

  it('4,000 cache-busting query strings and 1,500 distinct Accept values on cached routes: the answer cache holds at most its MiB', async () => {
    const auth = await t.auth('auditor');
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    const server = t.app.getHttpServer();
    const busters = Array.from({ length: 4_000 }, (_, i) => ({ path: `/counties?cb=${i}-${'x'.repeat(i % 200)}`, headers: auth }));
    const accepts = Array.from({ length: 1_500 }, (_, i) => ({ path: '/key-figures/2014', headers: { ...auth, accept: `application/json;q=0.${(i % 9) + 1}, text/x-${i};q=0.1` } }));
    const answers = await drive(server, [...busters, ...accepts]);
    expect(statuses(answers)).toEqual({ 200: busters.length + accepts.length });
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    // Many more answers were stored than fit: the cache dropped the least recently used.
    expect(cache.size).toBeGreaterThan(10);
    expect(cache.size).toBeLessThan(busters.length + accepts.length);
    // A write moves the views: the next read at the new position empties the cache.
    const admin = await t.auth('admin');
    const w = await t.http().post('/parties').set(admin).send({ partyId: 'p-reset', name: 'Reset party', kind: 'other', countyId: null });
    expect(w.status).toBe(201);
    const after = await drive(server, [{ path: '/counties?cb=after-write', headers: auth }]);
    expect(after[0].status).toBe(200);
    expect(cache.size).toBe(1);
  }, 60_000);

  it('memoOf (the Accept, Accept-Encoding and token-exp memos) forgets once 1,000 distinct arguments were seen', () => {
    let calls = 0;
    const f = memoOf((s: string) => (calls++, s.length));
    for (let i = 0; i < 1_500; i++) f(`accept-${i}`);
    expect(calls).toBe(1_500);
    f('accept-0'); // seen, but the memo was emptied when it reached 1,000: computed again
    expect(calls).toBe(1_501);
    f('accept-1499'); // seen after the clearing: still remembered
    expect(calls).toBe(1_501);
  });
});

describe('distinct client addresses behind a trusted proxy (RateLimiter.windows)', () => {
  let t: TestApp;
  let hit: jest.SpyInstance;
  /** The app's own limiter (a local of createApp): the `this` of its hits. */
  let limiter: RateLimiter;
  beforeAll(async () => {
    hit = jest.spyOn(RateLimiter.prototype, 'hit');
    t = await startTestApp({ env: { ...NO_RATE_LIMIT, LEDGER_TRUST_PROXY: 'loopback' } });
    await drive(t.app.getHttpServer(), [{ path: '/nowhere', headers: { 'x-forwarded-for': '192.0.2.1' } }]);
    limiter = hit.mock.contexts[hit.mock.contexts.length - 1] as RateLimiter;
    expect(limiter.size).toBe(1);
  });
  afterAll(async () => {
    hit.mockRestore();
    await t?.close();
  });

  it('10,500 forwarded clients within a minute: one window each; a minute later the next new client prunes them all', async () => {
    const server = t.app.getHttpServer();
    const auth = await t.auth('auditor');
    // IPv4 clients, and IPv6 clients of 500 /64s with 4 addresses each (one bucket per /64).
    const v4 = Array.from({ length: 10_000 }, (_, i) => `198.${18 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`);
    const v6 = Array.from({ length: 2_000 }, (_, i) => `2001:db8:${(i >> 2).toString(16)}:1::${(i & 3) + 1}`);
    const answers = await drive(server, [...v4, ...v6].map((a) => ({ path: '/counties', headers: { ...auth, 'x-forwarded-for': a } })));
    expect(statuses(answers)).toEqual({ 200: 12_000 });
    expect(limiter.size).toBe(1 + 10_500);
    // A minute on (the limiter's own clock), one new client: every stale window goes.
    const now = (limiter as any).now as () => number;
    (limiter as any).now = () => now() + 61_000;
    const later = await drive(server, [{ path: '/counties', headers: { ...auth, 'x-forwarded-for': '203.0.113.77' } }]);
    expect(later[0].status).toBe(200);
    expect(limiter.size).toBe(1);
  }, 90_000);
});

describe('the projection engine: distinct asOf instants and atPositions, reads that wait and time out (asOfCache, waiters)', () => {
  let t: TestApp;
  let engine: ProjectionEngine;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: { ...NO_RATE_LIMIT, LEDGER_ANSWER_CACHE_MB: '1' } });
    engine = t.app.get(ProjectionEngine);
    auth = await t.auth('auditor');
  });
  afterAll(() => t?.close());

  it('600 distinct asOf instants and every atPosition, eight at a time: at most asOfCacheSize as-of views are kept', async () => {
    const events = await t.store.readAll({ after: 0, maxCount: 1000 });
    expect(events.length).toBeGreaterThanOrEqual(19);
    const first = Date.parse(events[0].recordedAt);
    const last = Date.parse(events[events.length - 1].recordedAt);
    // Instants spread over the ledger's recorded span (every position, and many instants per position), and a few before and after it.
    const instants = Array.from({ length: 600 }, (_, i) => new Date(first - 50 + Math.floor(((last - first + 100) * i) / 599)).toISOString());
    const asOf = instants.flatMap((at, i) => [
      { path: `/counties?asOf=${encodeURIComponent(at)}`, headers: auth },
      ...(i % 3 === 0 ? [{ path: `/key-figures/2014?asOf=${encodeURIComponent(at)}`, headers: auth }] : []),
    ]);
    const atPosition = Array.from({ length: events.length + 1 }, (_, p) => ({ path: `/grant-schemes/2014/eligibility?atPosition=${p}`, headers: auth }));
    const answers = await drive(t.app.getHttpServer(), [...asOf, ...atPosition, ...asOf.slice(0, 50)]);
    // (no scheme for 2014 is published: the eligibility answers are 404, after the view at that position was folded)
    expect(Object.keys(statuses(answers)).sort()).toEqual(['200', '404']);
    // Kept by position: at most asOfCacheSize positions, each with at most one entry per view.
    const kept = (engine as any).asOfCache as Map<number, Map<string, unknown>>;
    expect(kept.size).toBeLessThanOrEqual((engine as any).asOfCacheSize);
    for (const views of kept.values()) expect(views.size).toBeLessThanOrEqual(engine.projections.length);
    expect((engine as any).asOfCacheSize).toBe(1);
  }, 60_000);

  it('60 reads waiting for a position beyond the head (half of them closed by the client mid-wait): every wait is let go after its timeout', async () => {
    const server = t.app.getHttpServer();
    const head = await t.store.headPosition();
    const waiters = () => ((engine as any).waiters as unknown[]).length;
    const waiting = Array.from({ length: 30 }, (_, i) => ({ path: `/counties?w=${i}`, headers: { ...auth, 'x-ledger-position': String(head + 1_000 + i) } }));
    const answered = drive(server, waiting, 30);
    const aborted = Promise.all(Array.from({ length: 30 }, (_, i) => abortedGet(server, `/centres?w=${i}`, { ...auth, 'x-ledger-position': String(head + 5_000 + i) }, 300)));
    await aborted;
    // While they wait: one entry per read in flight, no more.
    expect(waiters()).toBeGreaterThan(0);
    expect(waiters()).toBeLessThanOrEqual(60);
    const answers = await answered;
    expect(statuses(answers)).toEqual({ 503: 30 });
    // The aborted reads' waits end with their own timeouts (started at the same moment).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(waiters()).toBe(0);
  }, 30_000);
});

describe('a SQLite ledger: unknown ids, Idempotency-Keys and page sizes (streamCache, tail, paged statements, answer cache)', () => {
  let t: TestApp;
  let dir: string;
  let store: SqliteEventStore;
  let kari: Record<string, string>;
  let admin: Record<string, string>;
  let auditor: Record<string, string>;
  const s = () => store as any;
  const grant = (over: Record<string, unknown> = {}) => ({ fiscalYear: 2014, partyId: 'tm-fk', decidedOn: '2014-01-10', amount: '1000.00', ...over });
  const post = (path: string, auth: Record<string, string>, body: object, key?: string) => ({ path, method: 'POST', headers: { ...auth, ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-bounded-'));
    store = new SqliteEventStore({ path: join(dir, 'ledger.sqlite') });
    t = await startTestApp({ store, seed: true, env: { ...NO_RATE_LIMIT, LEDGER_ANSWER_CACHE_MB: '4' } });
    kari = await t.auth('finance-officer', ['telemark'], 'kari');
    admin = await t.auth('admin', [], 'root');
    auditor = await t.auth('auditor', [], 'revisor');
    const setup = await drive(
      t.app.getHttpServer(),
      [
        post('/centres', kari, { centreId: 'kc-tm', countyId: 'telemark', name: 'Karrieresenteret Telemark', municipality: 'Skien', openedOn: '2010-01-01' }),
        post('/parties', kari, { partyId: 'tm-fk', name: 'Telemark fylkeskommune', kind: 'county-authority', countyId: 'telemark' }),
        post('/boards', kari, { boardId: 'tm-board', countyId: 'telemark', centreIds: ['kc-tm'], name: 'Styret', establishedOn: '2012-01-01' }),
      ],
      1,
    );
    expect(setup.map((a) => a.status)).toEqual([201, 201, 201]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('2,400 requests naming unknown ids (404s with "did you mean" hints, refused writes): no stream, statement or answer is kept per id', async () => {
    const server = t.app.getHttpServer();
    // Warm every route once, so its own statements and the streams it always reads are in place.
    const round = (i: number) => [
      { path: `/counties/nope-${i}`, headers: auditor },
      { path: `/counties/TELEMARK${i % 2 ? '' : '-x' + i}`, headers: auditor },
      { path: `/centres/nope-${i}`, headers: auditor },
      { path: `/boards/nope-${i}`, headers: auditor },
      { path: `/audit/streams/centre-nope-${i}`, headers: auditor },
      { path: `/audit/events?type=CentreRegisterd${i}`, headers: auditor },
      post(`/centres/nope-${i}/funding/operating-grants`, admin, grant(), `k-unknown-${i}`),
      post('/parties', admin, { partyId: `p-${i}`, name: `Part ${i}`, kind: 'county-authority', countyId: `Telemark${i}` }, `k-party-${i}`),
    ];
    const warm = await drive(server, [...round(-1), ...round(-2)], 1);
    expect(warm.every((a) => a.status >= 400 && a.status < 500)).toBe(true);
    const cache = answerCacheOf(t.app.getHttpAdapter().getInstance())!;
    const before = { streams: s().streamCache.size, statements: s().paged.size, answers: cache.size, head: await store.headPosition() };
    const answers = await drive(server, Array.from({ length: 300 }, (_, i) => round(i)).flat());
    const codes = statuses(answers);
    expect(Object.keys(codes).every((c) => Number(c) >= 400 && Number(c) < 500)).toBe(true);
    expect(codes[404]).toBeGreaterThanOrEqual(1_500);
    expect(await store.headPosition()).toBe(before.head); // nothing recorded
    expect(s().streamCache.size).toBe(before.streams);
    expect(s().paged.size).toBe(before.statements);
    expect(cache.size).toBe(before.answers);
  }, 60_000);

  it('Idempotency-Keys: 300 accepted, 300 replayed, 300 refused, 300 refused then retried corrected: only receipts on disk, nothing in memory per key', async () => {
    const server = t.app.getHttpServer();
    const url = '/centres/kc-tm/funding/operating-grants';
    const warm = await drive(server, [post(url, kari, grant({ amount: '1.00' }), 'warm-1'), post(url, kari, grant({ amount: '1.005' }), 'warm-2')], 1);
    expect(warm.map((a) => a.status)).toEqual([201, 400]);
    const before = { streams: s().streamCache.size, statements: s().paged.size, receipts: (s().db.prepare('SELECT COUNT(*) AS n FROM idempotency_receipts').get() as { n: number }).n };
    const accepted = Array.from({ length: 300 }, (_, i) => post(url, kari, grant({ amount: `${i + 2}.00` }), `acc-${i}`));
    const refused = Array.from({ length: 300 }, (_, i) => post(url, kari, grant({ amount: `${i}.001` }), `ref-${i}`));
    const first = await drive(server, [...accepted, ...refused, ...refused.map((r, i) => ({ ...r, headers: { ...r.headers, 'idempotency-key': `later-${i}` } }))]);
    expect(statuses(first)).toEqual({ 201: 300, 400: 600 });
    const second = await drive(server, [
      ...accepted, // replays: the first answers
      ...Array.from({ length: 300 }, (_, i) => post(url, kari, grant({ amount: `${i + 1_000}.00` }), `later-${i}`)), // refused first, now corrected
    ]);
    expect(statuses(second)).toEqual({ 201: 600 });
    expect(second.slice(0, 300).map((a) => a.body)).toEqual(first.slice(0, 300).map((a) => a.body));
    const receipts = (s().db.prepare('SELECT COUNT(*) AS n FROM idempotency_receipts').get() as { n: number }).n;
    expect(receipts - before.receipts).toBe(600);
    // In memory: the centre's and party's streams stay cached (each entry's own new stream is not), the tail stays within its bound.
    expect(s().streamCache.size - before.streams).toBeLessThanOrEqual(2);
    expect(s().tail.length).toBeLessThanOrEqual(4_096);
    expect(s().pending.length).toBe(0);
    expect(s().paged.size - before.statements).toBeLessThanOrEqual(2);
    expect(((t.app.get(ProjectionEngine) as any).waiters as unknown[]).length).toBe(0);
  }, 60_000);

  it('every audit page size (limit 1..500 on /audit/streams and /audit/events, twice): one prepared statement per page size, no more', async () => {
    const server = t.app.getHttpServer();
    const before = s().paged.size;
    const pass = () => drive(server, Array.from({ length: 500 }, (_, i) => [
      { path: `/audit/streams/centre-kc-tm?limit=${i + 1}`, headers: auditor },
      { path: `/audit/events?limit=${i + 1}&after=${i}`, headers: auditor },
    ]).flat());
    expect(statuses(await pass())).toEqual({ 200: 1_000 });
    const afterOne = s().paged.size;
    expect(statuses(await pass())).toEqual({ 200: 1_000 });
    expect(s().paged.size).toBe(afterOne);
    // Bounded by the routes' limit (1–500), two shapes: at most 1,000 statements (~9 KB of SQLite memory each).
    expect(afterOne - before).toBeLessThanOrEqual(1_000);
  }, 60_000);
});

describe('SqliteEventStore caches as a unit (streamCache, tail)', () => {
  it('4,300 short streams appended and read back: at most 4,096 streams and 4,096 tail events are kept', async () => {
    const store = new SqliteEventStore({ path: ':memory:' });
    try {
      const n = 4_300;
      for (let i = 0; i < n; i++) {
        await store.append(`s-${i}`, [{ eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'Noted', schemaVersion: 1, data: { i }, metadata: { actorId: 'a', actingRole: 'admin', correlationId: 'c', causationId: null } } as any], 'no_stream');
        expect((await store.readStream(`s-${i}`)).length).toBe(1);
      }
      const s = store as any;
      expect(s.streamCache.size).toBeLessThanOrEqual(4_096);
      expect(s.streamCache.size).toBeGreaterThan(4_000);
      expect(s.tail.length).toBeLessThanOrEqual(4_096);
      // A missing stream is never cached.
      for (let i = 0; i < 500; i++) expect(await store.readStream(`missing-${i}`)).toEqual([]);
      expect([...s.streamCache.keys()].some((k: string) => k.startsWith('missing-'))).toBe(false);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('other long-lived maps (AuditController.running, funding memo and memoPiece)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true, env: NO_RATE_LIMIT });
  });
  afterAll(() => t?.close());

  it('40 verifications at once with distinct digests: one walk each while they run, none left once answered', async () => {
    const auditor = await t.auth('auditor');
    const head = await t.store.headPosition();
    const running = (t.app.get(AuditController) as any).running as Map<string, unknown>;
    const answers = await drive(t.app.getHttpServer(), Array.from({ length: 40 }, (_, i) => ({ path: `/audit/verify?digest=${i.toString(16).padStart(64, '0')}&position=${1 + (i % head)}`, headers: auditor })), 40);
    expect(statuses(answers)).toEqual({ 200: 40 });
    expect(running.size).toBe(0);
  }, 30_000);

  it('memo keeps at most 256 answers per view revision; memoPiece at most 100,000 pieces per view', () => {
    const view = { rev: 1 };
    let calls = 0;
    for (let i = 0; i < 300; i++) memo(view, `key-figures:2014:${i}`, () => ++calls);
    memo(view, 'key-figures:2014:0', () => ++calls); // forgotten when the 257th came: computed again
    expect(calls).toBe(301);
    memo(view, 'key-figures:2014:299', () => ++calls);
    expect(calls).toBe(301);
    let pieces = 0;
    const other = {};
    for (let i = 0; i < 100_100; i++) memoPiece(other, `kf:c-${i}:2014`, 0, () => ++pieces);
    memoPiece(other, 'kf:c-0:2014', 0, () => ++pieces);
    expect(pieces).toBe(100_101);
  });
});

/**
 * The secondary check: process memory, in a child run with --expose-gc (the real app on a memory store,
 * rounds of 1,500 distinct requests of every kind above: cache busters, Accept values, asOf instants,
 * atPositions, unknown ids, misspelt types, refused keyed writes, unknown routes, reads closed by the
 * client at once), the heap after gc() per round. Every structure reachable by these requests is bounded
 * and saturates in the first rounds, so the heap must level off; the margin is generous (a leak of about
 * 500 bytes a request would pass it: this is a backstop for what the size checks cannot see).
 */
const HEAP_CHILD = `// Child run (node --expose-gc -r test/helpers/swc-register.js): the real app, rounds of distinct requests, heap after gc per round.
const ROOT = process.env.ROOT;
require(require.resolve('reflect-metadata', { paths: [ROOT] }));
const http = require('node:http');
const { createApp } = require(\`\${ROOT}/apps/api/src/bootstrap.ts\`);
const { loadConfig } = require(\`\${ROOT}/apps/api/src/config.ts\`);
const { TokenService } = require(\`\${ROOT}/apps/api/src/auth/token.service.ts\`);
const { MemoryEventStore } = require(\`\${ROOT}/libs/event-store/src/memory-event-store.ts\`);
const { COUNTIES_2014 } = require(\`\${ROOT}/libs/application/src/seed/counties-2014.ts\`);

const main = async () => {
  const rounds = Number(process.env.ROUNDS ?? 8);
  const perRound = Number(process.env.PER_ROUND ?? 1500);
  const config = loadConfig({ LEDGER_STORE: 'memory', LEDGER_JWT_SECRET: 'test-secret-of-at-least-32-bytes!', LEDGER_JWT_MAX_HOURS: '168', LEDGER_RATE_LIMIT_PER_MINUTE: '100000000', LEDGER_ANSWER_CACHE_MB: '1', LEDGER_TRUST_PROXY: 'loopback' });
  const app = await createApp(config, new MemoryEventStore());
  const server = app.getHttpServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const tokens = new TokenService(config);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const send = (r) => new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const headers = { ...r.headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}) };
    const req = http.request({ host: '127.0.0.1', port, path: r.path, method: r.method ?? 'GET', headers, agent: r.abortAfterMs ? false : agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    if (r.abortAfterMs) setTimeout(() => { req.destroy(); resolve(-1); }, r.abortAfterMs);
    req.end(body);
  });
  const drive = async (list, concurrency = 8) => {
    let next = 0;
    const codes = {};
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < list.length) { const c = await send(list[next++]); codes[c] = (codes[c] ?? 0) + 1; } }));
    return codes;
  };
  const admin = \`Bearer \${await tokens.issue({ sub: 'seed', name: 'Seed', roles: ['admin'], counties: [] })}\`;
  for (const c of COUNTIES_2014) await send({ path: '/counties', method: 'POST', headers: { authorization: admin }, body: JSON.stringify(c) });
  // A fixed pool of tokens and of client addresses (their own maps are checked above, with distinct ones): 200 readers, 20 finance officers, 250 addresses.
  const readers = [];
  for (let i = 0; i < 200; i++) readers.push(\`Bearer \${await tokens.issue({ sub: \`reader-\${i}\`, name: 'R', roles: ['auditor'], counties: [] }, 3600 + i)}\`);
  const officers = [];
  for (let i = 0; i < 20; i++) officers.push(\`Bearer \${await tokens.issue({ sub: \`officer-\${i}\`, name: 'O', roles: ['finance-officer'], counties: ['telemark'] }, 3600 + i)}\`);
  const events = await app.get(require(\`\${ROOT}/libs/application/src/projection-engine.ts\`).ProjectionEngine).headPosition();
  const heaps = [];
  let serial = 0;
  for (let round = 0; round < rounds; round++) {
    const list = [];
    for (let i = 0; i < perRound; i++) {
      const n = serial++;
      const auth = readers[n % readers.length];
      const h = { authorization: auth, 'x-forwarded-for': \`198.51.100.\${n % 250}\` };
      switch (n % 10) {
        case 0: list.push({ path: \`/counties?cb=\${n}\`, headers: h }); break;
        case 1: list.push({ path: '/key-figures/2014', headers: { ...h, accept: \`application/json, text/x-\${n};q=0.1\` } }); break;
        case 2: list.push({ path: \`/counties?asOf=\${encodeURIComponent(new Date(Date.now() - (n % 5000) * 1000).toISOString())}\`, headers: h }); break;
        case 3: list.push({ path: \`/counties/nope-\${n}\`, headers: h }); break;
        case 4: list.push({ path: \`/audit/events?type=CentreRegisterd\${n}\`, headers: h }); break;
        case 5: list.push({ path: \`/grant-schemes/2014/eligibility?atPosition=\${n % (events + 1)}\`, headers: h }); break;
        case 6: list.push({ path: \`/centres/nope-\${n}/funding/operating-grants\`, method: 'POST', headers: { authorization: officers[n % officers.length], 'idempotency-key': \`k-\${n}\`, 'x-forwarded-for': h['x-forwarded-for'] }, body: JSON.stringify({ fiscalYear: 2014, partyId: 'p', decidedOn: '2014-01-10', amount: '1.001' }) }); break;
        case 7: list.push({ path: \`/centres?cb=\${n}\`, headers: { ...h, 'x-ledger-position': String(events) } }); break;
        case 8: list.push({ path: \`/no/such/route/\${n}\`, headers: h }); break;
        default: list.push({ path: \`/counties?slow=\${n}\`, headers: h, abortAfterMs: 1 }); break;
      }
    }
    const codes = await drive(list);
    await new Promise((r) => setTimeout(r, 200));
    for (let k = 0; k < 3; k++) global.gc();
    heaps.push({ round, heapUsed: process.memoryUsage().heapUsed, codes });
  }
  agent.destroy();
  await app.close();
  process.stdout.write(JSON.stringify(heaps) + '\\n');
};
main().catch((e) => { console.error(e); process.exit(1); });
`;

describe('process memory as a backstop (heap after gc in a child run)', () => {
  it('8 rounds of 1,500 distinct requests: the heap levels off (under 6 MB between round 2 and round 8)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-heap-'));
    const root = resolve(__dirname, '../..');
    try {
      const script = join(dir, 'child.js');
      writeFileSync(script, HEAP_CHILD);
      const out = await new Promise<string>((done, fail) =>
        execFile(process.execPath, ['--expose-gc', '-r', join(root, 'test/helpers/swc-register.js'), script], { cwd: root, env: { ...process.env, ROOT: root, ROUNDS: '8', PER_ROUND: '1500' }, timeout: 90_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) =>
          err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout),
        ),
      );
      const heaps = JSON.parse(out.trim().split('\n').pop()!) as { round: number; heapUsed: number; codes: Record<string, number> }[];
      expect(heaps).toHaveLength(8);
      // Every round was answered as the round before (nothing started failing as memory filled).
      for (const h of heaps) expect(h.codes).toEqual(heaps[0].codes);
      const growth = heaps[7].heapUsed - heaps[1].heapUsed;
      expect(growth).toBeLessThan(6 * 1024 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
