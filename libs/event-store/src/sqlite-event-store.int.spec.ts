import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract, ev } from './event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { SCHEMA_VERSION } from './sqlite-schema';

const dir = mkdtempSync(join(tmpdir(), 'ledger-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const paths = new WeakMap<object, string>();

eventStoreContract({
  name: 'SQLite (temp file)',
  create: async ({ clock }) => {
    const path = join(dir, `contract-${++n}.sqlite`);
    const store = new SqliteEventStore({ path, clock, pollMs: 50 });
    paths.set(store, path);
    return store;
  },
  reopen: async (store) => {
    const path = paths.get(store)!;
    await store.close();
    const again = new SqliteEventStore({ path, pollMs: 50 });
    paths.set(again, path);
    return again;
  },
  contiguousPositions: true,
  uniqueEventIdsAcrossStreams: true,
});

describe('SQLite adapter specifics', () => {
  it('uses WAL, synchronous=FULL and versioned migrations that run once', async () => {
    const path = join(dir, 'pragmas.sqlite');
    const store = new SqliteEventStore({ path });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await store.append('s-1', [ev()], 'no_stream');
    await store.close();
    const again = new SqliteEventStore({ path });
    const versions = again.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    expect(await again.readStream('s-1')).toHaveLength(1);
    await again.close();
  });

  it('says in its shared write-intent flag when a commit wants the write lock (1 inside, 0 after, a failed append too)', async () => {
    const seen: number[] = [];
    let store: SqliteEventStore | null = null;
    // The clock is read inside the append's transaction.
    const clock = (): Date => {
      if (store) seen.push(Atomics.load(store.writeIntent, 0));
      return new Date();
    };
    store = new SqliteEventStore({ path: join(dir, 'intent.sqlite'), clock });
    expect(store.writeIntent.buffer).toBeInstanceOf(SharedArrayBuffer);
    await Promise.all([store.append('a', [ev()], 'no_stream'), store.append('b', [ev()], 'no_stream')]);
    await store.append('c', [ev()], 'no_stream');
    expect(seen).toEqual([1, 1, 1]);
    expect(Atomics.load(store.writeIntent, 0)).toBe(0);
    await expect(store.append('c', [ev()], 'no_stream')).rejects.toThrow();
    expect(Atomics.load(store.writeIntent, 0)).toBe(0);
    await store.close();
  });

  it('declares UNIQUE(stream_id, revision) and UNIQUE(event_id) in the schema', async () => {
    const store = new SqliteEventStore({ path: join(dir, 'schema.sqlite') });
    const indexes = store.db.prepare("SELECT name FROM pragma_index_list('events') WHERE \"unique\" = 1").all() as { name: string }[];
    const cols = indexes.map((i) => (store.db.prepare(`SELECT name FROM pragma_index_info('${i.name}') ORDER BY seqno`).all() as { name: string }[]).map((c) => c.name).join(','));
    expect(cols).toEqual(expect.arrayContaining(['stream_id,revision', 'event_id']));
    // The constraint itself (not only our check) refuses a second row at the same revision.
    await store.append('s', [ev()], 'no_stream');
    const row = store.db.prepare('SELECT * FROM events WHERE stream_id = ?').get('s') as Record<string, unknown>;
    expect(() => store.db.prepare('INSERT INTO events (position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(99, 'another-id', 's', row.revision, 'X', 1, '{}', '{}', row.recorded_at, null, 'h')).toThrow(/UNIQUE/);
    await store.close();
  });

  it('a subscriber far behind catches up in pages of at most 1,000 events, every event once and in order', async () => {
    const path = join(dir, 'catch-up.sqlite');
    const writer = new SqliteEventStore({ path });
    // 2,345 events in one stream, 500 per append (so it is quick).
    for (let k = 0; k < 2345; k += 500) {
      await writer.append('long', Array.from({ length: Math.min(500, 2345 - k) }, (_, i) => ev('Step', { step: k + i })), k === 0 ? 'no_stream' : k - 1);
    }
    const reader = new SqliteEventStore({ path, pollMs: 20 });
    const batches: number[] = [];
    const positions: number[] = [];
    const sub = reader.subscribe(0, (b) => {
      batches.push(b.length);
      positions.push(...b.map((e) => e.position));
    });
    const end = Date.now() + 5000;
    while (positions.length < 2345 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    sub.unsubscribe();
    expect(positions).toEqual(Array.from({ length: 2345 }, (_, i) => i + 1));
    expect(batches).toEqual([1000, 1000, 345]);
    await writer.close();
    await reader.close();
  });

  it('two store instances on one file (two processes) see each other: a subscriber picks up appends from the other by polling', async () => {
    const path = join(dir, 'shared.sqlite');
    const writer = new SqliteEventStore({ path });
    const reader = new SqliteEventStore({ path, pollMs: 20 });
    const seen: string[] = [];
    const sub = reader.subscribe(0, (b) => { seen.push(...b.map((e) => e.type)); });
    await writer.append('x', [ev('One')], 'no_stream');
    await writer.append('x', [ev('Two')], 0);
    const end = Date.now() + 3000;
    while (seen.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    sub.unsubscribe();
    expect(seen).toEqual(['One', 'Two']);
    await expect(reader.append('x', [ev()], 0)).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION', actual: 1 });
    await writer.close();
    await reader.close();
  });
});
