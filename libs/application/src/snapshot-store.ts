import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { patiently } from '../../event-store/src/sqlite-event-store';
import { SnapshotWriter, WriteJob } from './snapshot-writer';
import { MissingPartError } from '../../projections/src/projection';

/** A view's snapshot as saved: its main text and, optionally, named parts kept in rows of their own. */
export interface Snapshot {
  name: string;
  version: number;
  position: number;
  state: string;
  parts?: Record<string, string>;
}

/** A snapshot as read back: the main text now, each part only when asked for. */
export interface StoredSnapshot {
  name: string;
  version: number;
  position: number;
  state: string;
  /** One part's text (one small query); throws if the snapshot has no such part. */
  part(key: string): string;
  /** Every part at once (for a reader that must not depend on the snapshot staying stored). */
  allParts(): Record<string, string>;
}

/** Where projection checkpoints live between restarts. */
export interface SnapshotStore {
  latest(name: string): StoredSnapshot | null;
  /** The newest snapshot at or before `position`. */
  atOrBefore(name: string, version: number, position: number): StoredSnapshot | null;
  /** Where that snapshot is, without reading it (null if there is none). */
  positionAtOrBefore(name: string, version: number, position: number): number | null;
  /** `latest-only` drops the name's other snapshots (and their parts); `keep-history` keeps them. */
  save(s: Snapshot, keep: 'latest-only' | 'keep-history'): void;
  /** Runs several saves as one: all of them are stored, or none (a crash mid-way leaves the previous checkpoint whole). */
  atomically(fn: () => void): void;
  /** Drops the snapshots of these names written by any other version of their fold; returns how many. */
  discardOtherVersions(names: readonly string[], version: number): number;
  /**
   * A live view was just restored from the stored snapshot `from`, reading these part texts: the
   * next history snapshot of `history` may treat every one of them it hands back unchanged as
   * already stored (not handed over or hashed again).
   */
  primeHistory?(history: string, from: { name: string; position: number }, texts: ReadonlyMap<string, string>): void;
  /**
   * Runs `fn` on one state of the store: every position, main text and part it reads is as of one
   * moment, although another process (another connection) saves meanwhile and drops the checkpoint
   * `fn` is reading (a store without it is one process's alone). Reads only: `fn` must not save.
   */
  consistently?<T>(fn: () => T): T;
  /** Waits until every snapshot saved so far is stored (a store that writes in the background). */
  flush?(): void;
  /** Flushes and stops any background writing (a later save starts it again). */
  close?(): void;
}

// Defined beside the fold (foldEvents lets it through rather than skipping the event); kept importable from here.
export { MissingPartError };

const missing = (s: { name: string; position: number }, key: string): Error => new MissingPartError(s.name, s.position, key);

/** Reads parts from texts already in memory (a snapshot's `allParts()`, or a memory store's own). */
export const partsReader =
  (parts: Record<string, string>, s: { name: string; position: number }) =>
  (key: string): string => {
    if (!Object.prototype.hasOwnProperty.call(parts, key)) throw missing(s, key);
    return parts[key];
  };

export class MemorySnapshotStore implements SnapshotStore {
  private readonly byName = new Map<string, Snapshot[]>();
  atomically(fn: () => void): void {
    fn();
  }
  private read(s: Snapshot | undefined): StoredSnapshot | null {
    if (!s) return null;
    const parts = s.parts ?? {};
    return {
      name: s.name,
      version: s.version,
      position: s.position,
      state: s.state,
      part: partsReader(parts, s),
      allParts: () => ({ ...parts }),
    };
  }
  latest(name: string): StoredSnapshot | null {
    const list = this.byName.get(name) ?? [];
    return this.read(list[list.length - 1]);
  }
  atOrBefore(name: string, version: number, position: number): StoredSnapshot | null {
    const list = (this.byName.get(name) ?? []).filter((s) => s.version === version && s.position <= position);
    return this.read(list[list.length - 1]);
  }
  positionAtOrBefore(name: string, version: number, position: number): number | null {
    return this.atOrBefore(name, version, position)?.position ?? null;
  }
  save(s: Snapshot, keep: 'latest-only' | 'keep-history'): void {
    const list = keep === 'latest-only' ? [] : (this.byName.get(s.name) ?? []).filter((x) => x.position < s.position);
    list.push({ ...s, parts: s.parts ? { ...s.parts } : undefined });
    this.byName.set(s.name, list);
  }
  discardOtherVersions(names: readonly string[], version: number): number {
    let n = 0;
    for (const name of names) {
      const list = this.byName.get(name) ?? [];
      const kept = list.filter((s) => s.version === version);
      n += list.length - kept.length;
      this.byName.set(name, kept);
    }
    return n;
  }
}

interface Row {
  name: string;
  version: number;
  position: number;
  state: string;
}

/**
 * Snapshots in the ledger's own SQLite file: projection_snapshots holds each main text,
 * projection_snapshot_parts names a snapshot's parts, and projection_snapshot_texts holds each
 * distinct part text once (by SHA-256), so history snapshots share what did not change.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly partOf: Statement;
  private readonly partsOf: Statement;
  private readonly hashesOf: Statement;
  /** History snapshots are written by a thread of their own (see snapshot-writer.ts), started on the first one. */
  private writer: SnapshotWriter | null = null;
  private background: boolean;
  /** The event store's flag for "appends want the write lock" (SqliteEventStore.writeIntent), handed to the writer thread. */
  private readonly writeIntent: Int32Array | undefined;
  /** Each history name's part texts as last handed to the writer thread (it keeps their hashes). */
  private readonly lastSent = new Map<string, Map<string, string>>();
  /** Names with snapshots handed to the writer thread since the last flush. */
  private readonly onTheirWay = new Set<string>();

  /**
   * `background`: write history snapshots on a worker thread (default: when the database is a file;
   * an in-memory database cannot be shared with another connection). `writeIntent`: the event
   * store's flag (SqliteEventStore.writeIntent), so that thread lets appends take the write lock first.
   */
  constructor(private readonly db: Database, options: { background?: boolean; writeIntent?: Int32Array } = {}) {
    this.background = options.background ?? (!db.memory && db.name !== '');
    this.writeIntent = options.writeIntent;
    this.partOf = db.prepare('SELECT t.state FROM projection_snapshot_parts p JOIN projection_snapshot_texts t ON t.hash = p.hash WHERE p.name = ? AND p.position = ? AND p.part = ?').pluck();
    this.partsOf = db.prepare('SELECT p.part, t.state FROM projection_snapshot_parts p JOIN projection_snapshot_texts t ON t.hash = p.hash WHERE p.name = ? AND p.position = ?');
    this.hashesOf = db.prepare('SELECT part, hash FROM projection_snapshot_parts WHERE name = ? AND position = ?');
  }

  /**
   * After a restart the history snapshots' bookkeeping is empty, so the first one handed all its
   * parts over and had them hashed again (~33 MB for the funding view at 1,000,000 events: a main
   * thread pause of 47-170 ms measured, and ~40-100 ms of hashing on the thread). The restored
   * view keeps the texts it read, so they are taken as saved, with their stored rows' hashes
   * (as a history snapshot saved on this thread leaves them; the next one, on either path, starts from there).
   */
  primeHistory(history: string, from: { name: string; position: number }, texts: ReadonlyMap<string, string>): void {
    if (texts.size === 0) return;
    this.flush();
    const saved = new Map<string, { text: string; hash: string }>();
    for (const { part, hash } of this.hashesOf.all(from.name, from.position) as { part: string; hash: string }[]) {
      const text = texts.get(part);
      if (text !== undefined) saved.set(part, { text, hash });
    }
    this.lastSent.delete(history);
    this.lastSaved.set(history, saved);
  }

  /** Texts no part names any more (after parts were deleted). */
  private dropUnusedTexts(): void {
    this.db.prepare('DELETE FROM projection_snapshot_texts WHERE NOT EXISTS (SELECT 1 FROM projection_snapshot_parts p WHERE p.hash = projection_snapshot_texts.hash)').run();
  }

  /**
   * Writes on the main connection go through `patiently`: the event store's connection lets SQLite
   * wait only a few ms for the write lock (its appends wait asynchronously); a checkpoint written
   * here may wait for another process's commit as before (up to 10 s). They take the lock at BEGIN
   * (IMMEDIATE): a transaction that read first and then asked for it was refused at once
   * ("database is locked") whenever another process held it, whatever the busy timeout.
   */
  atomically(fn: () => void): void {
    this.flush();
    patiently(this.db, () => this.db.transaction(fn).immediate());
  }

  /**
   * One read transaction on this connection (BEGIN, deferred: no lock is taken; inside one already,
   * just `fn`): SQLite's WAL keeps the pages this connection reads as of its first read for it until
   * the end, so a checkpoint another process replaces meanwhile (deleting its parts) stays whole here.
   * Costs one BEGIN and COMMIT; writers of other connections are not held up.
   */
  consistently<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.flush();
    return this.db.transaction(fn).deferred();
  }

  /** Waits until every history snapshot handed to the writer thread is stored (what this connection reads or writes next comes after them). */
  flush(): void {
    if (!this.writer) return;
    this.writer.flush();
    this.onTheirWay.clear();
    this.giveUpOnFailedWriter();
  }

  /** Lets the writer thread finish and end (a later history snapshot starts a new one). */
  close(): void {
    const writer = this.writer;
    if (!writer) return;
    this.flush();
    writer.close();
    this.writer = null;
    this.lastSent.clear();
  }

  private giveUpOnFailedWriter(): void {
    const writer = this.writer;
    if (!writer?.failed) return;
    process.emitWarning(`history snapshots are written on the main thread from now on: ${writer.failed}`);
    writer.close();
    this.writer = null;
    this.lastSent.clear();
    this.lastSaved.clear();
    this.background = false;
  }

  private read(r: Row | undefined): StoredSnapshot | null {
    if (!r) return null;
    return {
      ...r,
      part: (key) => {
        const text = this.partOf.get(r.name, r.position, key) as string | undefined;
        if (text === undefined) throw missing(r, key);
        return text;
      },
      allParts: () => Object.fromEntries((this.partsOf.all(r.name, r.position) as { part: string; state: string }[]).map((p) => [p.part, p.state])),
    };
  }

  latest(name: string): StoredSnapshot | null {
    this.flush();
    return this.read(this.db.prepare('SELECT name, version, position, state FROM projection_snapshots WHERE name = ? ORDER BY position DESC LIMIT 1').get(name) as Row | undefined);
  }

  atOrBefore(name: string, version: number, position: number): StoredSnapshot | null {
    this.flush();
    return this.read(
      this.db.prepare('SELECT name, version, position, state FROM projection_snapshots WHERE name = ? AND version = ? AND position <= ? ORDER BY position DESC LIMIT 1').get(name, version, position) as
        | Row
        | undefined,
    );
  }

  positionAtOrBefore(name: string, version: number, position: number): number | null {
    // Only a name handed to the writer thread may have snapshots still on their way (a checkpoint's
    // name never is): not waiting for the thread otherwise lets this be asked inside a write transaction.
    if (this.onTheirWay.has(name)) this.flush();
    const at = this.db.prepare('SELECT position FROM projection_snapshots WHERE name = ? AND version = ? AND position <= ? ORDER BY position DESC LIMIT 1').pluck().get(name, version, position) as number | undefined;
    return at ?? null;
  }

  /**
   * Each name's part texts as last saved, with their hashes: a part saved again with the same text
   * (the funding view hands back the very same string for parts nothing changed) is not hashed again.
   */
  private readonly lastSaved = new Map<string, Map<string, { text: string; hash: string }>>();

  save(s: Snapshot, keep: 'latest-only' | 'keep-history'): void {
    // A history snapshot goes to the writer thread, unless it must be part of a transaction of this connection (atomically).
    if (keep === 'keep-history' && this.background && !this.db.inTransaction) return this.saveInBackground(s);
    this.flush();
    this.lastSent.delete(s.name);
    const previous = this.lastSaved.get(s.name);
    const saved = new Map<string, { text: string; hash: string }>();
    patiently(this.db, () => this.db.transaction(() => {
      let dropped = 0;
      if (keep === 'latest-only') {
        this.db.prepare('DELETE FROM projection_snapshots WHERE name = ? AND position <> ?').run(s.name, s.position);
        dropped += this.db.prepare('DELETE FROM projection_snapshot_parts WHERE name = ? AND position <> ?').run(s.name, s.position).changes;
      }
      // A snapshot saved again at the same position replaces its parts too (none may linger from the old one).
      dropped += this.db.prepare('DELETE FROM projection_snapshot_parts WHERE name = ? AND position = ?').run(s.name, s.position).changes;
      this.db
        .prepare('INSERT OR REPLACE INTO projection_snapshots (name, version, position, state, saved_at) VALUES (?, ?, ?, ?, ?)')
        .run(s.name, s.version, s.position, s.state, new Date().toISOString());
      const known = this.db.prepare('SELECT 1 FROM projection_snapshot_texts WHERE hash = ?').pluck();
      const insertText = this.db.prepare('INSERT INTO projection_snapshot_texts (hash, state) VALUES (?, ?)');
      const insertPart = this.db.prepare('INSERT INTO projection_snapshot_parts (name, position, part, hash) VALUES (?, ?, ?, ?)');
      for (const [key, text] of Object.entries(s.parts ?? {})) {
        const last = previous?.get(key);
        const hash = last && last.text === text ? last.hash : createHash('sha256').update(text).digest('base64');
        if (known.get(hash) === undefined) insertText.run(hash, text);
        insertPart.run(s.name, s.position, key, hash);
        saved.set(key, { text, hash });
      }
      if (dropped > 0) this.dropUnusedTexts();
    }).immediate());
    this.lastSaved.set(s.name, saved);
  }

  private saveInBackground(s: Snapshot): void {
    this.writer ??= new SnapshotWriter(this.db.name, { writeIntent: this.writeIntent });
    // After a save on this thread (or primeHistory) the writer thread does not know those texts' hashes: they go with the job.
    const saved = this.lastSaved.get(s.name);
    this.lastSaved.delete(s.name);
    const previous = this.lastSent.get(s.name) ?? (saved && new Map([...saved].map(([key, v]) => [key, v.text])));
    const sent = new Map<string, string>();
    const parts: WriteJob['parts'] = [];
    let bytes = s.state.length;
    for (const [key, text] of Object.entries(s.parts ?? {})) {
      // The very string sent last time for this key (the funding view hands back the same string for a part nothing changed): the thread knows its hash.
      const same = previous?.get(key) === text;
      parts.push([key, same ? null : text]);
      if (!same) bytes += text.length;
      sent.set(key, text);
    }
    const knownHashes = saved && [...saved].map(([key, v]): [string, string] => [key, v.hash]);
    this.writer.write({ name: s.name, version: s.version, position: s.position, state: s.state, savedAt: new Date().toISOString(), parts, ...(knownHashes ? { knownHashes } : {}) }, bytes);
    this.lastSent.set(s.name, sent);
    this.onTheirWay.add(s.name);
    this.giveUpOnFailedWriter();
  }

  discardOtherVersions(names: readonly string[], version: number): number {
    this.flush();
    // Every start asks; nearly always there is nothing to discard, and then no write lock is taken (another process may hold it).
    const other = this.db.prepare('SELECT 1 FROM projection_snapshots WHERE name = ? AND version <> ? LIMIT 1').pluck();
    if (!names.some((name) => other.get(name, version) !== undefined)) return 0;
    let n = 0;
    patiently(this.db, () => this.db.transaction(() => {
      const positions = this.db.prepare('SELECT position FROM projection_snapshots WHERE name = ? AND version <> ?').pluck();
      const dropParts = this.db.prepare('DELETE FROM projection_snapshot_parts WHERE name = ? AND position = ?');
      const drop = this.db.prepare('DELETE FROM projection_snapshots WHERE name = ? AND version <> ?');
      let dropped = 0;
      for (const name of names) {
        for (const position of positions.all(name, version) as number[]) dropped += dropParts.run(name, position).changes;
        n += drop.run(name, version).changes;
      }
      if (dropped > 0) this.dropUnusedTexts();
    }).immediate());
    return n;
  }
}
