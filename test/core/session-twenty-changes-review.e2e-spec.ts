/**
 * Adversarial review of session twenty's commits (c6cac3c..HEAD): 69dc65e import on a hard-deleted
 * stream, dc1504b audit scan budget, ac5f5aa SQLite paged statements, 73a3994 as-of cache by position,
 * 8735ebd idempotency re-decide + EventStoreDB positionAt, 620eb60/e1fe0ea today, Accept, dropped keys,
 * required-number messages, blank goals, nullable optional fields in /docs-json.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';
import { prefersCsv } from '../../apps/api/src/http/content-negotiation';
import { todayInNorway, todayOf } from '../../apps/api/src/ledger/today';
import { stoppedAt } from '../../apps/cli/src/commands/import';
import { AuditReader, MAX_AUDIT_SCAN } from '../../libs/application/src/audit/audit-reader';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { MemorySnapshotStore } from '../../libs/application/src/snapshot-store';
import { keysDroppedByTransform, VALIDATOR_OPTIONS } from '../../libs/application/src/validation';
import { IdempotencyKeyTakenError, StreamDeletedOnNodeError } from '../../libs/event-store/src/errors';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { PAGED_STATEMENTS, SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { MissingPartError, Projection } from '../../libs/projections/src/projection';
import { startTestApp, TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

const meta = (actor = 'alice') => ({ actorId: actor, actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null });
const ev = (type: string, n: number, actor?: string) => ({ eventId: `e-${type}-${n}-${Math.random().toString(36).slice(2)}`, type, schemaVersion: 1, data: { n }, metadata: meta(actor) });
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

type Kind = 'memory' | 'sqlite' | 'esdb';
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A store of each kind with a clock the test moves. */
const storeOf = (kind: Kind, clock: () => Date, esdbOpts: { recordedAtWindowMs?: number } = {}): { store: EventStore; node?: FakeEsdbClient } => {
  if (kind === 'memory') return { store: new MemoryEventStore(clock) };
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'review20-'));
    dirs.push(dir);
    return { store: new SqliteEventStore({ path: join(dir, 'l.sqlite'), clock }) };
  }
  const node = new FakeEsdbClient();
  return { store: new EventStoreDbEventStore(node, clock, { recordedAtWindowMs: esdbOpts.recordedAtWindowMs }), node };
};

const KINDS: Kind[] = ['memory', 'sqlite', 'esdb'];

/** An event written to the stand-in node as another server's append would land: its recordedAt as given (taken before a slow append). */
let rawN = 0;
const rawAppend = (node: FakeEsdbClient, stream: string, recordedAtMs: number) =>
  node.appendToStream(stream, [{ id: randomUUID(), type: 'A', data: { n: ++rawN }, metadata: { ledger: { schemaVersion: 1, recordedAt: iso(recordedAtMs), prevHash: null, hash: `h${rawN}` }, meta: meta() } }], { expectedRevision: 'any' });

const allEvents = async (store: EventStore) => {
  const out = [];
  for (let after = 0; ; ) {
    const page = await store.readAll({ after, maxCount: 5_000, uncached: true });
    if (!page.length) return out;
    out.push(...page);
    after = page[page.length - 1].position;
  }
};

// ---------------------------------------------------------------------------------------------
describe('1. ledger import meeting a hard-deleted stream (69dc65e)', () => {
  it('stoppedAt tells a StreamDeletedOnNodeError as not applied, naming the line, the code and the stream', () => {
    const lines = stoppedAt('f.jsonl', { line: 4, command: 'RegisterCentre' }, new StreamDeletedOnNodeError('centre-x', 12), 3);
    const text = lines.join('\n');
    expect(text).toContain('line 4');
    expect(text).toContain('STORE.STREAM_DELETED');
    expect(text).toContain('centre-x');
    expect(text).not.toMatch(/unexpected error|disk/i);
  });
});

// ---------------------------------------------------------------------------------------------
describe('2. AuditReader.log: filtered pages, limit, nextAfter/scannedTo continuity (dc1504b)', () => {
  /** Follows nextAfter from 0; checks each page starts where the one before ended. */
  const follow = async (reader: AuditReader, req: Omit<Parameters<AuditReader['log']>[0], 'after'>) => {
    const got: number[] = [];
    let after = 0;
    let pages = 0;
    const seams: string[] = [];
    for (;;) {
      const page = await reader.log({ ...req, after });
      pages++;
      if (page.after < after) seams.push(`page ${pages} after ${page.after} < asked ${after}`);
      if (page.events.length > req.limit) seams.push(`page ${pages} has ${page.events.length} > limit`);
      for (const e of page.events) if (e.position <= page.after || e.position > page.scannedTo) seams.push(`event ${e.position} outside (${page.after}, ${page.scannedTo}]`);
      got.push(...page.events.map((e) => e.position));
      if (page.nextAfter === null) break;
      if (page.nextAfter !== page.scannedTo) seams.push(`nextAfter ${page.nextAfter} != scannedTo ${page.scannedTo}`);
      if (page.nextAfter <= after && pages > 1) seams.push(`no progress at ${after}`);
      after = page.nextAfter;
      if (pages > 10_000) throw new Error('no end');
    }
    return { got, pages, seams };
  };

  it.each(KINDS)('%s: a type filter, limit 4, recordedFrom/recordedTo cuts: following nextAfter gives every matching event once, in order', async (kind) => {
    let now = 0;
    const { store } = storeOf(kind, () => new Date(T0 + now));
    for (let a = 0; a < 60; a++) {
      now = a * 1000;
      await store.append(`s-${a % 5}`, Array.from({ length: 10 }, (_, i) => ev((a * 10 + i) % 7 === 0 ? 'B' : 'A', a * 10 + i)), 'any');
    }
    const all = await allEvents(store);
    const reader = new AuditReader(store);
    const from = iso(10_000);
    const to = iso(40_000);
    const expected = all.filter((e) => e.type === 'B' && e.recordedAt >= from && e.recordedAt <= to).map((e) => e.position);
    const r = await follow(reader, { filter: { types: ['B'] }, limit: 4, recordedFrom: from, recordedTo: to });
    expect(r.seams).toEqual([]);
    expect(r.got).toEqual(expected);
    // Unfiltered with limit 7: every event of the range once.
    const plain = await follow(reader, { filter: {}, limit: 7, recordedFrom: from, recordedTo: to });
    expect(plain.seams).toEqual([]);
    expect(plain.got).toEqual(all.filter((e) => e.recordedAt >= from && e.recordedAt <= to).map((e) => e.position));
    await store.close?.();
  });

  it.each(KINDS)('%s: the scan budget is MAX_AUDIT_SCAN events: matches just past it come on the next page, none lost, none twice', async (kind) => {
    const { store } = storeOf(kind, () => new Date(T0));
    const n = MAX_AUDIT_SCAN + 12;
    for (let from = 0; from < n; from += 1_000) {
      const size = Math.min(1_000, n - from);
      await store.append(`bulk-${from}`, Array.from({ length: size }, (_, i) => ev(from + i >= MAX_AUDIT_SCAN - 2 ? 'B' : 'A', from + i)), 'no_stream');
    }
    const all = await allEvents(store);
    expect(all.length).toBe(n);
    const reader = new AuditReader(store);
    const first = await reader.log({ filter: { types: ['B'] }, after: 0, limit: 500 });
    // Read exactly MAX_AUDIT_SCAN events: the 2 matches within it, and it ends on the budget's last event.
    expect(first.events.map((e) => e.position)).toEqual(all.slice(MAX_AUDIT_SCAN - 2, MAX_AUDIT_SCAN).map((e) => e.position));
    expect([first.scannedTo, first.nextAfter]).toEqual([all[MAX_AUDIT_SCAN - 1].position, all[MAX_AUDIT_SCAN - 1].position]);
    const r = await follow(reader, { filter: { types: ['B'] }, limit: 5 });
    expect(r.seams).toEqual([]);
    expect(r.got).toEqual(all.slice(MAX_AUDIT_SCAN - 2).map((e) => e.position));
    await store.close?.();
  }, 120_000);

  it('esdb stand-in with recordedAt out of log order (two servers): a recordedFrom/recordedTo range is the log between the as-of cuts at its ends (README), so adjacent ranges hold every event exactly once, none recorded after its `to`', async () => {
    const { store, node } = storeOf('esdb', () => new Date(T0), { recordedAtWindowMs: 10_000 });
    // log order:        0      3000    1000 (its append was slow)   4000
    for (const [i, ms] of [0, 3000, 1000, 4000].entries()) await rawAppend(node!, `inv-${i}`, ms);
    const reader = new AuditReader(store);
    const early = await reader.log({ filter: {}, after: 0, limit: 100, recordedTo: iso(1999) });
    const late = await reader.log({ filter: {}, after: 0, limit: 100, recordedFrom: iso(2000), recordedTo: iso(5000) });
    const all = (await allEvents(store)).map((e) => e.streamId);
    // Every event once: the slow append (recorded at 1 s, in the log after the one recorded at 3 s) shows where the ledger showed it, after 2 s.
    expect([...early.events, ...late.events].map((e) => e.streamId)).toEqual(all);
    expect(early.events.map((e) => e.recordedAt)).toEqual([iso(0)]);
    expect(late.events.map((e) => e.recordedAt)).toEqual([iso(3000), iso(1000), iso(4000)]);
    expect(early.events.every((e) => e.recordedAt <= iso(1999)) && late.events.every((e) => e.recordedAt <= iso(5000))).toBe(true);
    // The same cut as an as-of answer at 1.999 s.
    expect(await store.positionAt(iso(1999))).toBe(early.scannedTo);
  });
});

// ---------------------------------------------------------------------------------------------
describe('3. SqliteEventStore.page: at most PAGED_STATEMENTS prepared (ac5f5aa)', () => {
  it('more distinct page sizes than the bound, interleaved with stream reads: every read answers what it should', async () => {
    const { store } = storeOf('sqlite', () => new Date(T0));
    for (let s = 0; s < 4; s++) await store.append(`s-${s}`, Array.from({ length: 150 }, (_, i) => ev('A', s * 1000 + i)), 'no_stream');
    const all = await allEvents(store);
    const wrong: string[] = [];
    // Start reads of many sizes concurrently (each may be dropped from the map while others are awaited).
    const jobs = Array.from({ length: PAGED_STATEMENTS + 60 }, async (_, k) => {
      const max = k + 1;
      const after = k % 37;
      const page = await store.readAll({ after, maxCount: max, uncached: true });
      const want = all.filter((e) => e.position > after).slice(0, max).map((e) => e.position);
      if (JSON.stringify(page.map((e) => e.position)) !== JSON.stringify(want)) wrong.push(`readAll ${after}/${max}`);
      const st = await store.readStream(`s-${k % 4}`, { fromRevision: k % 20, maxCount: max, uncached: true } as any);
      if (st.length !== Math.min(max, 150 - (k % 20)) || st[0].revision !== k % 20) wrong.push(`readStream ${k}`);
    });
    await Promise.all(jobs);
    expect(wrong).toEqual([]);
    await store.close?.();
  });
});

// ---------------------------------------------------------------------------------------------
describe('4. ProjectionEngine.viewAt: as-of cache by position (73a3994)', () => {
  const failing = (name: string, type: string) => {
    const state = { fail: false, calls: 0 };
    const p: Projection<{ sum: number; seen: number }> = {
      name,
      version: 1,
      initial: () => ({ sum: 0, seen: 0 }),
      evolve: (v, e) => {
        state.calls++;
        if (state.fail) throw new MissingPartError(`${name}-history`, 0, `${name} fails`);
        if (e.type !== type) return v;
        return { sum: v.sum + (e.data as { n: number }).n, seen: v.seen + 1 };
      },
    };
    return { p, state };
  };
  const setup = async (asOfCacheSize?: number) => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 10; i++) await store.append('s', [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const a = failing('a', 'Odd');
    const b = failing('b', 'Even');
    const c = failing('c', 'Odd');
    const engine = new ProjectionEngine(store, [a.p, b.p, c.p], new MemorySnapshotStore(), asOfCacheSize ? { asOfCacheSize } : {});
    await engine.start();
    await engine.caughtUp(10);
    return { store, engine, a, b, c };
  };
  const expectedAt = (type: 'Odd' | 'Even', pos: number) => {
    const ns = Array.from({ length: pos }, (_, i) => i + 1).filter((n) => (n % 2 ? 'Odd' : 'Even') === type);
    return { sum: ns.reduce((x, y) => x + y, 0), seen: ns.length };
  };

  it('one view failing at a position keeps the others; a retry refolds only the failed one; the position map is dropped once empty', async () => {
    const { engine, a, b, c } = await setup();
    c.state.fail = true;
    await expect(engine.viewsAt(['a', 'b', 'c'], 5)).rejects.toThrow('c fails');
    const before = [a.state.calls, b.state.calls];
    expect(await engine.viewAt('a', 5)).toEqual(expectedAt('Odd', 5));
    expect(await engine.viewAt('b', 5)).toEqual(expectedAt('Even', 5));
    expect([a.state.calls, b.state.calls]).toEqual(before);
    c.state.fail = false;
    const cBefore = c.state.calls;
    expect(await engine.viewAt('c', 5)).toEqual(expectedAt('Odd', 5));
    expect(c.state.calls).toBeGreaterThan(cBefore);
    expect([a.state.calls, b.state.calls]).toEqual(before);
    // Every view of a position failing: nothing of that position kept.
    a.state.fail = b.state.fail = c.state.fail = true;
    await expect(engine.viewsAt(['a', 'b', 'c'], 3)).rejects.toThrow();
    await new Promise((r) => setImmediate(r));
    const cache = (engine as unknown as { asOfCache: Map<number, Map<string, unknown>> }).asOfCache;
    expect([...cache.entries()].filter(([, m]) => m.size === 0).map(([p]) => p)).toEqual([]);
    expect(cache.has(3)).toBe(false);
    await engine.stop();
  });

  it('asOfCacheSize 2: LRU by position (a hit on any view refreshes it), eviction of the oldest, no answer mixing two positions', async () => {
    const { engine, a, b } = await setup(2);
    await engine.viewsAt(['a', 'b'], 3);
    await engine.viewsAt(['a', 'b'], 5);
    await engine.viewAt('a', 3); // 3 is now the most recent
    await engine.viewsAt(['a', 'b'], 7); // evicts 5
    const calls = () => a.state.calls + b.state.calls;
    let n = calls();
    await engine.viewsAt(['a', 'b'], 3);
    expect(calls()).toBe(n);
    await engine.viewsAt(['a', 'b'], 5);
    expect(calls()).toBeGreaterThan(n);
    // Concurrent questions at four positions: each answer is its own position's views.
    const ps = [2, 4, 6, 8];
    const answers = await Promise.all(ps.map((p) => engine.viewsAt(['a', 'b'], p)));
    answers.forEach((ans, i) => expect(ans.views).toEqual([expectedAt('Odd', ps[i]), expectedAt('Even', ps[i])]));
    const cache = (engine as unknown as { asOfCache: Map<number, unknown> }).asOfCache;
    expect(cache.size).toBeLessThanOrEqual(2);
    n = calls();
    expect((await engine.viewsAt(['a', 'b'], 10)).live).toBe(true);
    expect(calls()).toBe(n);
    await engine.stop();
  });
});

// ---------------------------------------------------------------------------------------------
describe('5b. EventStoreDbEventStore.positionAt: longest stretch recorded at or before the instant (8735ebd)', () => {
  /** Appends one event per recordedAt (ms after T0), in log order, each to its own stream. */
  const build = async (kind: Kind, times: number[], windowMs = 2_000) => {
    let now = 0;
    const s = storeOf(kind, () => new Date(T0 + now), { recordedAtWindowMs: windowMs });
    for (const [i, ms] of times.entries()) {
      now = ms;
      if (s.node) await rawAppend(s.node, `p-${i}`, ms);
      else await s.store.append(`p-${i}`, [ev('A', i)], 'no_stream');
    }
    const positions = (await allEvents(s.store)).map((e) => e.position);
    /** positionAt as the ordinal of the event (0: none). */
    const ordinalAt = async (instant: string) => {
      const p = await s.store.positionAt(instant);
      return p === 0 ? 0 : positions.indexOf(p) + 1;
    };
    return { ...s, positions, ordinalAt };
  };

  it('an empty log: 0', async () => {
    const { ordinalAt } = await build('esdb', []);
    expect(await ordinalAt(iso(0))).toBe(0);
  });

  it('without inversions it agrees with SQLite and memory: before all, after all, equal to an event, between, ties, with and without milliseconds', async () => {
    const times = [0, 1000, 1000, 2500, 4000, 4000, 4001, 9000];
    const instants = [iso(-1), iso(0), iso(1), iso(999), iso(1000), iso(2499), iso(2500), iso(4000), iso(4001), iso(8999), iso(9000), iso(50_000), '2026-03-01T10:00:01Z', '2026-03-01T10:00:04Z', '2026-03-01T10:00:09Z', '2025-01-01T00:00:00Z'];
    const stores = await Promise.all(KINDS.map((k) => build(k, times)));
    const table = await Promise.all(stores.map(async (s) => Promise.all(instants.map((i) => s.ordinalAt(i)))));
    expect(table[2]).toEqual(table[0]);
    expect(table[1]).toEqual(table[0]);
    expect(table[0].slice(0, 12)).toEqual([0, 1, 1, 1, 3, 3, 4, 6, 7, 7, 8, 8]);
    for (const s of stores) await s.store.close?.();
  });

  it('inversions within the window: the end of the longest stretch from the start recorded at or before the instant', async () => {
    //                 1     2     3     4     5     6
    const times = [0, 3000, 1000, 5000, 2000, 6000];
    const { ordinalAt } = await build('esdb', times, 10_000);
    const want = (instant: number) => {
      let k = 0;
      while (k < times.length && times[k] <= instant) k++;
      return k;
    };
    for (const t of [-1, 0, 999, 1000, 2000, 2500, 2999, 3000, 4999, 5000, 5999, 6000, 20_000]) {
      expect([t, await ordinalAt(iso(t))]).toEqual([t, want(t)]);
    }
  });

  it('inversion exactly as wide as the window, and the scan stopping on an event exactly at the floor', async () => {
    const { ordinalAt } = await build('esdb', [0, 2000, 1000], 1000);
    expect(await ordinalAt(iso(1000))).toBe(1);
    expect(await ordinalAt(iso(1999))).toBe(1);
    expect(await ordinalAt(iso(2000))).toBe(3);
    const second = await build('esdb', [1500, 500], 1000);
    expect(await second.ordinalAt(iso(1000))).toBe(0);
  });

  it('tombstones and idempotency records in $all are passed over', async () => {
    let now = 0;
    const { store, node } = storeOf('esdb', () => new Date(T0 + now), { recordedAtWindowMs: 5_000 });
    now = 0;
    await store.append('x-1', [ev('A', 1)], 'no_stream');
    now = 1000;
    await store.append('x-2', [ev('A', 2)], 'no_stream', { actorId: 'alice', key: 'k1', requestHash: 'h' });
    node!.tombstone('x-1');
    now = 3000;
    await store.append('x-3', [ev('A', 3)], 'no_stream');
    const ps = (await allEvents(store).catch(() => [] as any[])).map((e: any) => e.position);
    const head = await store.headPosition();
    expect(await store.positionAt(iso(5000))).toBe(head);
    const p2 = await store.positionAt(iso(2000));
    expect(p2).toBeGreaterThan(0);
    expect(p2).toBeLessThan(head);
    expect(await store.positionAt(iso(-5))).toBe(0);
    expect(ps.length === 0 || ps.includes(p2)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
describe('5a. keyed requests on SQLite and memory: one record, every answer the first (8735ebd)', () => {
  it.each(['memory', 'sqlite'] as Kind[])('%s: a group-commit batch with two appends of one key: one recorded, the other IdempotencyKeyTakenError', async (kind) => {
    const { store } = storeOf(kind, () => new Date(T0));
    const idem = { actorId: 'alice', key: 'same', requestHash: 'h' };
    const rs = await Promise.allSettled([store.append('k-1', [ev('A', 1)], 'no_stream', idem), store.append('k-2', [ev('A', 2)], 'no_stream', idem)]);
    expect(rs.filter((r) => r.status === 'fulfilled').length).toBe(1);
    const refused = rs.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(IdempotencyKeyTakenError);
    expect((await allEvents(store)).length).toBe(1);
    await store.close?.();
  });

  describe.each(['memory', 'sqlite'] as Kind[])('%s over HTTP', (kind) => {
    let t: TestApp;
    beforeAll(async () => {
      const { store } = storeOf(kind, () => new Date());
      t = await startTestApp({ store });
    });
    afterAll(async () => t?.close());

    it('50 concurrent same-key requests: exactly one record, every answer the first answer', async () => {
      const auth = await t.auth('admin', [], 'keyed-admin');
      const body = { countyId: 'telemark', name: 'Telemark', countyNumber: '08' };
      const res = await Promise.all(Array.from({ length: 50 }, () => t.http().post('/counties').set(auth).set('Idempotency-Key', 'fifty').send(body)));
      const events = (await allEvents(t.store)).filter((e) => e.streamId.includes('telemark'));
      expect(events.length).toBe(1);
      const first = res.find((r) => r.status === 201)!;
      expect(first).toBeDefined();
      const odd = res.filter((r) => r.status !== 201 || JSON.stringify(r.body) !== JSON.stringify(first.body)).map((r) => `${r.status} ${r.body.code ?? JSON.stringify(r.body).slice(0, 80)}`);
      expect(odd).toEqual([]);
    });

    it('a first attempt refused, then retried with the same key and a valid body: recorded once; a retry of it answered from the record', async () => {
      const auth = await t.auth('admin', [], 'keyed-admin-2');
      const bad = await t.http().post('/counties').set(auth).set('Idempotency-Key', 'retry-1').send({ countyId: 'vestfold', name: '', countyNumber: '07' });
      expect(bad.status).toBe(400);
      const body = { countyId: 'vestfold', name: 'Vestfold', countyNumber: '07' };
      const [r1, r2, r3] = await Promise.all([0, 1, 2].map(() => t.http().post('/counties').set(auth).set('Idempotency-Key', 'retry-1').send(body)));
      expect([r1.status, r2.status, r3.status]).toEqual([201, 201, 201]);
      expect(r2.body).toEqual(r1.body);
      expect(r3.body).toEqual(r1.body);
      expect((await allEvents(t.store)).filter((e) => e.streamId.includes('vestfold')).length).toBe(1);
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('6a. todayOf: far-future asOf capped (620eb60)', () => {
  it('9999-12-31T23:59:59Z (Oslo day 10000-01-01) is today from the clock; a past asOf is its own day', () => {
    expect(todayOf({ query: { asOf: '9999-12-31T23:59:59Z' } })).toEqual({ day: todayInNorway(), fromClock: true });
    expect(todayOf({ query: { asOf: '2015-06-01' } })).toEqual({ day: '2015-06-01', fromClock: false });
    expect(todayOf({ query: { asOf: '1970-01-01T00:00:00Z' } })).toEqual({ day: '1970-01-01', fromClock: false });
    expect(todayOf({ query: {} })).toEqual({ day: todayInNorway(), fromClock: true });
  });
});

describe('6b. prefersCsv: RFC 9110 ranking (620eb60)', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['*/*', false],
    ['application/json', false],
    ['application/*', false],
    ['text/csv', true],
    ['text/*', true],
    ['text/*;q=0, */*', false],
    ['text/csv;q=0, */*', false],
    ['application/json;q=0.5, text/csv;q=0.5', true],
    ['application/json, text/csv;q=0.9', false],
    ['text/csv;q=0.9, application/json', false],
    ['*/*;q=0.5, application/json;q=0', true],
    ['application/*;q=0, */*', true],
    ['application/json;q=0, text/*;q=0.1', true],
    ['application/*;q=0, application/json', false],
    ['*/*;q=0, text/csv', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
  ];
  it.each(cases)('Accept %p → CSV %p', (accept, csv) => {
    expect(prefersCsv(accept)).toBe(csv);
  });
  it('RFC 9110: JSON named but ranked below the wildcard that allows CSV (q=0.001 as q=0) → CSV, as with q=0', () => {
    expect([prefersCsv('*/*;q=0.8, application/json;q=0'), prefersCsv('*/*;q=0.8, application/json;q=0.001')]).toEqual([true, true]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('6c/6f. request checks and /docs-json on the running app (620eb60, e1fe0ea)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ seed: true });
  });
  afterAll(async () => t?.close());

  const validatedClasses = (): Function[] => [...((getMetadataStorage() as unknown as { validationMetadatas: Map<Function, unknown[]> }).validationMetadatas.keys())].filter((c) => typeof c === 'function');
  const propsOf = (cls: Function): string[] => [...new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName))];

  it('no false positive: every validated DTO\'s own fields (strings, dates, buffers, arrays, nested objects) pass keysDroppedByTransform', () => {
    const flagged: string[] = [];
    for (const cls of validatedClasses()) {
      const props = propsOf(cls);
      if (!props.length) continue;
      for (const value of ['toString', new Date(), Buffer.from('ab'), ['constructor', 'valueOf'], { from: '2014-01-01', to: null }, [{ partyId: 'x' }]]) {
        const body = Object.fromEntries(props.map((p) => [p, value]));
        const dropped = keysDroppedByTransform(cls as new () => object, body);
        if (dropped.length) flagged.push(`${cls.name}: ${dropped.join(',')}`);
      }
      const named = props.filter((p) => p in Object.prototype || p === 'prototype');
      if (named.length) flagged.push(`${cls.name} has fields named like Object.prototype members: ${named}`);
    }
    expect([...new Set(flagged)]).toEqual([]);
  });

  it('ids like toString as path params and as values are fine (404 or 200, never 400 UNKNOWN_FIELD)', async () => {
    const auth = await t.auth('auditor', [], 'rev-auditor');
    const r1 = await t.http().get('/audit/streams/toString').set(auth);
    expect(r1.body.code).not.toBe('VALIDATION.UNKNOWN_FIELD');
    expect([404, 200]).toContain(r1.status);
    const r2 = await t.http().get('/audit/events?limit=5&actor=constructor').set(auth);
    expect(r2.status).toBe(200);
    const admin = await t.auth('admin', [], 'rev-admin');
    const r3 = await t.http().post('/counties').set(admin).send({ countyId: 'finnmark-x', name: 'toString', countyNumber: '55' });
    expect(r3.body.code).not.toBe('VALIDATION.UNKNOWN_FIELD');
  });

  it('an invalid body with a member-named unknown field is answered as the same body with any other unknown field (all problems, same code)', async () => {
    const admin = await t.auth('admin', [], 'rev-admin');
    const base = { countyId: 'troms-x', name: 12, countyNumber: '08' };
    const other = await t.http().post('/counties').set(admin).send({ ...base, other: 'x' });
    const member = await t.http().post('/counties').set(admin).send({ ...base, toString: 'x' });
    expect(other.status).toBe(400);
    const fields = (r: any) => (r.body.details?.fields ?? []).map((f: { field: string }) => f.field).sort();
    expect([member.status, member.body.code, fields(member)]).toEqual([other.status, other.body.code, fields(other).map((f: string) => (f === 'other' ? 'toString' : f)).sort()]);
  });

  it('/docs-json: nullable only on request fields, never beside a $ref, never on a required field, and no schema name shared by two validated classes', async () => {
    const res = await t.http().get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body;
    const raw = SwaggerModule.createDocument(t.app, new DocumentBuilder().build()) as any;
    const schemas: Record<string, any> = doc.components.schemas;
    const added: string[] = [];
    const bad: string[] = [];
    for (const [name, s] of Object.entries(schemas)) {
      for (const [prop, p] of Object.entries<any>(s.properties ?? {})) {
        if (p.$ref && Object.keys(p).length > 1) bad.push(`${name}.${prop}: $ref with siblings`);
        const isNew = p.nullable && !raw.components.schemas[name]?.properties?.[prop]?.nullable;
        if (isNew) added.push(`${name}.${prop}`);
        // A field the marking made nullable must be one the request may leave out.
        if (isNew && (s.required ?? []).includes(prop)) bad.push(`${name}.${prop}: required, yet marked nullable as optional`);
      }
    }
    // Schemas reachable from request bodies.
    const refsIn = (v: unknown, out: Set<string>) => {
      JSON.stringify(v, (k, x) => {
        if (k === '$ref' && typeof x === 'string') out.add(x.split('/').pop()!);
        return x;
      });
    };
    const req = new Set<string>();
    for (const item of Object.values<any>(doc.paths)) for (const op of Object.values<any>(item)) if (op?.requestBody) refsIn(op.requestBody, req);
    for (let grown = true; grown; ) {
      const n = req.size;
      for (const name of [...req]) refsIn(schemas[name], req);
      grown = req.size > n;
    }
    const notRequest = added.filter((a) => !req.has(a.split('.')[0]));
    expect(bad).toEqual([]);
    expect(notRequest).toEqual([]);
    const names = validatedClasses().map((c) => c.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i && schemas[n])).toEqual([]);
    expect(doc.openapi).toMatch(/^3\.0\./);
    expect(added.length).toBeGreaterThan(0);
  });

  it('/docs-json: every field newly documented nullable takes null at the request check (class-validator, as the pipe runs it)', async () => {
    const doc = (await t.http().get('/docs-json')).body;
    const raw = SwaggerModule.createDocument(t.app, new DocumentBuilder().build()) as any;
    const byName = new Map(validatedClasses().map((c) => [c.name, c]));
    const refused: string[] = [];
    let checked = 0;
    for (const [name, s] of Object.entries<any>(doc.components.schemas)) {
      const cls = byName.get(name);
      for (const [prop, p] of Object.entries<any>(s.properties ?? {})) {
        if (!p.nullable || raw.components.schemas[name]?.properties?.[prop]?.nullable || !cls) continue;
        checked++;
        const errors = await validate(plainToInstance(cls as new () => object, { [prop]: null }) as object, VALIDATOR_OPTIONS);
        if (errors.some((e) => e.property === prop)) refused.push(`${name}.${prop}`);
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(refused).toEqual([]);
  });
});

