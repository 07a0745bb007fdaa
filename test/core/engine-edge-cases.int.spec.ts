/**
 * Edge cases of the projection engine and the read side's consistency (restore from checkpoints,
 * fold from zero, history snapshots, version changes, stop during start-up, SQLite caches shared
 * with another process, read-your-writes), first found in review.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateLedger } from '../../bench/src/generate';
import { RecordedEvent } from '../../libs/domain/src/shared';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { SqliteSnapshotStore } from '../../libs/application/src/snapshot-store';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { EventStore } from '../../libs/event-store/src/port';
import { SqliteEventStore } from '../../libs/event-store/src/sqlite-event-store';
import { ALL_PROJECTIONS, AnyProjection } from '../../libs/projections/src';

const dir = mkdtempSync(join(tmpdir(), 'engine-edge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const freshPath = (): string => join(dir, `ledger-${++fileNo}.sqlite`);

/** A realistic log of every event kind (the benchmark generator), read back as events. */
let source: RecordedEvent[] = [];
beforeAll(async () => {
  const out = join(dir, 'source.sqlite');
  generateLedger({ events: 2_500, seed: 11, out });
  const s = new SqliteEventStore({ path: out, readonly: true });
  for (;;) {
    const page = await s.readAll({ after: source.length === 0 ? 0 : source[source.length - 1].position, maxCount: 1_000 });
    if (page.length === 0) break;
    source.push(...page);
  }
  await s.close();
}, 60_000);

/** Appends events (copies of `source`) in order, many per group commit. */
const appendAll = async (store: EventStore, events: readonly RecordedEvent[]): Promise<number> => {
  let last = 0;
  for (let i = 0; i < events.length; i += 200) {
    const results = await Promise.all(
      events.slice(i, i + 200).map((e) => store.append(e.streamId, [{ eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata }], 'any')),
    );
    last = results[results.length - 1].position;
  }
  return last;
};

const clock = () => {
  let t = Date.parse('2013-01-01T00:00:00.000Z');
  return () => new Date((t += 60_000));
};

/** Every view of a fresh fold (no snapshots) of the store up to `upTo`, as canonical JSON. */
const freshViews = async (store: EventStore, upTo?: number, projections: readonly AnyProjection[] = ALL_PROJECTIONS): Promise<Map<string, string>> => {
  const engine = new ProjectionEngine(store, projections, null);
  const { views } = await engine.rebuild(upTo);
  return new Map([...views].map(([k, v]) => [k, canonicalJson(v)]));
};

const liveViews = (engine: ProjectionEngine): Map<string, string> => new Map(engine.projections.map((p) => [p.name, canonicalJson(engine.view(p.name))]));

const expectSameViews = (actual: Map<string, string>, expected: Map<string, string>, label: string): void => {
  const differing = [...expected.keys()].filter((k) => actual.get(k) !== expected.get(k));
  expect({ label, differing }).toEqual({ label, differing: [] });
};

const openSqlite = (path: string, background = true) => {
  const store = new SqliteEventStore({ path, clock: clock(), pollMs: 20 });
  const snapshots = new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent, background });
  return { store, snapshots };
};

const bumped = (name: string): readonly AnyProjection[] => ALL_PROJECTIONS.map((p) => (p.name === name ? { ...p, version: p.version + 100 } : p));

describe('restart equals a fresh fold', () => {
  it('clean stops and crashes (no stop) between chunks, small history cadence: every view after restart equals a fresh fold, and as-of answers equal a fresh fold up to the position', async () => {
    const path = freshPath();
    const chunks = [300, 407, 111, 650, 1, 500, 531];
    let from = 0;
    for (let k = 0; k < chunks.length; k++) {
      const { store, snapshots } = openSqlite(path);
      const engine = new ProjectionEngine(store, ALL_PROJECTIONS, snapshots, { historyEvery: 37, snapshotEvery: 90 });
      await engine.start();
      const restored = liveViews(engine);
      expectSameViews(restored, await freshViews(store, engine.position), `restored at ${engine.position} (start ${k})`);
      await appendAll(store, source.slice(from, from + chunks[k]));
      from += chunks[k];
      const head = await store.headPosition();
      await engine.caughtUp(head);
      expectSameViews(liveViews(engine), await freshViews(store, head), `live at ${head} (start ${k})`);
      // As-of answers at positions around history boundaries and checkpoints.
      for (const at of [1, 36, 37, 38, Math.floor(head / 2), head - 1, Math.max(1, head - 37)]) {
        if (at < 1 || at > head) continue;
        const fresh = await freshViews(store, at);
        const asOf = new Map<string, string>();
        for (const p of ALL_PROJECTIONS) asOf.set(p.name, canonicalJson(await engine.viewAt(p.name, at)));
        expectSameViews(asOf, fresh, `as of ${at} (start ${k})`);
      }
      if (k % 2 === 0) await engine.stop();
      else snapshots.close(); // a crash: no checkpoint saved on the way out (what the thread had is stored)
      await store.close();
    }
  }, 120_000);
});

describe('version change of one projection', () => {
  it.each(['funding', 'board-register', 'grants'])('bumping %s: restart folds it from 0 (with history), others restored; views and as-of equal a fresh fold, also after the next restart', async (prefix) => {
    const target = ALL_PROJECTIONS.find((p) => p.name.startsWith(prefix))!.name;
    const path = freshPath();
    let o = openSqlite(path);
    let engine = new ProjectionEngine(o.store, ALL_PROJECTIONS, o.snapshots, { historyEvery: 50, snapshotEvery: 170 });
    await engine.start();
    await appendAll(o.store, source.slice(0, 1_234));
    await engine.caughtUp(1_234);
    await engine.stop();
    await o.store.close();

    const set = bumped(target);
    o = openSqlite(path);
    engine = new ProjectionEngine(o.store, set, o.snapshots, { historyEvery: 50, snapshotEvery: 170 });
    await engine.start();
    expect(engine.position).toBe(1_234);
    expectSameViews(liveViews(engine), await freshViews(o.store, 1_234, set), 'after version change');
    for (const at of [49, 50, 51, 777, 1_200]) {
      const fresh = await freshViews(o.store, at, set);
      expect({ at, view: canonicalJson(await engine.viewAt(target, at)) }).toEqual({ at, view: fresh.get(target) });
    }
    await appendAll(o.store, source.slice(1_234, 1_900));
    await engine.caughtUp(1_900);
    expectSameViews(liveViews(engine), await freshViews(o.store, 1_900, set), 'live after version change');
    o.snapshots.close(); // crash
    await o.store.close();

    o = openSqlite(path);
    engine = new ProjectionEngine(o.store, set, o.snapshots, { historyEvery: 50, snapshotEvery: 170 });
    await engine.start();
    expectSameViews(liveViews(engine), await freshViews(o.store, engine.position, set), `restored at ${engine.position} after crash`);
    await engine.caughtUp(1_900);
    expectSameViews(liveViews(engine), await freshViews(o.store, 1_900, set), 'caught up after crash');
    for (const at of [1_234, 1_250, 1_899]) {
      const fresh = await freshViews(o.store, at, set);
      expect({ at, view: canonicalJson(await engine.viewAt(target, at)) }).toEqual({ at, view: fresh.get(target) });
    }
    await engine.stop();
    await o.store.close();
  }, 60_000);
});

describe('stop() while start() is still folding', () => {
  it('a shutdown that arrives while a changed projection is folded from 0 leaves no checkpoint claiming a position that view had not folded', async () => {
    const path = freshPath();
    let o = openSqlite(path);
    let engine = new ProjectionEngine(o.store, ALL_PROJECTIONS, o.snapshots, { historyEvery: 1_000_000 });
    await engine.start();
    await appendAll(o.store, source.slice(0, 1_500));
    await engine.caughtUp(1_500);
    await engine.stop();
    await o.store.close();

    // The next version of the directory fold: it is folded from 0 at start-up; SIGTERM arrives meanwhile
    // (Nest's shutdown hooks are enabled before app.init(), which runs engine.start()).
    const set = bumped('centre-directory');
    o = openSqlite(path);
    engine = new ProjectionEngine(o.store, set, o.snapshots, { historyEvery: 1_000_000 });
    const starting = engine.start();
    await engine.stop(); // onApplicationShutdown: engine.stop(), then store.close()
    await o.store.close();
    await starting.catch(() => undefined);

    o = openSqlite(path);
    engine = new ProjectionEngine(o.store, set, o.snapshots, { historyEvery: 1_000_000 });
    await engine.start();
    await engine.caughtUp(1_500);
    const fresh = await freshViews(o.store, 1_500, set);
    expect(canonicalJson(engine.view('centre-directory'))).toBe(fresh.get('centre-directory'));
    await engine.stop();
    await o.store.close();
  }, 60_000);
});

describe('another process appending to the same SQLite file', () => {
  const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
  const ev = (id: string) => ({ eventId: id, type: 'CountyRegistered', schemaVersion: 1, data: { countyId: id, name: id, countyNumber: '01' }, metadata: meta });

  it('the views see an event another process commits right after this store\'s own COMMIT (before it looks at data_version)', async () => {
    const path = freshPath();
    const a = new SqliteEventStore({ path, pollMs: 20 });
    const b = new SqliteEventStore({ path, pollMs: 20 });
    const engine = new ProjectionEngine(a, [ALL_PROJECTIONS.find((p) => p.name === 'centre-directory')!], null, { waitTimeoutMs: 1_500 });
    await engine.start();
    // The other process commits in the instant right after A's COMMIT, before A looks at anything
    // (afterOwnCommit runs next; it used to take data_version, B's commit included, as seen).
    const hooked = a as unknown as { afterOwnCommit: (...args: unknown[]) => void };
    const original = hooked.afterOwnCommit.bind(a);
    let armed = true;
    hooked.afterOwnCommit = (...args: unknown[]) => {
      if (armed) {
        armed = false;
        (b as unknown as { appendTx: { immediate: (...args: unknown[]) => unknown } }).appendTx.immediate('county-b', [ev('from-b')], 'any', undefined);
      }
      original(...args);
    };
    const mine = await a.append('county-a', [ev('from-a')], 'any');
    expect(armed).toBe(false);
    expect(mine.position).toBe(1);
    expect(await a.headPosition()).toBe(2);
    // Position 2 is committed and acknowledged to B's client, who reads from A with X-Ledger-Position: 2.
    await expect(engine.caughtUp(2)).resolves.toBeUndefined();
    expect(Object.keys(engine.view<{ counties: object }>('centre-directory').counties).sort()).toEqual(['from-a', 'from-b']);
    await engine.stop();
    await a.close();
    await b.close();
  }, 20_000);

  it('a command in this process reads a stream another process appended to (stream cache), and the views follow the other process by polling', async () => {
    const path = freshPath();
    const a = new SqliteEventStore({ path, pollMs: 20 });
    const b = new SqliteEventStore({ path, pollMs: 20 });
    const engine = new ProjectionEngine(a, [ALL_PROJECTIONS.find((p) => p.name === 'centre-directory')!], null, { waitTimeoutMs: 2_000 });
    await engine.start();
    await a.append('s', [ev('a1')], 'any');
    expect((await a.readStream('s')).length).toBe(1); // cached now
    await engine.caughtUp(1);
    await b.append('s', [ev('b1')], 'any');
    expect((await a.readStream('s')).map((e) => e.eventId)).toEqual(['a1', 'b1']);
    await engine.caughtUp(2);
    // Interleaved: own append right after a foreign one, same turn.
    const p1 = b.append('s', [ev('b2')], 'any');
    const p2 = a.append('t', [ev('a2')], 'any');
    await Promise.all([p1, p2]);
    await a.append('s', [ev('a3')], 2);
    expect((await a.readStream('s')).map((e) => e.eventId)).toEqual(['a1', 'b1', 'b2', 'a3']);
    await engine.caughtUp(await a.headPosition());
    expect(Object.keys(engine.view<{ counties: object }>('centre-directory').counties).sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
    await engine.stop();
    await a.close();
    await b.close();
  }, 20_000);
});

describe('a process that dies while history snapshots are being written', () => {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const root = join(__dirname, '..', '..');
  /** Starts an engine in a child process on `path`, folds to the head and exits at once (no stop, no close). */
  const foldAndDie = (path: string, historyEvery: number, snapshotEvery: number): void => {
    const script = `
      const { SqliteEventStore } = require(${JSON.stringify(join(root, 'libs/event-store/src/sqlite-event-store.ts'))});
      const { SqliteSnapshotStore } = require(${JSON.stringify(join(root, 'libs/application/src/snapshot-store.ts'))});
      const { ProjectionEngine } = require(${JSON.stringify(join(root, 'libs/application/src/projection-engine.ts'))});
      const { ALL_PROJECTIONS } = require(${JSON.stringify(join(root, 'libs/projections/src/index.ts'))});
      (async () => {
        const store = new SqliteEventStore({ path: ${JSON.stringify(path)} });
        const engine = new ProjectionEngine(store, ALL_PROJECTIONS, new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent }), { historyEvery: ${historyEvery}, snapshotEvery: ${snapshotEvery} });
        await engine.start();
        await engine.caughtUp(await store.headPosition());
        process.exit(0);
      })().catch((e) => { console.error(e); process.exit(3); });
    `;
    execFileSync(process.execPath, ['-r', join(root, 'test', 'helpers', 'swc-register.js'), '-e', script], { cwd: root, stdio: 'pipe' });
  };

  it.each([
    [25, 1_000_000],
    [40, 333],
  ])('historyEvery %i, snapshotEvery %i: the next start restores views that equal a fresh fold, and as-of answers too', async (historyEvery, snapshotEvery) => {
    const path = freshPath();
    let o = openSqlite(path);
    await appendAll(o.store, source.slice(0, 900));
    await o.store.close();
    foldAndDie(path, historyEvery, snapshotEvery);
    o = openSqlite(path);
    await appendAll(o.store, source.slice(900, 1_700));
    await o.store.close();
    foldAndDie(path, historyEvery, snapshotEvery);
    o = openSqlite(path);
    const engine = new ProjectionEngine(o.store, ALL_PROJECTIONS, o.snapshots, { historyEvery, snapshotEvery });
    await engine.start();
    expectSameViews(liveViews(engine), await freshViews(o.store, engine.position), `restored at ${engine.position}`);
    await engine.caughtUp(1_700);
    expectSameViews(liveViews(engine), await freshViews(o.store, 1_700), 'caught up');
    for (const at of [historyEvery, 899, 900, 901, 1_699]) {
      const fresh = await freshViews(o.store, at);
      const asOf = new Map<string, string>();
      for (const p of ALL_PROJECTIONS) asOf.set(p.name, canonicalJson(await engine.viewAt(p.name, at)));
      expectSameViews(asOf, fresh, `as of ${at}`);
    }
    await engine.stop();
    await o.store.close();
  }, 60_000);
});

describe('read-your-writes (QueryGate)', () => {
  const { QueryGate } = require('../../apps/api/src/ledger/query-gate') as typeof import('../../apps/api/src/ledger/query-gate');
  const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };
  const ev = (id: string) => ({ eventId: id, type: 'CountyRegistered', schemaVersion: 1, data: { countyId: id, name: id, countyNumber: '01' }, metadata: meta });

  it('a read that waits longer in total than the timeout for an acknowledged write and X-Ledger-Position is refused (503), not answered late', async () => {
    const store = new MemoryEventStore();
    const engine = new ProjectionEngine(store, [ALL_PROJECTIONS.find((p) => p.name === 'centre-directory')!], null, { waitTimeoutMs: 1_000 });
    await engine.start();
    // This process acknowledged position 1 (its views lag behind); the client names position 2.
    engine.noteAppended(1);
    const t1 = setTimeout(() => void store.append('a', [ev('one')], 'any'), 700);
    const t2 = setTimeout(() => void store.append('b', [ev('two')], 'any'), 1_400);
    const gate = new QueryGate(engine);
    const started = Date.now();
    const outcome = await gate.view('centre-directory', { headers: { 'x-ledger-position': '2' } }).then(
      () => `answered after ${Date.now() - started} ms`,
      (e: Error) => `refused: ${e.constructor.name}`,
    );
    clearTimeout(t1);
    clearTimeout(t2);
    expect(outcome).toBe('refused: ProjectionLagError');
    await engine.stop();
  }, 10_000);

  it('a read never returns a view without a write this process acknowledged (many concurrent writes and reads)', async () => {
    const path = freshPath();
    const store = new SqliteEventStore({ path, pollMs: 20 });
    const engine = new ProjectionEngine(store, [ALL_PROJECTIONS.find((p) => p.name === 'centre-directory')!], new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent }), { historyEvery: 7, snapshotEvery: 11 });
    await engine.start();
    const gate = new QueryGate(engine);
    const bad: string[] = [];
    await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const r = await store.append(`county-${i}`, [ev(`c${i}`)], 'no_stream');
        engine.noteAppended(r.position);
        const view = await gate.view<{ counties: Record<string, unknown> }>('centre-directory', {});
        if (!view.counties[`c${i}`]) bad.push(`c${i}`);
      }),
    );
    expect(bad).toEqual([]);
    await engine.stop();
    await store.close();
  }, 20_000);
});

describe('events from the tail (frozen, shared) and from the file (parsed afresh) fold alike', () => {
  it('every projection folds the generated log to the same view from frozen events as from fresh copies, and skips none', async () => {
    const { deepFreeze } = require('../../libs/event-store/src/deep-freeze') as typeof import('../../libs/event-store/src/deep-freeze');
    const { foldEvents, skippedEvents } = require('../../libs/projections/src') as typeof import('../../libs/projections/src');
    const frozen = source.map((e) => deepFreeze(structuredClone(e)));
    const before = JSON.stringify(skippedEvents);
    const differing = ALL_PROJECTIONS.filter((p) => canonicalJson(foldEvents(p, source.map((e) => structuredClone(e)))) !== canonicalJson(foldEvents(p, frozen))).map((p) => p.name);
    expect({ differing, skipped: JSON.stringify(skippedEvents) }).toEqual({ differing: [], skipped: before });
    expect(new Set(source.map((e) => e.type)).size).toBeGreaterThan(20);
  });
});
