import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { migrate } from '../../event-store/src/sqlite-schema';
import { SqliteEventStore } from '../../event-store/src/sqlite-event-store';
import { MemorySnapshotStore, MissingPartError, SnapshotStore, SqliteSnapshotStore } from './snapshot-store';
import { SnapshotWriter } from './snapshot-writer';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'snapshots-'));
  dirs.push(d);
  return d;
};
const opened: SqliteSnapshotStore[] = [];
afterAll(() => {
  for (const s of opened) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('SqliteSnapshotStore.atomically', () => {
  it('keeps the previous checkpoint of every view when a save fails half-way', () => {
    const db = new Database(':memory:');
    migrate(db);
    const store = new SqliteSnapshotStore(db);
    store.atomically(() => {
      store.save({ name: 'a', version: 1, position: 10, state: '{"n":1}' }, 'latest-only');
      store.save({ name: 'b', version: 1, position: 10, state: '{"n":1}' }, 'latest-only');
    });
    expect(() =>
      store.atomically(() => {
        store.save({ name: 'a', version: 1, position: 20, state: '{"n":2}' }, 'latest-only');
        throw new Error('crash between two saves');
      }),
    ).toThrow('crash between two saves');
    expect(store.latest('a')).toMatchObject({ position: 10, state: '{"n":1}' });
    expect(store.latest('b')).toMatchObject({ position: 10 });
    store.atomically(() => store.save({ name: 'a', version: 1, position: 30, state: '{"n":3}' }, 'latest-only'));
    expect(store.latest('a')).toMatchObject({ position: 30, state: '{"n":3}' });
    db.close();
  });
});

describe.each([
  ['SQLite', () => {
    const db = new Database(':memory:');
    migrate(db);
    const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    return { store: new SqliteSnapshotStore(db) as SnapshotStore, rows: (): number | null => count('projection_snapshot_parts'), texts: (): number | null => count('projection_snapshot_texts') };
  }],
  ['SQLite file, history snapshots written on a thread', () => {
    const db = new Database(join(tmp(), 'ledger.sqlite'));
    db.pragma('journal_mode = WAL');
    migrate(db);
    const store = new SqliteSnapshotStore(db);
    opened.push(store);
    // Counted after the thread has written what it was given.
    const count = (table: string) => (store.flush(), db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number);
    return { store: store as SnapshotStore, rows: (): number | null => count('projection_snapshot_parts'), texts: (): number | null => count('projection_snapshot_texts') };
  }],
  ['memory', () => ({ store: new MemorySnapshotStore() as SnapshotStore, rows: (): number | null => null, texts: (): number | null => null })],
])('%s snapshot store: parts', (_kind, make) => {
  it('reads parts back one by one or all at once, and refuses a part it does not have', () => {
    const { store } = make();
    store.save({ name: 'v', version: 1, position: 10, state: '{"a":1}', parts: { 'money/2014': '{"x":1}', staff: '[]' } }, 'keep-history');
    const s = store.atOrBefore('v', 1, 15)!;
    expect(s.state).toBe('{"a":1}');
    expect(s.part('money/2014')).toBe('{"x":1}');
    expect(s.allParts()).toEqual({ 'money/2014': '{"x":1}', staff: '[]' });
    expect(() => s.part('money/2013')).toThrow('has no part money/2013');
  });

  it('drops the parts of replaced checkpoints, and of the same position saved again', () => {
    const { store, rows } = make();
    store.save({ name: 'v', version: 1, position: 10, state: '{}', parts: { a: '1', b: '2' } }, 'latest-only');
    store.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { a: '3' } }, 'latest-only');
    expect(store.latest('v')!.allParts()).toEqual({ a: '3' });
    store.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { c: '4' } }, 'latest-only');
    expect(store.latest('v')!.allParts()).toEqual({ c: '4' });
    if (rows() !== null) expect(rows()).toBe(1);
  });

  it('stores a text that several snapshots share once, and forgets it when no part names it', () => {
    const { store, texts } = make();
    store.save({ name: 'h', version: 1, position: 10, state: '{}', parts: { 'money/2013': 'same', 'money/2014': 'a' } }, 'keep-history');
    store.save({ name: 'h', version: 1, position: 20, state: '{}', parts: { 'money/2013': 'same', 'money/2014': 'b' } }, 'keep-history');
    store.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { x: 'same' } }, 'latest-only');
    if (texts() !== null) expect(texts()).toBe(3);
    expect(store.atOrBefore('h', 1, 15)!.allParts()).toEqual({ 'money/2013': 'same', 'money/2014': 'a' });
    expect(store.atOrBefore('h', 1, 25)!.allParts()).toEqual({ 'money/2013': 'same', 'money/2014': 'b' });
    store.save({ name: 'v', version: 1, position: 30, state: '{}', parts: { x: 'new' } }, 'latest-only');
    if (texts() !== null) expect(texts()).toBe(4);
    store.discardOtherVersions(['h'], 2);
    if (texts() !== null) expect(texts()).toBe(1);
    expect(store.latest('v')!.part('x')).toBe('new');
  });

  it("discards another version's snapshots and their parts, history included, keeping the current version's", () => {
    const { store, rows } = make();
    store.save({ name: 'history:v', version: 1, position: 10, state: '{}', parts: { a: 'old' } }, 'keep-history');
    store.save({ name: 'history:v', version: 2, position: 20, state: '{}', parts: { a: 'new' } }, 'keep-history');
    store.save({ name: 'v', version: 1, position: 30, state: '{}', parts: { a: 'old' } }, 'latest-only');
    expect(store.discardOtherVersions(['v', 'history:v'], 2)).toBe(2);
    expect(store.latest('v')).toBeNull();
    expect(store.atOrBefore('history:v', 1, 100)).toBeNull();
    expect(store.atOrBefore('history:v', 2, 100)!.part('a')).toBe('new');
    if (rows() !== null) expect(rows()).toBe(1);
  });
});

describe('history snapshots written on a thread', () => {
  const fileDb = (): { db: Database.Database; path: string } => {
    const path = join(tmp(), 'ledger.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db);
    return { db, path };
  };
  const partsOf = (db: Database.Database, name: string, position: number) =>
    Object.fromEntries((db.prepare('SELECT p.part, t.state FROM projection_snapshot_parts p JOIN projection_snapshot_texts t ON t.hash = p.hash WHERE p.name = ? AND p.position = ?').all(name, position) as { part: string; state: string }[]).map((r) => [r.part, r.state]));

  it('are whole and readable by another connection once the store is closed; a part sent unchanged reuses the stored text', () => {
    const { db, path } = fileDb();
    const store = new SqliteSnapshotStore(db);
    const big = 'x'.repeat(100_000);
    for (let i = 1; i <= 20; i++) store.save({ name: 'history:v', version: 3, position: i * 10, state: `{"i":${i}}`, parts: { same: big, own: `{"i":${i}}` } }, 'keep-history');
    store.close();
    const other = new Database(path, { readonly: true });
    expect(other.prepare("SELECT COUNT(*) FROM projection_snapshots WHERE name = 'history:v' AND version = 3").pluck().get()).toBe(20);
    for (let i = 1; i <= 20; i++) expect(partsOf(other, 'history:v', i * 10)).toEqual({ same: big, own: `{"i":${i}}` });
    expect(other.prepare('SELECT COUNT(*) FROM projection_snapshot_texts').pluck().get()).toBe(21);
    other.close();
    // The store works on after close (a new thread), and reads its own writes at once.
    store.save({ name: 'history:v', version: 3, position: 210, state: '{}', parts: { same: big } }, 'keep-history');
    expect(store.atOrBefore('history:v', 3, 1_000)!.allParts()).toEqual({ same: big });
    store.close();
    db.close();
    // The thread's connection was closed first, so closing the main one last folded the WAL into the file and removed it.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a snapshot that fails half-way leaves nothing behind (no row, no part, no text)', () => {
    const { db, path } = fileDb();
    const writer = new SnapshotWriter(path);
    writer.write({ name: 'history:v', version: 1, position: 10, state: '{}', savedAt: '2026-01-01T00:00:00.000Z', parts: [['a', 'a text'], ['b', null]] }, 10);
    writer.flush();
    expect(writer.failed).toMatch(/part b was sent as unchanged/);
    writer.close();
    for (const table of ['projection_snapshots', 'projection_snapshot_parts', 'projection_snapshot_texts']) expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()).toBe(0);
    db.close();
  });

  const pause = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const job = (position: number, parts: [string, string][]) => ({ name: 'history:v', version: 1, position, state: `{"p":${position}}`, savedAt: '2026-01-01T00:00:00.000Z', parts });

  it('lets appends take the write lock first: while the flag says they want it, the thread holds no lock and writes nothing', () => {
    const { db, path } = fileDb();
    const intent = new Int32Array(new SharedArrayBuffer(4));
    const writer = new SnapshotWriter(path, { writeIntent: intent });
    Atomics.store(intent, 0, 1);
    writer.write(job(10, [['a', 'text a'], ['b', 'text b']]), 20);
    pause(150);
    // Another connection (the appends') can take the write lock at once, and finds nothing written yet.
    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    expect(other.prepare('SELECT COUNT(*) FROM projection_snapshot_parts').pluck().get()).toBe(0);
    expect(other.prepare('SELECT COUNT(*) FROM projection_snapshots').pluck().get()).toBe(0);
    other.exec('COMMIT');
    other.close();
    Atomics.store(intent, 0, 0);
    Atomics.notify(intent, 0);
    writer.flush();
    expect(writer.failed).toBeNull();
    writer.close();
    expect(partsOf(db, 'history:v', 10)).toEqual({ a: 'text a', b: 'text b' });
    db.close();
  });

  it('appends get the write lock in the middle of a snapshot, and the snapshot written around them is whole', () => {
    const { db, path } = fileDb();
    const intent = new Int32Array(new SharedArrayBuffer(4));
    const writer = new SnapshotWriter(path, { writeIntent: intent });
    const parts: [string, string][] = Array.from({ length: 3_000 }, (_, k) => [`p${k}`, JSON.stringify({ k, pad: 'y'.repeat(200) })]);
    writer.write(job(10, parts), 700_000);
    // An "append" on another connection, as the event store's group commit does it: flag up, write lock, commit, flag down.
    const appends = new Database(path);
    appends.pragma('busy_timeout = 5000');
    const seen: { parts: number; rows: number }[] = [];
    for (let k = 0; k < 20_000; k++) {
      Atomics.store(intent, 0, 1);
      appends.exec('BEGIN IMMEDIATE');
      const now = { parts: appends.prepare('SELECT COUNT(*) FROM projection_snapshot_parts').pluck().get() as number, rows: appends.prepare('SELECT COUNT(*) FROM projection_snapshots').pluck().get() as number };
      appends.exec('COMMIT');
      Atomics.store(intent, 0, 0);
      Atomics.notify(intent, 0);
      seen.push(now);
      if (now.rows === 1) break;
      pause(0.3);
    }
    appends.close();
    writer.flush();
    expect(writer.failed).toBeNull();
    writer.close();
    // The lock was had while the snapshot was half-way (without the flag the thread holds it for the whole snapshot)...
    expect(seen.some((o) => o.parts > 0 && o.parts < 3_000)).toBe(true);
    // ...and no half-way snapshot ever had its row.
    expect(seen.every((o) => o.rows === 0 || o.parts === 3_000)).toBe(true);
    expect(partsOf(db, 'history:v', 10)).toEqual(Object.fromEntries(parts));
    expect(db.prepare('SELECT COUNT(*) FROM projection_snapshot_texts').pluck().get()).toBe(3_000);
    db.close();
  });

  it('parts a write left without its row (a crash between its transactions) are removed with their texts when a thread starts', () => {
    const { db, path } = fileDb();
    db.prepare("INSERT INTO projection_snapshot_texts (hash, state) VALUES ('h-orphan', 'orphan text'), ('h-kept', 'kept text')").run();
    db.prepare("INSERT INTO projection_snapshots (name, version, position, state, saved_at) VALUES ('history:v', 1, 5, '{}', '2026-01-01T00:00:00.000Z')").run();
    db.prepare("INSERT INTO projection_snapshot_parts (name, position, part, hash) VALUES ('history:v', 5, 'k', 'h-kept'), ('history:v', 9, 'o', 'h-orphan')").run();
    const writer = new SnapshotWriter(path);
    writer.write(job(10, [['a', 'text a']]), 10);
    writer.close();
    expect(writer.failed).toBeNull();
    expect(db.prepare('SELECT name, position, part FROM projection_snapshot_parts ORDER BY position').all()).toEqual([
      { name: 'history:v', position: 5, part: 'k' },
      { name: 'history:v', position: 10, part: 'a' },
    ]);
    expect(db.prepare('SELECT state FROM projection_snapshot_texts ORDER BY state').pluck().all()).toEqual(['kept text', 'text a']);
    db.close();
  });

  /** Waits (blocking: the threads run on) until `probe` holds, at most `ms`; whether it did. */
  const until = (ms: number, probe: () => boolean): boolean => {
    for (const t0 = Date.now(); Date.now() - t0 < ms; pause(5)) if (probe()) return true;
    return probe();
  };
  const keysOf = (db: Database.Database, name: string, position: number) => db.prepare('SELECT part FROM projection_snapshot_parts WHERE name = ? AND position = ? ORDER BY part').pluck().all(name, position) as string[];
  const hasRow = (db: Database.Database, name: string, position: number) => db.prepare('SELECT 1 FROM projection_snapshots WHERE name = ? AND position = ?').get(name, position) !== undefined;

  it("a snapshot whose parts another process's thread removed while it was being written (its start removes parts without a row) is put back whole before its row", () => {
    const { db, path } = fileDb();
    const intent = new Int32Array(new SharedArrayBuffer(4));
    const a = new SnapshotWriter(path, { writeIntent: intent });
    try {
      // A first snapshot, stored whole: the next one sends part a as unchanged (its text is this one's).
      a.write(job(10, [['a', 'text a'], ['b', 'text b 10']]), 20);
      a.flush();
      // Appends want the lock (a server under load): the thread now commits part by part, letting them go between.
      Atomics.store(intent, 0, 1);
      a.write({ ...job(20, []), parts: [['a', null], ['b', 'text b 20'], ['c', 'text c 20']] }, 20);
      expect(until(8_000, () => keysOf(db, 'history:v', 20).includes('a'))).toBe(true);
      // Another process's writer thread starts now: its first job is written after its start's sweep.
      const b = new SnapshotWriter(path);
      b.write({ ...job(5, [['x', 'text x']]), name: 'history:other' }, 10);
      b.flush();
      expect(b.failed).toBeNull();
      b.close();
      // The sweep took part a of the snapshot being written (no row yet): the case this is about.
      expect(keysOf(db, 'history:v', 20)).not.toContain('a');
      expect(hasRow(db, 'history:v', 20)).toBe(false);
    } finally {
      Atomics.store(intent, 0, 0);
      Atomics.notify(intent, 0);
    }
    a.flush();
    expect(a.failed).toBeNull();
    a.close();
    expect(partsOf(db, 'history:v', 20)).toEqual({ a: 'text a', b: 'text b 20', c: 'text c 20' });
    expect(partsOf(db, 'history:v', 10)).toEqual({ a: 'text a', b: 'text b 10' });
    // Each text once, none without a part.
    expect(db.prepare('SELECT state FROM projection_snapshot_texts ORDER BY state').pluck().all()).toEqual(['text a', 'text b 10', 'text b 20', 'text c 20', 'text x']);
    db.close();
  });

  /**
   * Thread A writes `first` part by part (appends want the lock, so it commits between parts); once its
   * first part is stored, another process's thread B writes `second` whole. Returns A's failure, if any,
   * after both have finished.
   */
  const whileAnotherWrites = (path: string, db: Database.Database, first: ReturnType<typeof job>, second: ReturnType<typeof job>): string | null => {
    const intent = new Int32Array(new SharedArrayBuffer(4));
    const a = new SnapshotWriter(path, { writeIntent: intent });
    try {
      Atomics.store(intent, 0, 1);
      a.write(first, 30);
      expect(until(8_000, () => keysOf(db, first.name, first.position).length > 0)).toBe(true);
      const b = new SnapshotWriter(path);
      b.write(second, 30);
      b.flush();
      expect(b.failed).toBeNull();
      b.close();
    } finally {
      Atomics.store(intent, 0, 0);
      Atomics.notify(intent, 0);
    }
    a.flush();
    const failed = a.failed;
    a.close();
    return failed;
  };

  it('two threads writing the same snapshot at once (two processes at the same position) both finish, and it is stored whole', () => {
    const { db, path } = fileDb();
    const same = job(10, [['a', 'text a'], ['b', 'text b'], ['c', 'text c']]);
    // The other process writes the whole of it meanwhile (A's parts it finds are dropped first; A then writes the rest over its rows).
    // It was "UNIQUE constraint failed" (the part the other one wrote first): the thread gave up.
    expect(whileAnotherWrites(path, db, same, same)).toBeNull();
    expect(partsOf(db, 'history:v', 10)).toEqual({ a: 'text a', b: 'text b', c: 'text c' });
    expect(db.prepare('SELECT COUNT(*) FROM projection_snapshot_texts').pluck().get()).toBe(3);
    db.close();
  });

  it('two threads writing one snapshot name and position with the same part names but other texts (two releases of a fold, a rolling upgrade): the row written last has its own texts in every part, never a mix', () => {
    const { db, path } = fileDb();
    const older = job(10, [['a', 'text a'], ['b', 'text b'], ['c', 'text c']]);
    const newer = { ...job(10, [['a', 'text a v2'], ['b', 'text b v2'], ['c', 'text c v2']]), version: 2 };
    // The newer release's thread writes the whole of its own snapshot meanwhile; A then goes on part by part.
    expect(whileAnotherWrites(path, db, older, newer)).toBeNull();
    // A's row came last: version 1, so every part is version 1's (with the count alone checked, some parts were B's).
    expect(db.prepare("SELECT version FROM projection_snapshots WHERE name = 'history:v' AND position = 10").pluck().get()).toBe(1);
    expect(partsOf(db, 'history:v', 10)).toEqual({ a: 'text a', b: 'text b', c: 'text c' });
    // The other release's texts, which no part names any more, are gone too.
    expect(db.prepare('SELECT state FROM projection_snapshot_texts ORDER BY state').pluck().all()).toEqual(['text a', 'text b', 'text c']);
    db.close();
  });

  it('a part sent as unchanged whose text is no longer stored (another process replaced the checkpoint it came from) fails the snapshot: nothing of it is stored, never a row with a part missing', () => {
    const { db, path } = fileDb();
    const writer = new SnapshotWriter(path);
    // After a restore, "unchanged" parts name the hashes of the restored checkpoint's rows: here a text no row keeps any more.
    writer.write({ ...job(10, []), parts: [['a', null], ['b', 'text b']], knownHashes: [['a', 'hash-of-a-text-since-deleted']] }, 10);
    writer.flush();
    expect(writer.failed).toMatch(/part a was sent as unchanged, but its text is no longer stored/);
    writer.close();
    for (const table of ['projection_snapshots', 'projection_snapshot_parts', 'projection_snapshot_texts']) expect(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get()).toBe(0);
    db.close();
  });

  it('a thread that cannot open the file is reported, not waited for', () => {
    const writer = new SnapshotWriter(join(tmp(), 'no', 'such', 'dir', 'ledger.sqlite'));
    writer.write({ name: 'history:v', version: 1, position: 10, state: '{}', savedAt: '2026-01-01T00:00:00.000Z', parts: [] }, 10);
    writer.flush();
    expect(writer.failed).toMatch(/unable to open|directory does not exist/i);
  });

  it('a process that ends while snapshots are being written leaves only whole ones', () => {
    const { db, path } = fileDb();
    const script = `
      const Database = require('better-sqlite3');
      const { SqliteSnapshotStore } = require(${JSON.stringify(join(__dirname, 'snapshot-store.ts'))});
      const store = new SqliteSnapshotStore(new Database(${JSON.stringify(path)}));
      for (let i = 1; i <= 40; i++) {
        const parts = {};
        for (let k = 0; k < 12; k++) parts['p' + k] = JSON.stringify({ i, k, pad: String(i * 100 + k).repeat(30000) });
        store.save({ name: 'history:v', version: 1, position: i, state: '{"i":' + i + '}', parts }, 'keep-history');
      }
      process.exit(0); // no close: the thread is stopped wherever it is
    `;
    execFileSync(process.execPath, ['-r', join(__dirname, '..', '..', '..', 'test', 'helpers', 'swc-register.js'), '-e', script], { cwd: join(__dirname, '..', '..', '..'), stdio: 'pipe' });
    const rows = db.prepare('SELECT position FROM projection_snapshots ORDER BY position').pluck().all() as number[];
    // Whatever was stored is whole: every snapshot with all its parts and their texts; parts only of stored snapshots.
    for (const i of rows) {
      const parts = partsOf(db, 'history:v', i);
      expect(Object.keys(parts)).toHaveLength(12);
      expect(JSON.parse(parts.p7)).toMatchObject({ i, k: 7 });
    }
    expect(db.prepare('SELECT COUNT(*) FROM projection_snapshot_parts').pluck().get()).toBe(rows.length * 12);
    expect(db.prepare('SELECT COUNT(*) FROM projection_snapshot_texts').pluck().get()).toBe(rows.length * 12);
    db.close();
  });
});

describe('SqliteSnapshotStore.consistently: reads as of one moment while another process saves', () => {
  it("a checkpoint another connection replaces (deleting its parts) after its row was read still gives its parts inside; outside, the part is missing (MissingPartError)", () => {
    const path = join(tmp(), 'ledger.sqlite');
    const mine = new Database(path);
    mine.pragma('journal_mode = WAL');
    migrate(mine);
    const other = new Database(path);
    const store = new SqliteSnapshotStore(mine, { background: false });
    const others = new SqliteSnapshotStore(other, { background: false });
    others.atomically(() => others.save({ name: 'v', version: 1, position: 10, state: '{}', parts: { 'money/2014': 'at 10' } }, 'latest-only'));
    const read = store.consistently(() => {
      const s = store.latest('v')!;
      // Another process saves its newer checkpoint now: the one being read loses its parts.
      others.atomically(() => others.save({ name: 'v', version: 1, position: 20, state: '{}', parts: { 'money/2014': 'at 20' } }, 'latest-only'));
      return { position: s.position, part: s.part('money/2014'), all: s.allParts() };
    });
    expect(read).toEqual({ position: 10, part: 'at 10', all: { 'money/2014': 'at 10' } });
    // Without it, the same sequence finds the part gone (what stopped a server's start).
    const s = store.latest('v')!;
    others.atomically(() => others.save({ name: 'v', version: 1, position: 30, state: '{}', parts: { 'money/2014': 'at 30' } }, 'latest-only'));
    expect(() => s.part('money/2014')).toThrow(MissingPartError);
    expect(() => s.part('money/2014')).toThrow('snapshot v@20 has no part money/2014');
    // Nothing stays open: the connection writes at once.
    expect(mine.inTransaction).toBe(false);
    store.atomically(() => store.save({ name: 'v', version: 1, position: 40, state: '{}' }, 'latest-only'));
    other.close();
    mine.close();
  });
});

describe('SqliteSnapshotStore on the event store\'s connection while another process holds the write lock', () => {
  // Another thread takes the lock, then holds it until `go()` and `ms` more (this thread waits inside SQLite meanwhile).
  // Counted from go() (called where the test starts its clock), not from when the lock was taken: on a loaded machine
  // this thread could otherwise reach its first try after much of the hold had passed.
  const holdLockElsewhere = (path: string, ms: number): { gone: Promise<unknown>; go: () => void } => {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const go = new Int32Array(new SharedArrayBuffer(4));
    const holder = new Worker(
      `const { workerData } = require('node:worker_threads');
       const db = new (require(workerData.sqlite))(workerData.path);
       db.exec('BEGIN IMMEDIATE');
       const flag = new Int32Array(workerData.ready); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0);
       Atomics.wait(new Int32Array(workerData.go), 0, 0, 30000);
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
       db.exec('ROLLBACK'); db.close();`,
      { eval: true, workerData: { sqlite: require.resolve('better-sqlite3'), path, ready: ready.buffer, go: go.buffer, ms } },
    );
    Atomics.wait(ready, 0, 0, 30000);
    return {
      gone: new Promise((r) => holder.once('exit', r)),
      go: () => {
        Atomics.store(go, 0, 1);
        Atomics.notify(go, 0);
      },
    };
  };

  it('a start (discardOtherVersions) with nothing to discard takes no lock; a checkpoint waits for the lock (it was "database is locked" at once: read first, then asked for the lock)', async () => {
    const path = join(tmp(), 'ledger.sqlite');
    const events = new SqliteEventStore({ path });
    const snapshots = new SqliteSnapshotStore(events.db, { background: false });
    snapshots.atomically(() => snapshots.save({ name: 'v', version: 2, position: 1, state: '{}' }, 'latest-only'));
    let lock = holdLockElsewhere(path, 300);
    let started = Date.now();
    lock.go();
    expect(snapshots.discardOtherVersions(['v'], 2)).toBe(0);
    expect(Date.now() - started).toBeLessThan(100);
    snapshots.atomically(() => snapshots.save({ name: 'v', version: 2, position: 2, state: '{}' }, 'latest-only'));
    expect(Date.now() - started).toBeGreaterThan(150);
    await lock.gone;
    // Something to discard: it waits for the lock too, then discards.
    lock = holdLockElsewhere(path, 300);
    started = Date.now();
    lock.go();
    expect(snapshots.discardOtherVersions(['v'], 3)).toBe(1);
    expect(Date.now() - started).toBeGreaterThan(150);
    await lock.gone;
    expect(events.db.pragma('busy_timeout', { simple: true })).toBe(5);
    await events.close();
  });
});
