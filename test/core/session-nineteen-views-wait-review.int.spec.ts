/**
 * Review of 20535cc (the views wait at a stream hard-deleted on the EventStoreDB node): the
 * CatchUpSubscription's outage, the ProjectionEngine's viewsStopped / refusals, GET /health's
 * viewsStopped, and that SQLite/memory subscriptions behave as before. Jest fake timers (setTimeout
 * and Date only; microtasks, nextTick and setImmediate stay real), no wall-clock assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthController } from '../../apps/api/src/health/health.controller';
import { ProjectionEngine, ProjectionLagError } from '../../libs/application/src/projection-engine';
import { MemorySnapshotStore } from '../../libs/application/src/snapshot-store';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { CatchUpSubscription } from '../../libs/event-store/src/catch-up-subscription';
import { StreamDeletedOnNodeError } from '../../libs/event-store/src/errors';
import { ev } from '../../libs/event-store/src/event-store.contract';
import { EventStoreDbEventStore } from '../../libs/event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../libs/event-store/src/eventstoredb-fake-client.fixture';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore, ReadAllOptions, SubscriptionOutage } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { MissingPartError, Projection } from '../../libs/projections/src/projection';

/** Lets real async work (microtasks, setImmediate) run without moving the fake clock. */
const settle = async (n = 40): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};
const advance = async (ms: number): Promise<void> => {
  await jest.advanceTimersByTimeAsync(ms);
  await settle();
};
const caught = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: unknown) => e);
const event = (position: number): RecordedEvent => ({ position, eventId: `e-${position}` }) as unknown as RecordedEvent;
let n = 0;
const unique = (s: string): string => `${s}-${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** A log of positions; while `failWith` is set, every read past `failAfter` fails with it. */
class Log {
  events: RecordedEvent[] = [];
  failWith: unknown = null;
  failAfter = 0;
  reads = 0;
  readonly readAll = async (o: ReadAllOptions): Promise<RecordedEvent[]> => {
    this.reads++;
    const after = o.after ?? 0;
    const next = this.events.filter((e) => e.position > after);
    if (this.failWith && next.every((e) => e.position > this.failAfter)) throw this.failWith;
    return next.filter((e) => !this.failWith || e.position <= this.failAfter).slice(0, o.maxCount);
  };
}

/** A fold that stops the views (MissingPartError is the one error foldEvents does not skip) on events of type `Poison`. */
const counter: Projection<{ ids: string[] }> = {
  name: 'counter',
  version: 1,
  historyEvery: 2,
  initial: () => ({ ids: [] }),
  evolve: (v, e: RecordedEvent) => {
    if (e.type === 'Poison') throw new MissingPartError('counter', e.position, 'poison');
    return { ids: [...v.ids, e.eventId] };
  },
};

let warnings: string[];
let warn: jest.SpyInstance;
let consoleError: jest.SpyInstance;
beforeEach(() => {
  warnings = [];
  warn = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning);
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate'] });
});
afterEach(() => {
  jest.clearAllTimers();
  jest.useRealTimers();
  warn.mockRestore();
  consoleError.mockRestore();
});

describe('A. SQLite/memory subscriptions as before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'views-wait-review-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const stores: [string, () => EventStore][] = [
    ['memory', () => new MemoryEventStore()],
    ['sqlite', () => new SqliteEventStore({ path: join(dir, `${unique('s')}.sqlite`), pollMs: 250 })],
  ];

  it.each(stores)('A1 %s: an onEvents that throws ends the subscription once (onError without an outage), no read after, no warning, no timer left', async (_, make) => {
    const store = make();
    const read = jest.spyOn(store, 'readAll');
    const errors: [unknown, SubscriptionOutage | undefined][] = [];
    const boom = new Error('fold broke');
    await store.append(unique('a'), [ev('Opened')], 'no_stream');
    const sub = store.subscribe(0, () => { throw boom; }, (e, o) => errors.push([e, o]));
    await settle();
    expect(errors).toEqual([[boom, undefined]]);
    const reads = read.mock.calls.length;
    await store.append(unique('a'), [ev('Opened')], 'no_stream');
    await advance(60_000);
    expect([read.mock.calls.length, errors.length, warnings]).toEqual([reads, 1, []]);
    sub.unsubscribe();
    await store.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it.each(stores)('A2 %s: a read error (not retryable, not a tombstone) ends it with onError(e) alone; unsubscribe during the live wait leaves no timer', async (_, make) => {
    const store = make();
    const errors: [unknown, SubscriptionOutage | undefined][] = [];
    const seen: number[] = [];
    const sub = store.subscribe(0, (b) => void seen.push(...b.map((e) => e.position)), (e, o) => errors.push([e, o]));
    const a = await store.append(unique('a'), [ev('Opened')], 'no_stream');
    await settle();
    expect(seen).toEqual([a.position]);
    const broken = new Error('disk I/O error');
    jest.spyOn(store, 'readAll').mockRejectedValue(broken);
    await store.append(unique('a'), [ev('Opened')], 'no_stream');
    await advance(1_000);
    expect(errors).toEqual([[broken, undefined]]);
    await advance(60_000);
    expect([errors.length, warnings]).toEqual([1, []]);
    sub.unsubscribe();
    await store.close();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('A3 a retryable error (a node restarting) is still tried again with the short pause, an append still cuts it short, onError never told', async () => {
    const log = new Log();
    log.events = [event(1)];
    const transient = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    log.failWith = transient;
    const errors: unknown[] = [];
    const sub = new CatchUpSubscription(log.readAll, 0, () => undefined, (e) => errors.push(e), null, 100, (e) => e === transient, { firstMs: 40, maxMs: 80 });
    try {
      await settle();
      expect(log.reads).toBe(1);
      sub.notify(); // an append in this process: wakes the 100 ms pause at once (as before)
      await settle();
      expect(log.reads).toBe(2);
      await advance(200);
      expect(log.reads).toBe(3); // 200 ms pause next (doubling), not the deleted stream's 40/80
      expect([errors, warnings.length]).toEqual([[], 1]);
    } finally {
      sub.unsubscribe();
    }
    await settle();
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('B. CatchUpSubscription at a deleted stream', () => {
  const deleted = (id = 'centre-x', at = 3): StreamDeletedOnNodeError => new StreamDeletedOnNodeError(id, at);

  it('B1 unsubscribe during the pause: no timer left, no read, onError not told again, resumed never resolves', async () => {
    const log = new Log();
    log.failWith = deleted();
    const errors: [unknown, SubscriptionOutage | undefined][] = [];
    const sub = new CatchUpSubscription(log.readAll, 0, () => undefined, (e, o) => errors.push([e, o]), 500, 100, () => false, { firstMs: 1_000, maxMs: 30_000 });
    await settle();
    expect(errors).toHaveLength(1);
    let resumed = false;
    void errors[0][1]!.resumed.then(() => (resumed = true));
    const reads = log.reads;
    sub.unsubscribe();
    await settle();
    expect(jest.getTimerCount()).toBe(0);
    await advance(120_000);
    expect([log.reads, errors.length, resumed]).toEqual([reads, 1, false]);
  });

  it('B2 unsubscribe from inside onError (told of the outage) leaves no pause timer behind', async () => {
    const log = new Log();
    log.failWith = deleted();
    let sub!: CatchUpSubscription;
    let told = 0;
    sub = new CatchUpSubscription(log.readAll, 0, () => undefined, () => { told++; sub.unsubscribe(); }, 500, 100, () => false, { firstMs: 30_000, maxMs: 30_000 });
    await settle();
    expect(told).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
    const reads = log.reads;
    await advance(60_000);
    expect(log.reads).toBe(reads);
  });

  it('B3 2,000 pauses: one onError, one warning, never more than one timer, the pause stays at maxMs once 2**n overflows', async () => {
    const log = new Log();
    log.events = [event(1), event(2)];
    log.failWith = deleted();
    log.failAfter = 2;
    const errors: unknown[] = [];
    const sub = new CatchUpSubscription(log.readAll, 0, () => undefined, (e) => errors.push(e), 500, 100, () => false, { firstMs: 1, maxMs: 50 });
    try {
      await settle();
      let maxTimers = 0;
      for (let i = 0; i < 2_000; i++) {
        maxTimers = Math.max(maxTimers, jest.getTimerCount());
        await jest.advanceTimersByTimeAsync(50);
      }
      await settle();
      expect([errors.length, warnings.length, maxTimers <= 1]).toEqual([1, 1, true]);
      // Past 2**1024 (Infinity): still one read per maxMs.
      const before = log.reads;
      await advance(49);
      const mid = log.reads;
      await advance(1);
      expect([mid - before <= 1, log.reads - before]).toEqual([true, 1]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('B4 a transient error inside the outage, then the tombstone again: onError told once; restored, resumed once and the events go on from the same position', async () => {
    const log = new Log();
    log.events = [event(1), event(2), event(4)];
    log.failWith = deleted();
    log.failAfter = 2;
    const transient = Object.assign(new Error('14 UNAVAILABLE'), { code: 14 });
    const errors: unknown[] = [];
    const seen: number[] = [];
    let resumed = 0;
    const sub = new CatchUpSubscription(log.readAll, 0, (b) => void seen.push(...b.map((e) => e.position)), (e, o) => { errors.push(e); void o?.resumed.then(() => resumed++); }, null, 100, (e) => e === transient, { firstMs: 40, maxMs: 80 });
    try {
      await settle();
      expect([seen, errors.length]).toEqual([[1, 2], 1]);
      log.failWith = transient;
      await advance(40);
      log.failWith = deleted();
      await advance(200);
      expect(errors.length).toBe(1);
      log.failWith = null;
      await advance(100);
      expect([seen, errors.length, resumed]).toEqual([[1, 2, 4], 1, 1]);
    } finally {
      sub.unsubscribe();
    }
  });

  it('B5 unsubscribed while the retry read is in flight and that read succeeds: nothing delivered, nothing told', async () => {
    const log = new Log();
    log.events = [event(4)];
    let release!: () => void;
    let hold = false;
    const readAll = async (o: ReadAllOptions): Promise<RecordedEvent[]> => {
      if (hold) await new Promise<void>((r) => (release = r));
      return log.readAll(o);
    };
    log.failWith = deleted();
    const errors: unknown[] = [];
    const seen: number[] = [];
    const sub = new CatchUpSubscription(readAll, 0, (b) => void seen.push(...b.map((e) => e.position)), (e) => errors.push(e), null, 100, () => false, { firstMs: 40, maxMs: 80 });
    await settle();
    hold = true;
    log.failWith = null;
    await advance(40);
    sub.unsubscribe();
    release();
    await settle();
    expect([seen, errors.length, warnings.length]).toEqual([[], 1, 1]);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('C. ProjectionEngine over the EventStoreDB stand-in, during an outage', () => {
  const open: { engine: ProjectionEngine; store: EventStoreDbEventStore }[] = [];
  afterEach(async () => {
    for (const { engine, store } of open.splice(0)) {
      await engine.stop();
      await store.close();
    }
  });
  const setup = async (opts: { snapshots?: MemorySnapshotStore; node?: FakeEsdbClient; waitTimeoutMs?: number; snapshotEvery?: number } = {}) => {
    const node = opts.node ?? new FakeEsdbClient();
    const store = new EventStoreDbEventStore(node);
    const errors: unknown[] = [];
    const engine = new ProjectionEngine(store, [counter], opts.snapshots ?? null, { waitTimeoutMs: opts.waitTimeoutMs ?? 5_000, historyEvery: 2, snapshotEvery: opts.snapshotEvery, onError: (e) => errors.push(e) });
    open.push({ engine, store });
    return { node, store, engine, errors };
  };
  /** Appends one event to a new stream and tells the engine (as the command path does). */
  const append = async (store: EventStore, engine: ProjectionEngine, type = 'Opened'): Promise<number> => {
    const r = await store.append(unique('acc'), [ev(type)], 'no_stream');
    engine.noteAppended(r.position);
    await settle();
    return r.position;
  };

  it('C1 caughtUp at/below the stopped position resolves, past it rejects at once (no timer started); an earlier waiter is rejected when the outage starts', async () => {
    const { node, store, engine } = await setup();
    const s = unique('centre');
    const kept = (await store.append(s, [ev('Registered')], 'no_stream')).position;
    await engine.start();
    await settle();
    expect(engine.position).toBe(kept);
    const t = Number(node.tombstone(s).position);
    // A waiter for a position not yet written, before the views meet the tombstone.
    const early = caught(engine.caughtUp(t + 10_000));
    const later = await append(store, engine);
    await settle();
    expect(await early).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s, position: t });
    expect(engine.viewsStopped).toMatchObject({ position: kept, retrying: true });
    expect(await caught(engine.caughtUp(kept))).toBe('resolved');
    expect(await caught(engine.caughtUp(kept - 1))).toBe('resolved');
    const timers = jest.getTimerCount();
    const refused = [caught(engine.caughtUp(kept + 1)), caught(engine.caughtUp(later)), caught(engine.readYourWrites()), caught(engine.readYourWrites(later + 1))];
    expect(jest.getTimerCount()).toBe(timers);
    for (const r of await Promise.all(refused)) expect(r).toBeInstanceOf(StreamDeletedOnNodeError);
    expect((engine as unknown as { waiters: unknown[] }).waiters).toHaveLength(0);
  });

  it('C2 stop() during the outage: resolves, no read after, no timer left, the checkpoint saved at the stopped position; a restart meets the outage again and goes on once restored', async () => {
    const snapshots = new MemorySnapshotStore();
    const node = new FakeEsdbClient();
    const first = await setup({ snapshots, node });
    const s = unique('centre');
    const kept = (await first.store.append(s, [ev('Registered')], 'no_stream')).position;
    await first.engine.start();
    await settle();
    node.tombstone(s);
    const later = await append(first.store, first.engine);
    expect(first.engine.viewsStopped).not.toBeNull();
    const reads = jest.spyOn(node, 'readAll');
    await first.engine.stop();
    await first.store.close();
    open.splice(0);
    await settle();
    expect(jest.getTimerCount()).toBe(0);
    reads.mockClear();
    await advance(120_000);
    expect(reads).not.toHaveBeenCalled();
    expect(snapshots.latest('counter')?.position).toBe(kept);
    // Restart on the same node and snapshots.
    const second = await setup({ snapshots, node });
    await second.engine.start();
    await settle();
    expect([second.engine.position, second.engine.viewsStopped?.retrying]).toEqual([kept, true]);
    node.restore(s);
    await advance(1_000);
    expect([second.engine.position, second.engine.viewsStopped]).toEqual([later, null]);
    await second.engine.stop();
    expect(snapshots.latest('counter')?.position).toBe(later);
  });

  it('C3 restored, then a second tombstone met right after (events between): cleared, then stopped at the second; waiters get the second error; onError told twice', async () => {
    const { node, store, engine, errors } = await setup();
    const a = unique('centre-a');
    const b = unique('centre-b');
    await store.append(a, [ev('Registered')], 'no_stream');
    await engine.start();
    await settle();
    const ta = Number(node.tombstone(a).position);
    const mid = await append(store, engine);
    expect(engine.viewsStopped).toMatchObject({ error: { streamId: a, position: ta } });
    await store.append(b, [ev('Registered')], 'no_stream');
    const tb = Number(node.tombstone(b).position);
    const last = await append(store, engine);
    node.restore(a);
    await advance(1_000);
    expect(engine.position).toBeGreaterThanOrEqual(mid);
    expect(engine.position).toBeLessThan(tb);
    expect(engine.viewsStopped).toMatchObject({ error: { streamId: b, position: tb }, retrying: true });
    expect(await caught(engine.caughtUp(last))).toMatchObject({ streamId: b });
    expect(errors.map((e) => (e as StreamDeletedOnNodeError).streamId)).toEqual([a, b]);
    node.restore(b);
    await advance(2_000);
    expect([engine.position, engine.viewsStopped]).toEqual([last, null]);
  });

  it('C4 a second tombstone with nothing between (the same outage): viewsStopped names it, and is cleared once both are restored', async () => {
    const { node, store, engine, errors } = await setup();
    const a = unique('centre-a');
    const b = unique('centre-b');
    await store.append(a, [ev('Registered')], 'no_stream');
    await store.append(b, [ev('Registered')], 'no_stream');
    await engine.start();
    await settle();
    node.tombstone(a);
    const tb = Number(node.tombstone(b).position);
    const last = await append(store, engine);
    node.restore(a);
    await advance(1_000);
    expect(engine.viewsStopped).toMatchObject({ error: { streamId: b, position: tb }, retrying: true });
    expect(errors).toHaveLength(2);
    node.restore(b);
    await advance(2_000);
    expect([engine.position, engine.viewsStopped]).toEqual([last, null]);
  });

  it('C5 a fold error in the first batch after the restore: viewsStopped is that error (not retrying), never cleared; a read past it waits and is ProjectionLagError (503), as before', async () => {
    const { node, store, engine } = await setup({ waitTimeoutMs: 5_000 });
    const s = unique('centre');
    await store.append(s, [ev('Registered')], 'no_stream');
    await engine.start();
    await settle();
    node.tombstone(s);
    const poison = await append(store, engine, 'Poison');
    expect(engine.viewsStopped?.error).toBeInstanceOf(StreamDeletedOnNodeError);
    node.restore(s);
    await advance(1_000);
    await settle();
    expect(engine.viewsStopped).toMatchObject({ error: expect.any(MissingPartError), retrying: false });
    const wait = caught(engine.caughtUp(poison));
    await advance(4_999);
    let done = false;
    void wait.then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    await advance(1);
    expect(await wait).toBeInstanceOf(ProjectionLagError);
  });

  it('C6 a non-tombstone stop: GET /health says INTERNAL without the error\'s own text, retrying false; reads past it wait then ProjectionLagError', async () => {
    const { node, store, engine } = await setup({ waitTimeoutMs: 300 });
    await engine.start();
    await settle();
    const secret = new Error('SQLITE_CORRUPT at /srv/secret/path token=abc123');
    jest.spyOn(node, 'readAll').mockImplementation(((o: { direction?: string } = {}) => {
      if (o.direction === 'backwards') return FakeEsdbClient.prototype.readAll.call(node, o);
      return (async function* () {
        throw secret;
      })();
    }) as any);
    const p = await append(store, engine);
    await advance(10);
    expect(engine.viewsStopped).toMatchObject({ error: secret, retrying: false });
    const health = await new HealthController(store, engine).health();
    expect(health.viewsStopped).toMatchObject({ code: 'INTERNAL', details: {}, retrying: false });
    expect(JSON.stringify(health)).not.toMatch(/secret|SQLITE_CORRUPT|abc123/);
    const wait = caught(engine.caughtUp(p));
    await advance(300);
    expect(await wait).toBeInstanceOf(ProjectionLagError);
    // Reads that gave up are not kept waiting for a fold that will not come (one entry per refused read piled up).
    const more = [1, 2, 3].map(() => caught(engine.caughtUp(p)));
    await advance(300);
    for (const m of more) expect(await m).toBeInstanceOf(ProjectionLagError);
    expect((engine as unknown as { waiters: unknown[] }).waiters).toEqual([]);
  });

  it('C7 as-of during the outage: views at/below the stopped position answer (history snapshots and folds), past it refused at once', async () => {
    const snapshots = new MemorySnapshotStore();
    const { node, store, engine } = await setup({ snapshots });
    const s = unique('centre');
    const positions: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await store.append(i === 0 ? s : unique('acc'), [ev('Opened')], 'no_stream');
      positions.push(r.position);
      ids.push(...r.eventIds);
    }
    await engine.start();
    await settle();
    const kept = positions[4];
    node.tombstone(s);
    const past = await append(store, engine);
    expect(engine.viewsStopped).not.toBeNull();
    for (let i = 0; i < 5; i++) {
      const v = await engine.viewAt<{ ids: string[] }>('counter', positions[i]);
      expect(v.ids).toEqual(ids.slice(0, i + 1));
    }
    expect(await engine.viewsAt(['counter'], kept)).toMatchObject({ live: true });
    expect((await engine.viewsAt(['counter'], positions[2])).live).toBe(false);
    expect(await caught(engine.viewsAt(['counter'], past))).toBeInstanceOf(StreamDeletedOnNodeError);
    expect(await caught(engine.viewAt('counter', past))).toBeInstanceOf(StreamDeletedOnNodeError);
    // The refusal is not kept in the as-of cache: restored, the same question is answered.
    node.restore(s);
    await advance(1_000);
    expect((await engine.viewAt<{ ids: string[] }>('counter', past)).ids).toHaveLength(6);
  });

  it('C8 200 retries of one outage: onError told once, one warning, no waiter or timer growth (one pause timer), no console.error', async () => {
    const { node, store, engine, errors } = await setup();
    const s = unique('centre');
    await store.append(s, [ev('Registered')], 'no_stream');
    await engine.start();
    await settle();
    node.tombstone(s);
    const p = await append(store, engine);
    let maxTimers = 0;
    for (let i = 0; i < 200; i++) {
      await caught(engine.caughtUp(p));
      // (at i = 0 the live wait's 500 ms poll timer, left when an append woke it, is still there: as before the commit)
      if (i > 0) maxTimers = Math.max(maxTimers, jest.getTimerCount());
      await jest.advanceTimersByTimeAsync(30_000);
    }
    await settle();
    expect([errors.length, warnings.length, maxTimers <= 1, (engine as unknown as { waiters: unknown[] }).waiters.length, consoleError.mock.calls.length]).toEqual([1, 1, true, 0, 0]);
  });

  it('C9 the tombstone is the last record of $all and nothing follows it (a restart): reads of what this process knows still answer', async () => {
    const node = new FakeEsdbClient();
    const pre = new EventStoreDbEventStore(node);
    const s = unique('centre');
    const kept = (await pre.append(s, [ev('Registered')], 'no_stream')).position;
    node.tombstone(s);
    const { engine } = await setup({ node });
    await engine.start();
    await settle();
    expect(engine.position).toBe(kept);
    expect(await caught(engine.readYourWrites())).toBe('resolved');
    expect(engine.upToDate).toBe(true);
  });
  it('C10 without an onError option: the outage is one process warning and no console.error; any other stop is console.error once, as before', async () => {
    const node = new FakeEsdbClient();
    const store = new EventStoreDbEventStore(node);
    const engine = new ProjectionEngine(store, [counter], null, {});
    open.push({ engine, store });
    const s = unique('centre');
    await store.append(s, [ev('Registered')], 'no_stream');
    await engine.start();
    await settle();
    node.tombstone(s);
    await append(store, engine);
    await advance(5_000);
    expect([consoleError.mock.calls.length, warnings.length]).toEqual([0, 1]);
    node.restore(s);
    await advance(30_000);
    expect([engine.viewsStopped, warnings.length]).toEqual([null, 2]);
    await append(store, engine, 'Poison');
    await advance(10);
    expect(consoleError.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/^projection engine stopped at position \d+:$/)]);
    expect(engine.viewsStopped).toMatchObject({ retrying: false });
  });
});
