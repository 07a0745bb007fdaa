/**
 * The projection engine over the EventStoreDB adapter (its in-process stand-in of the client) when a
 * stream is hard-deleted (tombstoned) on the node: the views stop just before the tombstone, say why
 * (viewsStopped, retrying), refuse at once with the stored StreamDeletedOnNodeError a wait for a
 * position past it (a waiter already waiting too), never a ProjectionLagError after the wait; once the
 * node is restored they go on by themselves and the stored error is cleared.
 */
import { randomUUID } from 'node:crypto';
import { RecordedEvent } from '../../domain/src/shared';
import { StreamDeletedOnNodeError } from '../../event-store/src/errors';
import { ev } from '../../event-store/src/event-store.contract';
import { EventStoreDbEventStore } from '../../event-store/src/eventstoredb-event-store';
import { FakeEsdbClient } from '../../event-store/src/eventstoredb-fake-client.fixture';
import { until } from '../../event-store/src/wait-until.fixture';
import { Projection } from '../../projections/src/projection';
import { ProjectionEngine, ProjectionLagError } from './projection-engine';

const unique = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;
const caught = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: unknown) => e);
const counter: Projection<{ ids: string[] }> = { name: 'counter', version: 1, initial: () => ({ ids: [] }), evolve: (v, e: RecordedEvent) => ({ ids: [...v.ids, e.eventId] }) };

describe('ProjectionEngine at a stream hard-deleted on the EventStoreDB node', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(process, 'emitWarning').mockImplementation((() => undefined) as typeof process.emitWarning);
  });
  afterEach(() => warn.mockRestore());

  it('stops before the tombstone, refuses a wait past it at once with the stored error (waiters too), and goes on by itself once the node is restored', async () => {
    const node = new FakeEsdbClient();
    const store = new EventStoreDbEventStore(node);
    const errors: unknown[] = [];
    const engine = new ProjectionEngine(store, [counter], null, { waitTimeoutMs: 3_000, onError: (e) => errors.push(e) });
    try {
      const s = unique('centre');
      const kept = await store.append(s, [ev('Registered')], 'no_stream');
      await engine.start();
      expect(await until(() => engine.position === kept.position, 2_000)).toBe(true);
      expect(engine.viewsStopped).toBeNull();
      const t = Number(node.tombstone(s).position);
      const later = await store.append(unique('acc'), [ev('Opened')], 'no_stream');
      engine.noteAppended(later.position);
      // A read already waiting when the views stop is refused then, not after its 3 s wait.
      const started = Date.now();
      const waiting = caught(engine.readYourWrites());
      expect(await waiting).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s, position: t });
      expect(Date.now() - started).toBeLessThan(1_500);
      expect(engine.viewsStopped).toMatchObject({ error: { streamId: s, position: t }, position: kept.position, retrying: true });
      // A later one at once; the views themselves (as far as they got) are still there.
      const again = Date.now();
      expect(await caught(engine.caughtUp(later.position))).toMatchObject({ constructor: StreamDeletedOnNodeError, streamId: s });
      expect(Date.now() - again).toBeLessThan(100);
      expect(await caught(engine.caughtUp(kept.position))).toBe('resolved');
      expect(engine.view<{ ids: string[] }>('counter').ids).toEqual(kept.eventIds);
      expect(errors).toEqual([expect.objectContaining({ streamId: s })]);
      // Restored: the views go on (the subscription's next read, within its first pause) and the stored error is cleared.
      node.restore(s);
      expect(await until(() => engine.position === later.position, 4_000)).toBe(true);
      await engine.readYourWrites();
      expect(engine.viewsStopped).toBeNull();
      expect(engine.view<{ ids: string[] }>('counter').ids).toEqual([...kept.eventIds, ...later.eventIds]);
      expect(errors).toHaveLength(1);
    } finally {
      await engine.stop();
      await store.close();
    }
  }, 20_000);

  it('any other failure of the views is reported (viewsStopped, not retrying) and a read past it still waits and is refused ProjectionLagError, as before', async () => {
    const broken = new Error('event data is not JSON');
    /** Forwards reads of $all (the subscription's) fail with `broken` once `failing` is set. */
    class BrokenClient extends FakeEsdbClient {
      failing = false;
      override readAll(o: { direction?: string } = {}): any {
        if (!this.failing || o.direction === 'backwards') return super.readAll(o);
        return (async function* () {
          throw broken;
        })();
      }
    }
    const node = new BrokenClient();
    const store = new EventStoreDbEventStore(node);
    const errors: unknown[] = [];
    const engine = new ProjectionEngine(store, [counter], null, { waitTimeoutMs: 200, onError: (e) => errors.push(e) });
    try {
      await engine.start();
      node.failing = true;
      const a = await store.append(unique('acc'), [ev('Opened')], 'no_stream');
      engine.noteAppended(a.position);
      expect(await until(() => errors.length === 1, 2_000)).toBe(true);
      expect(engine.viewsStopped).toMatchObject({ error: broken, retrying: false });
      expect(await caught(engine.readYourWrites())).toBeInstanceOf(ProjectionLagError);
    } finally {
      await engine.stop();
      await store.close();
    }
  });
});
