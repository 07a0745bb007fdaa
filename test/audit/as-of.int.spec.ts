import fc from 'fast-check';
import { ProjectionEngine } from '../../libs/application/src/projection-engine';
import { MemorySnapshotStore } from '../../libs/application/src/snapshot-store';
import { canonicalJson } from '../../libs/event-store/src/canonical-json';
import { MemoryEventStore } from '../../libs/event-store/src/memory-event-store';
import { ALL_PROJECTIONS } from '../../libs/projections/src';
import { steppingClock } from './fixtures';
import { generateHistory, writeHistory } from './history-generator';

/** A ledger built only from the events of `source` recorded at or before `t`, with their original recorded times. */
const ledgerUpTo = async (source: MemoryEventStore, t: string): Promise<MemoryEventStore> => {
  let now = new Date(0);
  const copy = new MemoryEventStore(() => now);
  for (const e of await source.readAll({ maxCount: 10_000 })) {
    if (e.recordedAt > t) break;
    now = new Date(e.recordedAt);
    await copy.append(e.streamId, [{ eventId: e.eventId, type: e.type, data: e.data, schemaVersion: e.schemaVersion, metadata: e.metadata }], 'any');
  }
  return copy;
};

const startedEngine = async (store: MemoryEventStore, historyEvery?: number): Promise<ProjectionEngine> => {
  const engine = new ProjectionEngine(store, ALL_PROJECTIONS, new MemorySnapshotStore(), { historyEvery });
  await engine.start();
  await engine.caughtUp(await store.headPosition());
  return engine;
};

describe('as-of answers (recorded time)', () => {
  it('for random histories, every view as of T equals the view of a ledger built only from the events recorded up to T', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 15, max: 90 }), fc.integer({ min: 2, max: 12 }), fc.array(fc.double({ min: -0.1, max: 1.1, noNaN: true }), { minLength: 1, maxLength: 4 }), async (seed, steps, historyEvery, fractions) => {
        const clock = steppingClock('2013-01-01T00:00:00.000Z');
        const store = new MemoryEventStore(clock.clock);
        await writeHistory(store, generateHistory(seed, steps), clock.advance);
        const engine = await startedEngine(store, historyEvery);
        const all = await store.readAll({ maxCount: 10_000 });
        const first = Date.parse(all[0].recordedAt);
        const last = Date.parse(all[all.length - 1].recordedAt);
        // Instants before the first event, between events, exactly at an event, and after the last.
        const instants = fractions.map((f) => new Date(Math.round(first + f * (last - first))).toISOString());
        instants.push(all[Math.floor(all.length / 2)].recordedAt);
        try {
          for (const t of instants) {
            const position = await engine.positionAt(t);
            const reference = await startedEngine(await ledgerUpTo(store, t));
            expect(reference.position).toBe(position);
            for (const p of ALL_PROJECTIONS) {
              const asOf = await engine.viewAt(p.name, position);
              expect({ name: p.name, t, view: canonicalJson(asOf) }).toEqual({ name: p.name, t, view: canonicalJson(reference.view(p.name)) });
            }
            await reference.stop();
          }
        } finally {
          await engine.stop();
        }
      }),
      { numRuns: 40, seed: 20140509 },
    );
  });

  it('answers from history snapshots: an as-of view does not change when later events arrive, and the live view is not touched', async () => {
    const clock = steppingClock('2013-01-01T00:00:00.000Z');
    const store = new MemoryEventStore(clock.clock);
    const steps = generateHistory(7, 60);
    await writeHistory(store, steps.slice(0, 40), clock.advance);
    const snapshots = new MemorySnapshotStore();
    const engine = new ProjectionEngine(store, ALL_PROJECTIONS, snapshots, { historyEvery: 10 });
    await engine.start();
    await engine.caughtUp(await store.headPosition());
    expect(snapshots.atOrBefore('history:centre-directory', 1, 25)?.position).toBe(20);
    expect(snapshots.atOrBefore('history:centre-directory', 1, 40)?.position).toBe(40);
    const before = canonicalJson(await engine.viewAt('centre-directory', 25));
    const live = canonicalJson(engine.view('centre-directory'));
    await writeHistory(store, steps.slice(40), clock.advance);
    await engine.caughtUp(await store.headPosition());
    expect(canonicalJson(await engine.viewAt('centre-directory', 25))).toBe(before);
    const fresh = await startedEngine(await ledgerUpTo(store, (await store.readAll({ after: 24, maxCount: 1 }))[0].recordedAt));
    expect(canonicalJson(fresh.view('centre-directory'))).toBe(before);
    expect(canonicalJson(await engine.viewAt('centre-directory', 40))).toBe(live);
    await fresh.stop();
    await engine.stop();
  });
});
