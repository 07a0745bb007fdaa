import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StoreBusyError } from './errors';
import { eventStoreContract, ev } from './event-store.contract';
import { patiently, SqliteEventStore } from './sqlite-event-store';
import { LEGACY_RECEIPTS_TABLE, NewerSchemaError, RECEIPTS_TABLE, SCHEMA_VERSION } from './sqlite-schema';
import { toLayoutBeforeSenders } from './legacy-idempotency.fixture';

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

  it('a ledger made before keys were per sender: its receipts (the key alone) are kept as they were and found as such, read-only before the migration and after it; the key is then free for any sender\'s own claim', async () => {
    const path = join(dir, 'legacy-receipts.sqlite');
    const made = new SqliteEventStore({ path });
    const first = await made.append('s-old', [ev()], 'no_stream', { actorId: 'kari', key: 'k-old', requestHash: 'h-old' });
    await made.close();
    const raw = new Database(path);
    toLayoutBeforeSenders(raw);
    raw.close();
    // Read-only (export, an auditor's copy): not migrated, and still answers.
    const ro = new SqliteEventStore({ path, readonly: true });
    expect(await ro.findIdempotency('k-old', null)).toEqual({ actorId: null, key: 'k-old', requestHash: 'h-old', result: first });
    expect(await ro.findIdempotency('k-old', 'kari')).toBeNull();
    await ro.close();
    const store = new SqliteEventStore({ path });
    try {
      const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
      expect(versions.map((v) => v.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      expect(await store.findIdempotency('k-old', null)).toEqual({ actorId: null, key: 'k-old', requestHash: 'h-old', result: first });
      expect(await store.findIdempotency('k-old', 'kari')).toBeNull();
      // Whose a receipt of the key alone is, the command path tells (handleCommand); the store claims per sender.
      const mine = await store.append('s-new', [ev()], 'no_stream', { actorId: 'ola', key: 'k-old', requestHash: 'h-ola' });
      expect(await store.findIdempotency('k-old', 'ola')).toEqual({ actorId: 'ola', key: 'k-old', requestHash: 'h-ola', result: mine });
      expect(await store.findIdempotency('k-old', null)).toEqual({ actorId: null, key: 'k-old', requestHash: 'h-old', result: first });
      await expect(store.append('s-new', [ev()], 'any', { actorId: '', key: 'k-x', requestHash: 'h' })).rejects.toThrow(/must not be empty/);
      expect(await store.findIdempotency('k-old', '')).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('migration 3 moves the receipts to idempotency_receipts (the old rows under the empty sender) and drops idempotency, so a build from before cannot prepare its statements on a migrated file', async () => {
    const path = join(dir, 'receipts-renamed.sqlite');
    const made = new SqliteEventStore({ path });
    const first = await made.append('s-old', [ev()], 'no_stream', { actorId: 'kari', key: 'k-old', requestHash: 'h-old' });
    await made.close();
    const raw = new Database(path);
    toLayoutBeforeSenders(raw);
    raw.close();
    const store = new SqliteEventStore({ path });
    try {
      const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'idempotency%' ORDER BY name").pluck().all() as string[]);
      expect(tables).toEqual([RECEIPTS_TABLE]);
      expect(store.db.prepare(`SELECT actor_id, key, request_hash, result FROM ${RECEIPTS_TABLE}`).all()).toEqual([{ actor_id: '', key: 'k-old', request_hash: 'h-old', result: JSON.stringify(first) }]);
      // What the previous release prepares when it opens the file (cefa938's SqliteEventStore constructor).
      expect(() => store.db.prepare(`SELECT key, request_hash, result FROM ${LEGACY_RECEIPTS_TABLE} WHERE key = ?`)).toThrow(/no such table: idempotency/);
      expect(() => store.db.prepare(`INSERT INTO ${LEGACY_RECEIPTS_TABLE} (key, request_hash, result, recorded_at) VALUES (?, ?, ?, ?)`)).toThrow(/no such table: idempotency/);
    } finally {
      await store.close();
    }
  });

  it('a file whose schema version is newer than this code knows is refused when opened for writing, with one line and nothing changed; read-only opens are not migrations', async () => {
    const path = join(dir, 'newer-schema.sqlite');
    const made = new SqliteEventStore({ path });
    await made.append('s-1', [ev()], 'no_stream');
    await made.close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, new Date().toISOString());
    raw.close();
    const open = () => new SqliteEventStore({ path });
    expect(open).toThrow(NewerSchemaError);
    expect(open).toThrow(
      `this ledger file was written by a newer version of the ledger (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION}): use that version or newer`,
    );
    const after = new Database(path, { readonly: true });
    try {
      expect(after.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([...Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1), SCHEMA_VERSION + 1]);
      expect(after.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    } finally {
      after.close();
    }
    // The version this code knows is opened as before.
    const same = join(dir, 'same-schema.sqlite');
    await new SqliteEventStore({ path: same }).close();
    const again = new SqliteEventStore({ path: same });
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
    const end = Date.now() + 30_000; // waited for until all arrived (or this long, on a loaded machine)
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
    const end = Date.now() + 30_000; // waited for until both arrived (or this long, on a loaded machine)
    while (seen.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    sub.unsubscribe();
    expect(seen).toEqual(['One', 'Two']);
    await expect(reader.append('x', [ev()], 0)).rejects.toMatchObject({ code: 'STREAM.WRONG_EXPECTED_REVISION', actual: 1 });
    await writer.close();
    await reader.close();
  });
});

describe('SQLite: the write lock held by another connection (another process, a backup, a sqlite3 shell)', () => {
  /** A second connection to the file that takes the write lock now (same thread: it is released from a timer, which only runs because the store's wait leaves the event loop free). */
  const holdLock = (path: string): { release: () => void } => {
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    return {
      release: () => {
        if (other.inTransaction) other.exec('ROLLBACK');
        other.close();
      },
    };
  };
  /** The longest gap between ticks of a 5-ms interval while `p` runs: how long the event loop was blocked. */
  const longestStall = async <T>(p: Promise<T>): Promise<{ value: T | undefined; error: unknown; stall: number }> => {
    let last = Date.now();
    let stall = 0;
    const timer = setInterval(() => {
      const now = Date.now();
      stall = Math.max(stall, now - last);
      last = now;
    }, 5);
    try {
      return { value: await p, error: undefined, stall };
    } catch (error) {
      return { value: undefined, error, stall };
    } finally {
      clearInterval(timer);
    }
  };

  it('an append waits without blocking the event loop, then is refused with StoreBusyError (STORE.BUSY, 503) after busyWaitMs; nothing recorded', async () => {
    const path = join(dir, 'busy-refused.sqlite');
    const store = new SqliteEventStore({ path, busyWaitMs: 1_000 });
    await store.append('before', [ev()], 'no_stream');
    const lock = holdLock(path);
    try {
      const started = Date.now();
      const { error, stall } = await longestStall(store.append('s', [ev()], 'no_stream'));
      const took = Date.now() - started;
      expect(error).toBeInstanceOf(StoreBusyError);
      expect(error).toMatchObject({ code: 'STORE.BUSY', kind: 'unavailable', message: 'The ledger is busy with another writer; nothing was recorded. Retry in a moment.' });
      expect((error as StoreBusyError).waitedMs).toBeGreaterThanOrEqual(1_000);
      expect(took).toBeGreaterThanOrEqual(1_000);
      expect(took).toBeLessThan(4_000); // refused after its wait, not at SQLite's whim (bounds loose: a loaded machine)
      // The event loop ran throughout: never blocked for the wait, or half of it (SQLite's own busy handler
      // sleeps a few ms at most per try; the margin is for a loaded machine's scheduler, not for the store).
      expect(stall).toBeLessThan(500);
      expect(Atomics.load(store.writeIntent, 0)).toBe(0);
    } finally {
      lock.release();
    }
    expect(await store.readStream('s')).toEqual([]);
    expect(await store.headPosition()).toBe(1);
    // The lock gone, the same append goes through.
    expect((await store.append('s', [ev()], 'no_stream')).position).toBe(2);
    await store.close();
  });

  it('released while an append waits: it is recorded, and appends made meanwhile join it (one batch), each with its own checks', async () => {
    const path = join(dir, 'busy-released.sqlite');
    const store = new SqliteEventStore({ path });
    const lock = holdLock(path);
    const first = store.append('a', [ev()], 'no_stream');
    await new Promise((r) => setTimeout(r, 30));
    expect(Atomics.load(store.writeIntent, 0)).toBe(1); // raised while it waits: the snapshot writer thread keeps giving way
    const more = [store.append('b', [ev()], 'no_stream'), store.append('a', [ev()], 'no_stream'), store.append('c', [ev(), ev()], 'no_stream')];
    setTimeout(() => lock.release(), 150);
    const started = Date.now();
    const [ra, rb, conflict, rc] = await Promise.allSettled([first, ...more]);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(ra).toMatchObject({ status: 'fulfilled', value: { streamId: 'a', revision: 0 } });
    expect(rb).toMatchObject({ status: 'fulfilled', value: { streamId: 'b', revision: 0 } });
    expect(conflict).toMatchObject({ status: 'rejected', reason: { code: 'STREAM.WRONG_EXPECTED_REVISION' } });
    expect(rc).toMatchObject({ status: 'fulfilled', value: { streamId: 'c', revision: 1 } });
    const positions = (store.db.prepare('SELECT position FROM events ORDER BY position').pluck().all() as number[]);
    expect(positions).toEqual([1, 2, 3, 4]);
    expect(Atomics.load(store.writeIntent, 0)).toBe(0);
    await store.close();
  });

  it('refuseBusyWaits (shutdown) and close() end a wait at once: StoreBusyError, nothing recorded, no hang', async () => {
    const path = join(dir, 'busy-shutdown.sqlite');
    const store = new SqliteEventStore({ path });
    const lock = holdLock(path);
    try {
      const waiting = store.append('s', [ev()], 'no_stream');
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      store.refuseBusyWaits();
      await expect(waiting).rejects.toBeInstanceOf(StoreBusyError);
      expect(Date.now() - started).toBeLessThan(100);
      // Later appends that find the lock held are refused at their first try.
      await expect(store.append('t', [ev()], 'no_stream')).rejects.toBeInstanceOf(StoreBusyError);
      const again = new SqliteEventStore({ path });
      const pending = again.append('u', [ev()], 'no_stream');
      await new Promise((r) => setTimeout(r, 20));
      await again.close();
      await expect(pending).rejects.toBeInstanceOf(StoreBusyError);
    } finally {
      lock.release();
    }
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });

  it('patiently: a write on the store\'s connection outside the append path (a projection checkpoint) waits for the lock as before, then the short timeout is back', async () => {
    const path = join(dir, 'busy-patient.sqlite');
    const store = new SqliteEventStore({ path });
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5);
    // Another thread holds the lock until this one is about to wait, then 300 ms more (this thread is blocked inside
    // SQLite meanwhile). A hold counted from when it was taken could end before the first try on a loaded machine.
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const go = new Int32Array(new SharedArrayBuffer(4));
    const holder = new Worker(
      `const { workerData } = require('node:worker_threads');
       const D = require(workerData.sqlite);
       const db = new D(workerData.path);
       db.exec('BEGIN IMMEDIATE');
       const flag = new Int32Array(workerData.ready);
       Atomics.store(flag, 0, 1); Atomics.notify(flag, 0);
       Atomics.wait(new Int32Array(workerData.go), 0, 0, 30000);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
       db.exec('ROLLBACK'); db.close();`,
      { eval: true, workerData: { sqlite: require.resolve('better-sqlite3'), path, ready: ready.buffer, go: go.buffer } },
    );
    Atomics.wait(ready, 0, 0, 30000);
    const write = () => store.db.prepare("INSERT INTO projection_snapshots (name, version, position, state, saved_at) VALUES ('v', 1, 0, '{}', 'now')").run();
    expect(write).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    const started = Date.now();
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    patiently(store.db, write);
    expect(Date.now() - started).toBeGreaterThan(100);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5);
    await new Promise((r) => holder.once('exit', r));
    await store.close();
  });
});
