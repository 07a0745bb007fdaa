import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore } from '../../event-store/src/memory-event-store';
import { SqliteEventStore } from '../../event-store/src/sqlite-event-store';
import { Projection } from '../../projections/src/projection';
import { BULK_PAGE } from '../../event-store/src/port';
import { historyName, ProjectionEngine } from './projection-engine';
import { MemorySnapshotStore, MissingPartError, SnapshotStore, SqliteSnapshotStore, StoredSnapshot } from './snapshot-store';

const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
const ev = (type: string, n: number) => ({ eventId: `e-${type}-${n}`, type, schemaVersion: 1, data: { n }, metadata: meta });

/** Counts its evolve calls, so a test can tell a restored view from a refolded one. */
const counting = (name: string, type: string, version: number, eventTypes?: string[]) => {
  const calls = { n: 0 };
  const p: Projection<{ sum: number; seen: number }> = {
    name,
    version,
    eventTypes,
    initial: () => ({ sum: 0, seen: 0 }),
    evolve: (v, e) => {
      calls.n++;
      if (e.type !== type) return v;
      return { sum: v.sum + (e.data as { n: number }).n * version, seen: v.seen + 1 };
    },
  };
  return { p, calls };
};

const waitFor = async (engine: ProjectionEngine, position: number) => engine.caughtUp(position);

describe('ProjectionEngine start-up from checkpoints', () => {
  it('restores the views whose checkpoint is current and folds only a changed one from 0, with its history', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 30; i++) await store.append(`s-${i % 3}`, [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const snapshots = new MemorySnapshotStore();
    const first = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p, counting('even', 'Even', 1).p], snapshots, { historyEvery: 10 });
    await first.start();
    await waitFor(first, 30);
    await first.stop();

    // The "even" fold changes (version 2): only it is folded again; "odd" comes from its checkpoint.
    const odd = counting('odd', 'Odd', 1);
    const even2 = counting('even', 'Even', 2, ['Even']);
    const second = new ProjectionEngine(store, [odd.p, even2.p], snapshots, { historyEvery: 10 });
    await second.start();
    expect(second.position).toBe(30);
    expect(odd.calls.n).toBe(0);
    expect(even2.calls.n).toBe(15); // only its own event type was read
    const evens = Array.from({ length: 15 }, (_, k) => (k + 1) * 2);
    expect(second.view('even')).toEqual({ sum: evens.reduce((a, b) => a + b, 0) * 2, seen: 15 });
    expect(second.view('odd')).toEqual({ sum: 225, seen: 15 });
    // Its history was rebuilt in the new version: an as-of answer starts from it.
    expect(snapshots.atOrBefore(historyName('even'), 2, 25)?.position).toBe(20);
    expect(await second.viewAt('even', 25)).toEqual({ sum: (2 + 4 + 6 + 8 + 10 + 12 + 14 + 16 + 18 + 20 + 22 + 24) * 2, seen: 12 });
    // And both follow new writes together.
    await store.append('s-x', [ev('Even', 100)], 'any');
    await waitFor(second, 31);
    expect(second.view('even')).toEqual({ sum: (evens.reduce((a, b) => a + b, 0) + 100) * 2, seen: 16 });
    await second.stop();

    // The next start restores both.
    const odd3 = counting('odd', 'Odd', 1);
    const even3 = counting('even', 'Even', 2);
    const third = new ProjectionEngine(store, [odd3.p, even3.p], snapshots, { historyEvery: 10 });
    await third.start();
    expect([odd3.calls.n, even3.calls.n]).toEqual([0, 0]);
    expect(third.view('even')).toEqual(second.view('even'));
    await third.stop();
  });

  it('writes no checkpoint beside complete sets of history snapshots while folding from 0, and a start interrupted half-way resumes from the newest set', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 35; i++) await store.append(`s-${i % 3}`, [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const snapshots = new MemorySnapshotStore();
    const first = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p, counting('even', 'Even', 1).p], snapshots, { historyEvery: 10, snapshotEvery: 5 });
    await first.start();
    await waitFor(first, 35);
    // Every view was kept at 10, 20 and 30: those stand for checkpoints.
    expect([snapshots.latest('odd'), snapshots.latest('even')]).toEqual([null, null]);
    expect(snapshots.atOrBefore(historyName('odd'), 1, 35)?.position).toBe(30);

    // A second process starting now (the first one "crashed" before its stop) restores both views at 30 and folds 31..35 only.
    const odd = counting('odd', 'Odd', 1);
    const even = counting('even', 'Even', 1);
    const second = new ProjectionEngine(store, [odd.p, even.p], snapshots, { historyEvery: 10, snapshotEvery: 5 });
    await second.start();
    await waitFor(second, 35);
    expect([odd.calls.n, even.calls.n]).toEqual([5, 5]);
    expect(second.view('odd')).toEqual(first.view('odd'));
    expect(second.view('even')).toEqual(first.view('even'));
    expect(second.view('odd')).toEqual({ sum: 18 * 18, seen: 18 });

    // A checkpoint newer than any complete set wins (the normal restart after a stop).
    await second.stop();
    const odd3 = counting('odd', 'Odd', 1);
    const third = new ProjectionEngine(store, [odd3.p, counting('even', 'Even', 1).p], snapshots, { historyEvery: 10 });
    await third.start();
    expect(third.position).toBe(35);
    expect(odd3.calls.n).toBe(0);
    await third.stop();
    await first.stop();
  });

  it('folds a log of several pages (BULK_PAGE events each) the same way in every bulk path: first start, a changed fold from 0, rebuild, as-of', async () => {
    const n = BULK_PAGE * 2 + 345;
    const store = new MemoryEventStore();
    const reads: number[] = [];
    const readAll = store.readAll.bind(store);
    store.readAll = async (o) => {
      const page = await readAll(o);
      reads.push(page.length);
      return page;
    };
    for (let i = 1; i <= n; i++) await store.append(`s-${i % 7}`, [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const sumOf = (upTo: number, odd: boolean) => Array.from({ length: upTo }, (_, k) => k + 1).filter((k) => (k % 2 === 1) === odd).reduce((a, b) => a + b, 0);
    const snapshots = new MemorySnapshotStore();
    const first = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p, counting('even', 'Even', 1).p], snapshots, { historyEvery: 1_000 });
    await first.start();
    await waitFor(first, n);
    expect(first.view('odd')).toEqual({ sum: sumOf(n, true), seen: Math.ceil(n / 2) });
    await first.stop();
    // A first start follows the store's subscription (its own page size); the engine's own bulk reads take BULK_PAGE events at a time.
    reads.length = 0;

    const even2 = counting('even', 'Even', 2, ['Even']);
    const second = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p, even2.p], snapshots, { historyEvery: 1_000 });
    await second.start();
    expect(second.view('even')).toEqual({ sum: sumOf(n, false) * 2, seen: Math.floor(n / 2) });
    expect(even2.calls.n).toBe(Math.floor(n / 2));
    const rebuilt = await second.rebuild();
    expect(rebuilt.position).toBe(n);
    expect(rebuilt.views.get('odd')).toEqual(second.view('odd'));
    // As of a position 1,999 events past the nearest history snapshot (at 0: none kept yet for version 2 before 1,000): folded over two pages.
    expect(await second.viewAt('odd', 1_999)).toEqual({ sum: sumOf(1_999, true), seen: 1_000 });
    expect(await second.viewAt('even', n - 1)).toEqual({ sum: sumOf(n - 1, false) * 2, seen: Math.floor((n - 1) / 2) });
    expect(Math.max(...reads)).toBe(BULK_PAGE);
    await second.stop();
  });

  it('writes no checkpoint on stop when nothing was folded since the one it started from, and one when something was', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 12; i++) await store.append('s', [ev('Odd', i)], 'any');
    const snapshots = new MemorySnapshotStore();
    const saves: string[] = [];
    const save = snapshots.save.bind(snapshots);
    snapshots.save = (s, mode) => {
      saves.push(`${s.name}@${s.position}`);
      return save(s, mode);
    };
    const first = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p], snapshots);
    await first.start();
    await waitFor(first, 12);
    await first.stop();
    expect(saves).toEqual(['odd@12']);

    // A restart with no new events: restored from that checkpoint, stopped without writing it again.
    const second = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p], snapshots);
    await second.start();
    expect(second.position).toBe(12);
    await second.stop();
    expect(saves).toEqual(['odd@12']);

    // One more event: the next stop keeps the views where they are.
    const third = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p], snapshots);
    await third.start();
    await store.append('s', [ev('Odd', 13)], 'any');
    await waitFor(third, 13);
    await third.stop();
    expect(saves).toEqual(['odd@12', 'odd@13']);
    const fourth = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p], snapshots);
    await fourth.start();
    expect(fourth.view('odd')).toEqual({ sum: 91, seen: 13 });
    await fourth.stop();
    expect(saves).toEqual(['odd@12', 'odd@13']);
  });

  it('stop() while start() folds a changed view from 0: no checkpoint saved, nothing subscribed, the next start folds it again', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 30; i++) await store.append(`s-${i % 3}`, [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const snapshots = new MemorySnapshotStore();
    const first = new ProjectionEngine(store, [counting('odd', 'Odd', 1).p, counting('even', 'Even', 1).p], snapshots);
    await first.start();
    await waitFor(first, 30);
    await first.stop();

    const set = [counting('odd', 'Odd', 1).p, counting('even', 'Even', 2).p];
    const subscribe = jest.spyOn(store, 'subscribe');
    const second = new ProjectionEngine(store, set, snapshots);
    const starting = second.start(); // folding "even" from 0 when the shutdown arrives
    await second.stop();
    await starting;
    expect(subscribe).not.toHaveBeenCalled();
    expect(snapshots.latest('even')).toBeNull(); // version 1 dropped at start, and no version-2 checkpoint claiming position 30

    const third = new ProjectionEngine(store, set, snapshots);
    await third.start();
    expect(third.view('even')).toEqual({ sum: 2 * 240, seen: 15 });
    await third.stop();
  });

  it('folds everything from 0 when no checkpoint is current', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 5; i++) await store.append('s', [ev('Odd', i)], 'any');
    const odd = counting('odd', 'Odd', 1);
    const engine = new ProjectionEngine(store, [odd.p], new MemorySnapshotStore());
    await engine.start();
    await waitFor(engine, 5);
    expect(engine.view('odd')).toEqual({ sum: 15, seen: 5 });
    await engine.stop();
  });
});

describe('ProjectionEngine.viewsAt: several views at one position', () => {
  /** Changes its view in place, as the ledger's projections do (Object.assign, a push): what a later fold does to a view handed out. */
  const inPlace = (name: string, type: string): Projection<{ seen: number[] }> => ({
    name,
    version: 1,
    initial: () => ({ seen: [] }),
    evolve: (v, e) => {
      if (e.type === type) v.seen.push((e.data as { n: number }).n);
      return v;
    },
  });

  it('at the live views\' position: those views, together (live); behind it: views folded apart, which a later fold leaves alone', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 6; i++) await store.append('s', [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const engine = new ProjectionEngine(store, [inPlace('odd', 'Odd'), inPlace('even', 'Even')], new MemorySnapshotStore());
    await engine.start();
    await waitFor(engine, 6);
    const live = await engine.viewsAt(['odd', 'even'], 6);
    expect(live.live).toBe(true);
    expect(live.views[0]).toBe(engine.view('odd'));
    expect(live.views[1]).toBe(engine.view('even'));
    const apart = await engine.viewsAt(['odd', 'even'], 4);
    expect(apart).toEqual({ live: false, views: [{ seen: [1, 3] }, { seen: [2, 4] }] });
    await store.append('s', [ev('Odd', 7)], 'any');
    await waitFor(engine, 7);
    // The live views moved in place (what a query that awaited meanwhile must check: position), the ones apart did not.
    expect(live.views[0]).toEqual({ seen: [1, 3, 5, 7] });
    expect(engine.position).toBe(7);
    expect(apart.views).toEqual([{ seen: [1, 3] }, { seen: [2, 4] }]);
    const at6 = await engine.viewsAt(['odd', 'even'], 6);
    expect(at6).toEqual({ live: false, views: [{ seen: [1, 3, 5] }, { seen: [2, 4, 6] }] });
    await engine.stop();
  });

  it('behind the live views, asked again at the same position: every view of the question comes from memory (the as-of cache keeps a position\'s views together), and a question at another position replaces them', async () => {
    const store = new MemoryEventStore();
    for (let i = 1; i <= 8; i++) await store.append('s', [ev(i % 2 ? 'Odd' : 'Even', i)], 'any');
    const odd = counting('odd', 'Odd', 1);
    const even = counting('even', 'Even', 1);
    const engine = new ProjectionEngine(store, [odd.p, even.p], new MemorySnapshotStore());
    await engine.start();
    await waitFor(engine, 8);
    const folds = (): number => odd.calls.n + even.calls.n;
    const before = folds();
    const first = await engine.viewsAt(['odd', 'even'], 5);
    expect(first.views).toEqual([{ sum: 9, seen: 3 }, { sum: 6, seen: 2 }]);
    const foldedOnce = folds() - before;
    expect(foldedOnce).toBeGreaterThan(0);
    // The same question, then each view alone, then the pair again: nothing folded (a cache of one view folded both again each time).
    const again = await engine.viewsAt(['odd', 'even'], 5);
    expect(await engine.viewAt('even', 5)).toBe(first.views[1]);
    expect(await engine.viewAt('odd', 5)).toBe(first.views[0]);
    expect(again.views[0]).toBe(first.views[0]);
    expect(again.views[1]).toBe(first.views[1]);
    expect(folds() - before).toBe(foldedOnce);
    // Another position: folded (its own), and the first position's views are no longer kept (one position at a time by default).
    expect((await engine.viewsAt(['odd', 'even'], 3)).views).toEqual([{ sum: 4, seen: 2 }, { sum: 2, seen: 1 }]);
    const afterOther = folds();
    expect(afterOther).toBeGreaterThan(before + foldedOnce);
    const back = await engine.viewsAt(['odd', 'even'], 5);
    expect(back.views).toEqual(first.views);
    expect(back.views[0]).not.toBe(first.views[0]);
    expect(folds()).toBeGreaterThan(afterOther);
    await engine.stop();
  });
});

describe('ProjectionEngine start-up on a SQLite file another process shares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-shared-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A view kept in parts (one per bucket), as the funding view keeps its years. */
  const parted: Projection<Record<string, number[]>> = {
    name: 'parted',
    version: 1,
    initial: () => ({}),
    evolve: (v, e) => {
      const n = (e.data as { n: number }).n;
      (v[`b${n % 5}`] ??= []).push(n);
      return v;
    },
    serialize: (v) => ({ state: JSON.stringify(Object.keys(v)), parts: Object.fromEntries(Object.entries(v).map(([k, ns]) => [k, JSON.stringify(ns)])) }),
    deserialize: (state, _purpose, part) => Object.fromEntries((JSON.parse(state) as string[]).map((k) => [k, JSON.parse(part(k)) as number[]])),
  };
  const plain = counting('odd', 'Odd', 1).p;
  const fold = (n: number) => {
    const v: Record<string, number[]> = {};
    for (let i = 1; i <= n; i++) (v[`b${i % 5}`] ??= []).push(i);
    return v;
  };

  /** Process 1 folds `n` events and stops (its checkpoint at n); returns its store, still open (another process on the file). */
  const firstProcess = async (path: string, n: number) => {
    const store = new SqliteEventStore({ path });
    for (let i = 1; i <= n; i++) await store.append(`s-${i}`, [ev(i % 2 ? 'Odd' : 'Even', i)], 'no_stream');
    const engine = new ProjectionEngine(store, [parted, plain], new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent }), { historyEvery: 1_000 });
    await engine.start();
    await engine.caughtUp(n);
    await engine.stop();
    return store;
  };

  it("restores the checkpoint it began to read although another process replaces it meanwhile (deleting its parts): one consistent read", async () => {
    const path = join(dir, 'replaced.sqlite');
    const one = await firstProcess(path, 12);
    // Process 1 goes on: three more events, its views saved when it wants (as at its shutdown).
    for (let i = 13; i <= 15; i++) await one.append(`s-${i}`, [ev('Odd', i)], 'no_stream');
    const engine1 = new ProjectionEngine(one, [parted, plain], new SqliteSnapshotStore(one.db, { writeIntent: one.writeIntent }), { historyEvery: 1_000 });
    await engine1.start();
    await engine1.caughtUp(15);

    // Process 2 starts; right after it has read which checkpoint to restore (12), process 1 saves its own (15).
    const two = new SqliteEventStore({ path });
    const inner = new SqliteSnapshotStore(two.db, { writeIntent: two.writeIntent });
    let replaced = false;
    const staged = (s: StoredSnapshot | null): StoredSnapshot | null =>
      s && {
        ...s,
        part: (key: string) => {
          if (!replaced) {
            replaced = true;
            engine1.saveCheckpoint();
          }
          return s.part(key);
        },
      };
    const snapshots: SnapshotStore = Object.assign(Object.create(inner) as SqliteSnapshotStore, {
      latest: (name: string) => staged(inner.latest(name)),
      atOrBefore: (name: string, version: number, position: number) => staged(inner.atOrBefore(name, version, position)),
    });
    const engine2 = new ProjectionEngine(two, [parted, plain], snapshots, { historyEvery: 1_000 });
    // It was: "snapshot parted@12 has no part b1", and the server did not start.
    await engine2.start();
    expect(replaced).toBe(true);
    await engine2.caughtUp(15);
    expect(engine2.view('parted')).toEqual(fold(15));
    expect(engine2.view('parted')).toEqual(engine1.view('parted'));
    await engine2.stop();
    await engine1.stop();
    await two.close();
    await one.close();
  });

  it('a process stopping behind another one keeps the newer checkpoint the other saved (`ledger replay` beside a server): only a newer one replaces it', async () => {
    const path = join(dir, 'newer.sqlite');
    const one = await firstProcess(path, 12);
    await one.append('s-13', [ev('Odd', 13)], 'no_stream');
    // Process 1's views follow the log only up to 13 (as replay's stop there): the server's later writes stay unseen.
    const upTo13 = Object.assign(Object.create(one) as SqliteEventStore, {
      subscribe: (after: number, onEvents: (es: Parameters<Parameters<SqliteEventStore['subscribe']>[1]>[0]) => Promise<void> | void, onError?: (e: unknown) => void) =>
        one.subscribe(after, (es) => onEvents(es.filter((e) => e.position <= 13)), onError),
    });
    const engine1 = new ProjectionEngine(upTo13, [parted, plain], new SqliteSnapshotStore(one.db, { writeIntent: one.writeIntent }), { historyEvery: 1_000 });
    await engine1.start();
    await engine1.caughtUp(13);
    // Process 2 (a server) records two more and saves its checkpoint at 15.
    const two = new SqliteEventStore({ path });
    for (let i = 14; i <= 15; i++) await two.append(`s-${i}`, [ev('Odd', i)], 'no_stream');
    const engine2 = new ProjectionEngine(two, [parted, plain], new SqliteSnapshotStore(two.db, { writeIntent: two.writeIntent }), { historyEvery: 1_000 });
    await engine2.start();
    await engine2.caughtUp(15);
    await engine2.stop();
    const stored = () => one.db.prepare("SELECT position FROM projection_snapshots WHERE name IN ('parted', 'odd') ORDER BY name").pluck().all();
    expect(stored()).toEqual([15, 15]);
    // Process 1 stops at 13 (it was: its checkpoint at 13 replaced the one at 15).
    expect(engine1.position).toBe(13);
    await engine1.stop();
    expect(stored()).toEqual([15, 15]);
    // A later start restores 15 whole.
    const engine3 = new ProjectionEngine(two, [parted, plain], new SqliteSnapshotStore(two.db, { writeIntent: two.writeIntent }), { historyEvery: 1_000 });
    await engine3.start();
    expect(engine3.position).toBe(15);
    expect(engine3.view('parted')).toEqual(fold(15));
    // And a process ahead of the stored checkpoint still replaces it.
    await two.append('s-16', [ev('Odd', 16)], 'no_stream');
    await engine3.caughtUp(16);
    await engine3.stop();
    expect(stored()).toEqual([16, 16]);
    await two.close();
    await one.close();
  });

  it('a checkpoint that lacks a part it names is not restored: that view is folded again from 0 (with a warning), the others are restored', async () => {
    const path = join(dir, 'damaged.sqlite');
    await (await firstProcess(path, 12)).close();
    const damage = new Database(path);
    expect(damage.prepare("DELETE FROM projection_snapshot_parts WHERE name = 'parted' AND part = 'b2'").run().changes).toBe(1);
    damage.close();
    const store = new SqliteEventStore({ path });
    const warnings: string[] = [];
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation((w: string | Error) => void warnings.push(String(w)));
    try {
      const odd = counting('odd', 'Odd', 1);
      const engine = new ProjectionEngine(store, [parted, odd.p], new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent }), { historyEvery: 1_000 });
      await engine.start();
      expect(engine.position).toBe(12);
      expect(engine.view('parted')).toEqual(fold(12));
      expect(odd.calls.n).toBe(0); // restored from its checkpoint
      expect(warnings).toEqual([expect.stringContaining('snapshot parted@12 has no part b2: the parted view is folded again from position 0 instead')]);
      await engine.stop();
    } finally {
      warn.mockRestore();
    }
    // The checkpoint saved after the fold is whole again.
    const again = new ProjectionEngine(store, [parted, plain], new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent }), { historyEvery: 1_000 });
    await again.start();
    expect(again.view('parted')).toEqual(fold(12));
    await again.stop();
    await store.close();
  });
});

describe('ProjectionEngine as-of answers on a SQLite file a newer release shares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-as-of-shared-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Kept in parts and, as of a past position, read part by part only when asked (as the funding view's years are). */
  const lazy: Projection<Record<string, number[]> | { get(k: string): number[] }> = {
    name: 'lazy',
    version: 1,
    initial: () => ({}),
    evolve: (v, e) => {
      const n = (e.data as { n: number }).n;
      const key = `b${n % 3}`;
      // A view read back lazily stays lazy as later events are folded onto it (its parts still unread).
      if ('get' in v && typeof v.get === 'function') {
        const base = v as { get(k: string): number[] };
        return { get: (k: string) => (k === key ? [...base.get(k), n] : base.get(k)) };
      }
      const all = v as Record<string, number[]>;
      return { ...all, [key]: [...(all[key] ?? []), n] };
    },
    serialize: (v) => ({ state: JSON.stringify(Object.keys(v)), parts: Object.fromEntries(Object.entries(v as Record<string, number[]>).map(([k, ns]) => [k, JSON.stringify(ns)])) }),
    deserialize: (state, purpose, part) => {
      const keys = JSON.parse(state) as string[];
      if (purpose === 'live') return Object.fromEntries(keys.map((k) => [k, JSON.parse(part(k)) as number[]]));
      return { get: (k: string) => (keys.includes(k) ? (JSON.parse(part(k)) as number[]) : []) };
    },
  };
  const read = (v: unknown, k: string): number[] => ('get' in (v as object) ? (v as { get(k: string): number[] }).get(k) : ((v as Record<string, number[]>)[k] ?? []));

  it('a history snapshot a newer release discards before its parts are read: that answer fails with MissingPartError, the view is forgotten, and the same question asked again is answered from what is still stored', async () => {
    const path = join(dir, 'as-of.sqlite');
    const store = new SqliteEventStore({ path });
    // A history snapshot every 5 positions, none at 12: an as-of view at 13 starts from the one at 10.
    for (let i = 1; i <= 20; i++) await store.append(`s-${i}`, [ev('Odd', i)], 'no_stream');
    const snapshots = new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent });
    const engine = new ProjectionEngine(store, [lazy], snapshots, { historyEvery: 5, asOfCacheSize: 4 });
    await engine.start();
    await engine.caughtUp(20);
    snapshots.flush();
    expect(snapshots.atOrBefore(historyName('lazy'), 1, 13)?.position).toBe(10);

    const first = await engine.viewAt('lazy', 13);
    expect(await engine.viewAt('lazy', 13)).toBe(first); // kept (the as-of cache)

    // A newer release of the fold starts on the same file: it discards this version's snapshots, history included.
    const other = new SqliteEventStore({ path });
    expect(new SqliteSnapshotStore(other.db, { writeIntent: other.writeIntent }).discardOtherVersions(['lazy', historyName('lazy')], 2)).toBeGreaterThan(0);
    await other.close();

    expect(() => read(first, 'b1')).toThrow(MissingPartError);
    // Asked again: not the view that failed, but one folded from what is stored now (nothing: from 0), and right.
    const again = await engine.viewAt('lazy', 13);
    expect(again).not.toBe(first);
    for (const k of ['b0', 'b1', 'b2']) expect(read(again, k)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1).filter((n) => n % 3 === Number(k[1])));
    await engine.stop();
    await store.close();
  });
});
