import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { RecordedEvent } from '../../domain/src/shared';
import { CatchUpSubscription, SubscriberSet } from './catch-up-subscription';
import { deepFreeze } from './deep-freeze';
import { DuplicateEventIdError, IdempotencyKeyTakenError, isBusyError, StoreBusyError, WrongExpectedRevisionError } from './errors';
import { nextRecordedAt, revisionMatches, sealEvents } from './hashing';
import { AppendConditions, AppendResult, BULK_PAGE, EventStore, EventToAppend, ExpectedRevision, IdempotencyClaim, IdempotencyRecord, MAX_PAGE, ReadAllOptions, ReadStreamOptions, Subscription } from './port';
import { idempotencyHasSender, LEGACY_RECEIPTS_TABLE, LEGACY_SENDER, migrate, RECEIPTS_TABLE, refuseNewerSchema } from './sqlite-schema';
import { checkAppendConditions, LaterEvent } from './append-conditions';

/** Streams at most this long are kept whole in the read cache; how many streams it keeps (LRU). */
const CACHE_STREAM_MAX_EVENTS = 64;
const CACHE_STREAMS = 4096;
/**
 * And how much stored text (data and metadata, in UTF-16 code units) the cached streams may hold in
 * all: a count alone would let 4,096 streams of 64 events near the body limit hold gigabytes. The
 * ledger's own events are ~0.3–1 KB, so at the count bound they hold ~100–250 MB less than this.
 */
export const CACHE_TEXT_UNITS = 32 * 1024 * 1024;
/** A stream in the read cache, with its events' stored text length (see CACHE_TEXT_UNITS). */
interface CachedStream {
  readonly events: readonly RecordedEvent[];
  readonly units: number;
}
const STREAM_FWD = 'stream_id = ? AND revision >= ?';
/** A page size to write into SQL: a whole number from 0 to MAX_PAGE. */
const pageSize = (maxCount: number | undefined): number => {
  const n = Math.floor(Number(maxCount ?? MAX_PAGE));
  return Number.isFinite(n) ? Math.max(0, Math.min(n, MAX_PAGE)) : MAX_PAGE;
};
/** How many of its own latest events a store keeps for followers reading right behind the head. */
const TAIL_EVENTS = 2048;
/** Node's own, taken at load: a test's fake timers replacing process.nextTick must not keep a look alive (see cachesHold). */
const realNextTick = process.nextTick;
/**
 * Fake timers (Jest's modern or legacy) already in place when this module loads: their nextTick
 * may never run, so no look is kept (every cached read looks, as before looks were per task).
 */
const LOOKS_OFF = 'clock' in realNextTick || '_isMockFunction' in realNextTick;
const RESOLVED = Promise.resolve();
/**
 * Uncaught exceptions seen so far (a look taken before one does not hold: see lookHolds), counted
 * by one monitor per process however often this module is loaded (a test runner loads it per file).
 */
const MONITOR = Symbol.for('career-centre-ledger.uncaught-exceptions');
type Monitor = (() => void) & { [MONITOR]: { seen: number } };
const uncaught: { seen: number } =
  (process.listeners('uncaughtExceptionMonitor').find((l) => MONITOR in l) as Monitor | undefined)?.[MONITOR] ??
  (() => {
    const box = { seen: 0 };
    const monitor = (() => {
      box.seen++;
    }) as Monitor;
    monitor[MONITOR] = box;
    process.on('uncaughtExceptionMonitor', monitor);
    return box;
  })();

/**
 * The write lock, when another connection holds it. SQLite's own busy handler sleeps on the calling
 * thread, which for this store is the event loop: with a timeout of 10 s, one write waiting for
 * another process froze every request for up to 10 s. So the main connection lets SQLite wait only
 * BUSY_TIMEOUT_MS (long enough for the snapshot writer thread to give way, see writeIntent, or for
 * another process's commit and fsync to end), and a group commit that still finds the lock held is
 * tried again later (setTimeout, every RETRY_FIRST_MS growing to RETRY_MAX_MS) with the event loop
 * free, for at most `busyWaitMs` (default DEFAULT_BUSY_WAIT_MS) per append; then it is refused with
 * StoreBusyError (nothing recorded). Appends arriving meanwhile join the waiting batch (one COMMIT).
 */
const BUSY_TIMEOUT_MS = 5;
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 50;
export const DEFAULT_BUSY_WAIT_MS = 10_000;
/**
 * The busy timeout of read-only connections and of writes made on the main connection outside the
 * append path (see patiently): they wait for the lock inside SQLite as before.
 */
export const PATIENT_BUSY_MS = 10_000;

/**
 * Runs `fn`, synchronous work on a connection a SqliteEventStore opened that is not an append (the
 * projection checkpoints and history snapshots written on the main thread), letting SQLite wait up
 * to PATIENT_BUSY_MS for the write lock as every write did before appends learned to wait without
 * blocking; the connection's own timeout is set back afterwards. Two PRAGMA statements around a
 * rare write; nested calls add none. `fn` should take the lock at BEGIN (`.immediate()`): SQLite
 * does not wait at all when a transaction that has read asks for the write lock. A lock still held
 * is thrown as StoreBusyError. Other connections: `fn` as it is.
 */
export const patiently = <T>(db: Database.Database, fn: () => T): T => {
  if (!SHORT_WAITING.has(db) || patientNow.has(db)) return fn();
  patientNow.add(db);
  db.pragma(`busy_timeout = ${PATIENT_BUSY_MS}`);
  const started = Date.now();
  try {
    return fn();
  } catch (e) {
    // Still held after the wait (or a read transaction could not become a write one): said as the appends say it.
    throw isBusyError(e) ? new StoreBusyError(Date.now() - started) : e;
  } finally {
    patientNow.delete(db);
    if (db.open) db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
};
/** The connections a SqliteEventStore set to BUSY_TIMEOUT_MS, and those of them inside patiently now. */
const SHORT_WAITING = new WeakSet<Database.Database>();
const patientNow = new WeakSet<Database.Database>();

/**
 * Opens an existing ledger file read-only (no folder or file created, nothing written), and a close
 * that leaves its folder as it was found. better-sqlite3's read-only open of a WAL database creates
 * FILE-wal (empty) and FILE-shm and cannot remove them, so next to a cleanly closed ledger (neither
 * file there before the open) they would stay behind. After closing, if both were made by this open
 * and the -wal is still empty (0 bytes: nothing was written meanwhile), a connection is opened and
 * closed again the ordinary way, which lets SQLite itself remove them as the last connection to the
 * file does — and leave them when another connection (a server started meanwhile) still uses them.
 * Files that were there before the open are never touched.
 */
export const openLedgerReadonly = (path: string): { db: Database.Database; close: () => void } => {
  const wal = `${path}-wal`;
  const shm = `${path}-shm`;
  const cleanBefore = !existsSync(wal) && !existsSync(shm);
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const close = (): void => {
    if (db.open) db.close();
    if (!cleanBefore) return;
    try {
      if (!existsSync(wal) || statSync(wal).size !== 0) return;
      const last = new Database(path, { fileMustExist: true });
      try {
        last.pragma('schema_version');
      } finally {
        last.close();
      }
    } catch {
      // Left as they are (e.g. a file this user may only read): harmless, SQLite reuses them.
    }
  };
  try {
    refuseNewerSchema(db);
  } catch (e) {
    close();
    throw e;
  }
  return { db, close };
};

/** How many prepared paged reads a store keeps (see SqliteEventStore.page). */
export const PAGED_STATEMENTS = 256;

/** The events table's columns in the order the paged reads select them (see eventOfRow). */
export const EVENT_COLUMNS = 'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
export type EventArray = [number, string, string, number, string, number, string, string, string, string | null, string];
/**
 * One row read as an array (better-sqlite3's raw mode) into an event: reading the log this way,
 * without a named-property object per row, took ~20 % less time for the 1,000,000-event bench
 * ledger (7.3–8.1 s against 8.0–11.0 s, measured here).
 */
export const eventOfRow = (r: EventArray): RecordedEvent => ({
  eventId: r[1],
  streamId: r[2],
  revision: r[3],
  position: r[0],
  type: r[4],
  schemaVersion: r[5],
  data: JSON.parse(r[6]),
  metadata: JSON.parse(r[7]),
  recordedAt: r[8],
  prevHash: r[9],
  hash: r[10],
});

/** Rows of `SELECT stream_id, position, type, data` as the condition check sees them, parsed one at a time. */
function* laterEvents(rows: IterableIterator<unknown[]>): Generator<LaterEvent> {
  try {
    for (const r of rows) yield { streamId: r[0] as string, position: r[1] as number, type: r[2] as string, data: JSON.parse(r[3] as string) };
  } finally {
    // A check that stops early (a conflict) closes the statement's cursor.
    rows.return?.();
  }
}

/** A claim's sender as stored: never LEGACY_SENDER, which names the receipts stored before keys were per sender. */
const senderOf = (actorId: string): string => {
  if (actorId === LEGACY_SENDER) throw new Error('An idempotency key is claimed by its sender: the actor id must not be empty.');
  return actorId;
};

/** An append waiting in the group-commit queue; `since`: when it first found the write lock held. */
interface PendingAppend {
  streamId: string;
  events: EventToAppend[];
  expected: ExpectedRevision;
  idem?: IdempotencyClaim;
  conditions?: AppendConditions;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
  since?: number;
}

export interface SqliteOptions {
  path: string;
  clock?: () => Date;
  /** How often a subscriber looks for appends made by other processes sharing the file. */
  pollMs?: number;
  /**
   * Open an existing ledger file read-only (better-sqlite3 `readonly` + `fileMustExist`): no folder
   * or file created, no migration, no pragma that writes, appends fail. For readers that must
   * change nothing (an auditor's export).
   */
  readonly?: boolean;
  /**
   * How long an append may wait for a write lock another connection holds before it is refused with
   * StoreBusyError (ms; default DEFAULT_BUSY_WAIT_MS). The event loop is free while it waits.
   */
  busyWaitMs?: number;
}

/**
 * Switches the file to WAL (kept in the file: a no-op once done). Switching a new file takes an
 * exclusive lock, and SQLite does not wait for it (no busy handler, to avoid a deadlock) when another
 * process opening the same new file at the same moment holds a lock: asked again for a while instead.
 */
const useWal = (db: Database.Database): void => {
  const until = Date.now() + PATIENT_BUSY_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    try {
      // Whatever mode it answers without an error is kept, as before (a file system that cannot hold a WAL keeps its journal).
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if (!isBusyError(e)) throw e;
    }
    if (Date.now() >= until) throw new Error(`could not switch ${db.name} to WAL: another process kept it locked for ${PATIENT_BUSY_MS / 1000} s`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  }
};

/**
 * The embedded default: one SQLite file, WAL, synchronous=FULL so an acknowledged append
 * survives power loss. Writes run in BEGIN IMMEDIATE transactions so several processes can share the file.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  readonly hashCoversPosition = true;
  readonly db: Database.Database;
  private readonly subscribers = new SubscriberSet();
  private readonly clock: () => Date;
  private readonly pollMs: number;
  private readonly stmts;
  private readonly appendTx;
  private readonly busyWaitMs: number;
  /** Read-only: closes the connection and removes the -wal/-shm files its open created (see openLedgerReadonly). */
  private readonly closeReadonly: (() => void) | null = null;

  constructor(options: SqliteOptions) {
    if (options.readonly) {
      const opened = openLedgerReadonly(options.path);
      this.db = opened.db;
      this.closeReadonly = opened.close;
    } else {
      if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
      this.db = new Database(options.path);
      this.db.pragma(`busy_timeout = ${PATIENT_BUSY_MS}`);
      useWal(this.db);
      this.db.pragma('synchronous = FULL');
    }
    this.db.pragma(`busy_timeout = ${PATIENT_BUSY_MS}`);
    this.db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      try {
        migrate(this.db);
      } catch (e) {
        // Refused (a newer version's file): closed at once, so SQLite removes the -wal/-shm this open made.
        this.db.close();
        throw e;
      }
      // From here on SQLite itself waits only briefly; appends wait for the lock asynchronously (see flush).
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      SHORT_WAITING.add(this.db);
    }
    this.busyWaitMs = options.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
    this.clock = options.clock ?? (() => new Date());
    this.pollMs = options.pollMs ?? 250;
    const db = this.db;
    // A file made before keys were per sender, opened read-only (not migrated), keeps the key alone: its receipts are all LEGACY_SENDER's.
    const bySender = idempotencyHasSender(db);
    this.stmts = {
      head: db.prepare('SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1'),
      // A condition needs only the revision: answered from the (stream_id, revision) index alone, without reading the row.
      headRevision: db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').pluck(),
      last: db.prepare('SELECT position, recorded_at FROM events ORDER BY position DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO events (position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      hasEventId: db.prepare('SELECT 1 FROM events WHERE event_id = ?'),
      // (sender, key): the table's primary key.
      idemGet: bySender
        ? db.prepare(`SELECT request_hash, result FROM ${RECEIPTS_TABLE} WHERE actor_id = ? AND key = ?`)
        : db.prepare(`SELECT request_hash, result FROM ${LEGACY_RECEIPTS_TABLE} WHERE ? = '${LEGACY_SENDER}' AND key = ?`),
      idemPut: bySender ? db.prepare(`INSERT INTO ${RECEIPTS_TABLE} (actor_id, key, request_hash, result, recorded_at) VALUES (?, ?, ?, ?, ?)`) : null,
      // recorded_at never decreases with position, so the index's last entry at or before the instant is the answer (a seek, not a scan).
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      // The events past a condition's position (few: those recorded while one command was decided).
      after: db.prepare('SELECT stream_id, position, type, data FROM events WHERE position > ? ORDER BY position').raw(),
      positionAt: db.prepare('SELECT position AS p FROM events WHERE recorded_at <= ? ORDER BY recorded_at DESC, position DESC LIMIT 1'),
    };
    this.appendTx = db.transaction((streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem: IdempotencyClaim | undefined, conditions: AppendConditions | undefined): AppendResult => {
      // Under the write lock no other connection commits: what it says now still holds at this COMMIT (see afterOwnCommit).
      this.txDataVersion = this.stmts.dataVersion.get() as number;
      if (idem && this.stmts.idemGet.get(senderOf(idem.actorId), idem.key)) throw new IdempotencyKeyTakenError(idem.key);
      const head = this.stmts.head.get(streamId) as { revision: number; hash: string } | undefined;
      const current = head ? head.revision : -1;
      if (!revisionMatches(expected, current)) throw new WrongExpectedRevisionError(streamId, expected, current);
      checkAppendConditions(conditions, (id) => (this.stmts.headRevision.get(id) as number | undefined) ?? -1, (after) => laterEvents(this.stmts.after.iterate(after) as IterableIterator<unknown[]>));
      const last = this.stmts.last.get() as { position: number; recorded_at: string } | undefined;
      const lastPosition = last?.position ?? 0;
      this.batchFrom ??= lastPosition;
      const recordedAt = nextRecordedAt(this.clock(), last?.recorded_at ?? null);
      const sealed = sealEvents(streamId, events, current + 1, lastPosition + 1, head?.hash ?? null, recordedAt, true);
      const written: RecordedEvent[] = [];
      const eventIds: string[] = [];
      let units = 0;
      for (const e of sealed) {
        const data = JSON.stringify(e.data);
        const metadata = JSON.stringify(e.metadata);
        units += data.length + metadata.length;
        this.stmts.insert.run(e.position, e.eventId, streamId, e.revision, e.type, e.schemaVersion, data, metadata, recordedAt, e.prevHash, e.hash);
        // What a read would return (parsed from the stored text, not the caller's objects), for the
        // stream cache; written out like eventOfRow (same shape) rather than spread.
        written.push({ eventId: e.eventId, streamId, revision: e.revision, position: e.position, type: e.type, schemaVersion: e.schemaVersion, data: JSON.parse(data), metadata: JSON.parse(metadata), recordedAt, prevHash: e.prevHash, hash: e.hash });
        eventIds.push(e.eventId);
      }
      this.lastWritten = written;
      this.lastWrittenUnits = units;
      const result: AppendResult = {
        streamId,
        revision: current + sealed.length,
        position: sealed.length ? sealed[sealed.length - 1].position : lastPosition,
        eventIds,
        recordedAt: sealed.length ? recordedAt : null,
      };
      if (idem) {
        if (!this.stmts.idemPut) throw new Error('This ledger file is open read-only in the layout from before keys were per sender: no receipt can be written.');
        this.stmts.idemPut.run(senderOf(idem.actorId), idem.key, idem.requestHash, JSON.stringify(result), recordedAt);
      }
      return result;
    });
  }

  /**
   * 1 while a group commit wants or holds the write lock, else 0 (shared memory). The snapshot
   * writer thread, which writes to the same file on its own connection, looks at it between rows
   * and lets the commit go first instead of making it wait behind a whole snapshot.
   */
  readonly writeIntent = new Int32Array(new SharedArrayBuffer(4));
  /**
   * Group commit: appends that arrive while the event loop is busy (e.g. during the previous
   * commit's fsync) are written in ONE transaction, each in its own savepoint, so one fsync
   * acknowledges them all. Each append keeps its own atomicity, expected-revision and idempotency
   * checks (a failing one rolls back to its savepoint and rejects alone); every promise settles
   * only after the COMMIT, so an acknowledged append is still durable (synchronous=FULL). Alone,
   * an append runs in its own transaction exactly as before. A batch that finds the write lock held
   * by another connection waits for it without blocking the event loop (see BUSY_TIMEOUT_MS).
   */
  private pending: PendingAppend[] = [];
  private flushScheduled = false;
  /** While a batch waits for the write lock: the timer of its next try, and how many tries it has had. */
  private retryTimer: NodeJS.Timeout | null = null;
  private busyTries = 0;
  /** Set by refuseBusyWaits (shutdown): a batch that finds the lock held is refused at once. */
  private refuseWhenBusy = false;
  /** The events the last appendTx wrote (handed from the transaction to the stream cache once committed). */
  private lastWritten: RecordedEvent[] = [];
  private lastWrittenUnits = 0;

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.pending.push({ streamId, events, expected, idem, conditions, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.batchFrom = null;
    const outcomes: ({ ok: AppendResult; written: RecordedEvent[]; units: number } | { error: unknown })[] = [];
    const one = (b: (typeof batch)[number], tx: (...a: Parameters<typeof this.appendTx>) => AppendResult): void => {
      try {
        outcomes.push({ ok: tx(b.streamId, b.events, b.expected, b.idem, b.conditions), written: this.lastWritten, units: this.lastWrittenUnits });
      } catch (e) {
        outcomes.push({ error: this.appendError(e, b.events) });
      }
    };
    // Raised while this batch wants the lock, also between its tries when it has to wait for it.
    let waiting = false;
    Atomics.store(this.writeIntent, 0, 1);
    try {
      // Alone (one command at a time) it is its own transaction; together, one COMMIT for the batch.
      if (batch.length === 1) {
        one(batch[0], this.appendTx.immediate);
        // Alone, a busy lock (at BEGIN IMMEDIATE or COMMIT) is the append's own error, its transaction rolled back: nothing was written.
        const o = outcomes[0];
        if ('error' in o && isBusyError(o.error)) {
          waiting = this.waitForLock(batch);
          return;
        }
      } else this.db.transaction(() => batch.forEach((b) => one(b, this.appendTx))).immediate();
    } catch (e) {
      // The transaction itself failed (BEGIN or COMMIT): nothing of this batch was written.
      if (isBusyError(e)) {
        waiting = this.waitForLock(batch);
        return;
      }
      batch.forEach((b) => {
        this.forgetStream(b.streamId);
        b.reject(e);
      });
      return;
    } finally {
      if (!waiting) {
        Atomics.store(this.writeIntent, 0, 0);
        Atomics.notify(this.writeIntent, 0);
      }
    }
    this.busyTries = 0;
    this.afterOwnCommit(outcomes);
    let appended = false;
    batch.forEach((b, i) => {
      const o = outcomes[i];
      if ('ok' in o) {
        appended ||= o.ok.eventIds.length > 0;
        this.cacheWritten(b.streamId, o.written, o.units);
        b.resolve(o.ok);
      } else {
        this.forgetStream(b.streamId);
        b.reject(o.error);
      }
    });
    if (appended) this.subscribers.notifyAll();
  }

  /**
   * The batch found the write lock held (nothing of it was written): its appends go back to the
   * head of the queue and the batch is tried again after a pause, with the event loop free (appends
   * arriving meanwhile join it); an append that has waited `busyWaitMs` since it first found the
   * lock held (or any, after refuseBusyWaits) is refused with StoreBusyError. Returns whether some
   * wait (the write intent then stays raised, so the snapshot writer thread keeps giving way).
   */
  private waitForLock(batch: PendingAppend[]): boolean {
    const now = Date.now();
    const waiting: PendingAppend[] = [];
    let due = Number.MAX_SAFE_INTEGER;
    for (const b of batch) {
      b.since ??= now;
      if (this.refuseWhenBusy || !this.db.open || now - b.since >= this.busyWaitMs) b.reject(new StoreBusyError(now - b.since));
      else {
        waiting.push(b);
        due = Math.min(due, b.since + this.busyWaitMs);
      }
    }
    if (waiting.length === 0) {
      this.busyTries = 0;
      return false;
    }
    // flush took the whole queue and nothing can be appended while it runs: the queue is empty.
    this.pending = waiting.concat(this.pending);
    const pause = Math.max(1, Math.min(RETRY_FIRST_MS * 2 ** Math.min(this.busyTries, 8), RETRY_MAX_MS, due - now));
    this.busyTries++;
    this.flushScheduled = true; // appends arriving meanwhile wait for the timer, not a flush of their own
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, pause);
    return true;
  }

  /**
   * From now on an append that finds the write lock held by another connection is refused at once
   * (StoreBusyError, nothing recorded) instead of waited for, and appends waiting now are tried once
   * more and refused if it is still held. For shutdown: a process told to stop should answer its
   * requests and go, not wait up to `busyWaitMs` for another writer.
   */
  refuseBusyWaits(): void {
    this.refuseWhenBusy = true;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      if (this.db.open) this.flush();
    }
  }

  /**
   * UNIQUE(event_id): the append rolled back, nothing was appended. A busy lock met inside a batch's
   * transaction (its savepoint rolled back) refuses that append alone; alone, a busy error is left
   * as it is for flush to wait on.
   */
  private appendError(e: unknown, events: EventToAppend[]): unknown {
    if (isBusyError(e)) return this.db.inTransaction ? new StoreBusyError(0) : e;
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE' && /event_id/.test(String((e as Error).message))) {
      const dup = events.find((ev, i) => events.findIndex((x) => x.eventId === ev.eventId) !== i || this.stmts.hasEventId.get(ev.eventId));
      return new DuplicateEventIdError(dup?.eventId ?? '(unknown)');
    }
    return e;
  }

  /**
   * Short streams recently read forwards from the start (the centres, parties and boards every
   * command re-reads), whole and frozen. An append through this store drops its stream's entry; a
   * commit by any other connection that moves the log's head (another process appending to the
   * file) empties the cache, one that does not (the snapshot writer's) keeps it (see cachesHold).
   * Saves a query and a JSON.parse per event on each re-read. Reads with `uncached` (the audit
   * routes) pass it by and leave it as it is.
   */
  private readonly streamCache = new Map<string, CachedStream>();
  /** The stored text the cached streams hold in all (see CACHE_TEXT_UNITS). */
  private cachedUnits = 0;
  private cachedDataVersion = -1;

  /**
   * The events this connection wrote last, positions without gaps. The projection engine reads
   * right behind the head, so it gets its own process's writes from here instead of re-reading and
   * re-parsing the rows. Valid while no other connection has committed (then emptied, like the stream cache).
   */
  private tail: RecordedEvent[] = [];

  /**
   * Whether the caches still hold (no other connection committed since the last look); empties
   * them otherwise. One `PRAGMA data_version` (a read transaction: 2-7 µs, most of a cached read) per
   * look, and a look holds until the end of the task the event loop is running (the callback and the
   * promise continuations it sets off: a command's reads, one after the other): `looking` is cleared
   * by a process.nextTick, which Node runs once that task's microtasks are drained and before it starts
   * another callback. A request's bytes are read in the poll phase and handled in a callback of its
   * own, so its reads look again: a foreign commit acknowledged before a request arrived is always seen.
   * (It was once per event-loop turn, reset by setImmediate; a look from a check-phase callback then
   * held through the next poll phase, where requests arrive, and a request could decide on a stream
   * another process had moved.)
   */
  private cachesHold(): boolean {
    if (this.lookHolds()) return true;
    // A look is taken only once made: a read that throws (busy, I/O) leaves the next read to look again.
    const version = this.stmts.dataVersion.get() as number;
    if (version === this.cachedDataVersion) {
      this.startLook();
      return true;
    }
    // Another connection committed. Events are only ever appended, each at the next position, so if
    // the log's head is where this connection last knew it, that commit appended nothing (the
    // snapshot writer's history snapshots, every 5,000 positions at 1,000,000 events, used to empty
    // the caches) and every cached stream still holds. A change made to stored rows behind the
    // ledger's back is what ledger verify and GET /audit/verify look for, reading the file itself.
    const head = this.headNow();
    // Taken as seen only once the head is known: a probe that throws leaves the change to the next look.
    this.cachedDataVersion = version;
    this.startLook();
    if (head === this.knownHead) return true;
    this.dropCaches(head);
    return false;
  }

  /** Set by a look at data_version, cleared when the task that looked ends (see cachesHold). */
  private looking = false;
  private readonly lookDone = (): void => {
    this.looking = false;
  };
  /**
   * Node runs the ticks a callback queued before its microtasks, and a tick queued by a microtask
   * after all of them: queued from a microtask, the look lasts through the task's promise
   * continuations whether it was taken in the callback itself or in one of them.
   */
  private readonly endLookAfterDrain = (): void => {
    realNextTick(this.lookDone);
  };
  private startLook(): void {
    if (LOOKS_OFF) return;
    this.looking = true;
    this.lookEpoch = uncaught.seen;
    void RESOLVED.then(this.endLookAfterDrain);
  }
  /**
   * A callback that throws leaves with its microtasks and ticks not yet run: with an
   * uncaughtException handler (a test runner, an embedding process; the API has none and stops),
   * the next callback would run inside the thrower's look. A look taken before such a throw does not hold.
   */
  private lookEpoch = 0;
  private lookHolds(): boolean {
    return this.looking && this.lookEpoch === uncaught.seen;
  }

  /** The log's head as this connection last knew it (after its own commit, or when it last looked); -1 before it has looked. */
  private knownHead = -1;
  /** The head the current group commit started from (read inside its transaction). */
  private batchFrom: number | null = null;

  private dropCaches(head: number): void {
    this.streamCache.clear();
    this.cachedUnits = 0;
    this.tail = [];
    this.knownHead = head;
  }

  /**
   * After this connection's COMMIT: its own commits leave data_version as it was, so the head it
   * knows moves to what it wrote; but if the batch did not start where the head was known to be,
   * another connection appended in between (the head probe would now match and miss it): every
   * cache is dropped here instead. The data_version taken as seen is the one read inside the
   * transaction, never one read after the COMMIT: another connection may have committed right after
   * it, and its events would then never be looked for; the next look sees that change and probes
   * the head (one probe, only in this rare case).
   */
  private afterOwnCommit(outcomes: ({ ok: AppendResult } | { error: unknown })[]): void {
    let head = -1;
    for (const o of outcomes) if ('ok' in o && o.ok.eventIds.length > 0) head = Math.max(head, o.ok.position);
    if (head < 0) return; // nothing appended: the head probe in cachesHold still tells
    if (this.batchFrom === this.knownHead) this.knownHead = head;
    else this.dropCaches(head);
    // The caches are now what the file held at this COMMIT, a moment of the task running: that is a
    // look (cachesHold), at the data_version read inside the transaction, so commits by others after
    // this COMMIT still differ from it. A command issued right after this one's answer, in the same
    // task (the next line of `ledger import`), reads without looking again.
    this.cachedDataVersion = this.txDataVersion;
    if (!this.lookHolds()) this.startLook();
  }

  /** data_version as the last append's transaction read it, under the write lock. */
  private txDataVersion = -1;

  private appendToTail(written: readonly RecordedEvent[]): void {
    const last = this.tail[this.tail.length - 1];
    if (!last || last.position + 1 !== written[0].position) this.tail = [];
    for (const e of written) this.tail.push(e);
    if (this.tail.length > TAIL_EVENTS * 2) this.tail = this.tail.slice(-TAIL_EVENTS);
  }

  private cachedStream(streamId: string): readonly RecordedEvent[] | undefined {
    if (!this.cachesHold()) return undefined;
    const hit = this.streamCache.get(streamId);
    if (hit) {
      this.streamCache.delete(streamId);
      this.streamCache.set(streamId, hit);
    }
    return hit?.events;
  }

  private forgetStream(streamId: string): void {
    const cached = this.streamCache.get(streamId);
    if (!cached) return;
    this.streamCache.delete(streamId);
    this.cachedUnits -= cached.units;
  }

  /**
   * Write-through after COMMIT: a cached stream extended by exactly what was written; anything else
   * is dropped. A new stream is not cached until it is read: most (a money entry's own stream) are
   * written once and rarely read again, and caching each would push out the centres and parties
   * that every command reads.
   */
  private cacheWritten(streamId: string, written: RecordedEvent[], units: number): void {
    if (written.length === 0) return;
    written.forEach(deepFreeze);
    this.appendToTail(written);
    const cached = this.streamCache.get(streamId);
    this.forgetStream(streamId);
    if (!cached || cached.events.length !== written[0].revision || cached.events.length + written.length > CACHE_STREAM_MAX_EVENTS) return;
    this.keepStream(streamId, [...cached.events, ...written], cached.units + units);
  }

  /**
   * Puts a stream in the cache as its most recently used, dropping the least recently used beyond
   * CACHE_STREAMS streams or CACHE_TEXT_UNITS of text (a stream of `units` is one of those).
   */
  private keepStream(streamId: string, events: readonly RecordedEvent[], units: number): void {
    this.forgetStream(streamId);
    this.streamCache.set(streamId, { events, units });
    this.cachedUnits += units;
    while (this.streamCache.size > CACHE_STREAMS || (this.cachedUnits > CACHE_TEXT_UNITS && this.streamCache.size > 1)) {
      this.forgetStream(this.streamCache.keys().next().value as string);
    }
  }

  async readStream(streamId: string, o: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const max = pageSize(o.maxCount);
    if (max === 0) return [];
    // Uncached (the audit routes): the rows as stored now, and the cache left as it is.
    if (o.direction !== 'backwards' && !o.uncached) {
      const from = o.fromRevision ?? 0;
      const hit = this.cachedStream(streamId);
      // Revisions are 0..n−1 without gaps, so a revision is its index.
      if (hit) return hit.slice(from, from + max);
      if (from === 0) {
        // One query: enough rows to tell a short stream (cached whole) from a long one (answered from the same rows).
        const rows = this.page(STREAM_FWD, 'revision ASC', Math.max(max, CACHE_STREAM_MAX_EVENTS + 1)).all(streamId, 0) as EventArray[];
        if (rows.length > CACHE_STREAM_MAX_EVENTS) return rows.slice(0, max).map(eventOfRow);
        // An empty stream is not cached (see cacheWritten): asking again is one index probe.
        if (rows.length === 0) return [];
        let units = 0;
        const events = rows.map((r) => {
          units += r[6].length + r[7].length;
          return deepFreeze(eventOfRow(r));
        });
        this.keepStream(streamId, events, units);
        return events.slice(0, max);
      }
    }
    const rows =
      o.direction === 'backwards'
        ? this.page('stream_id = ? AND revision <= ?', 'revision DESC', max).all(streamId, o.fromRevision ?? Number.MAX_SAFE_INTEGER)
        : this.page(STREAM_FWD, 'revision ASC', max).all(streamId, o.fromRevision ?? 0);
    return (rows as EventArray[]).map(eventOfRow);
  }

  /**
   * Reads with the page size written into the SQL: a bound `LIMIT ?` made every stream read about
   * 4× slower (28 µs against 6 µs for a missing stream, measured here). One statement per shape
   * and page size; the ledger's own callers use a handful, but page sizes also come from clients
   * (the audit routes' `limit`) and from data, so at most PAGED_STATEMENTS are kept (~9 KB each),
   * the oldest prepared dropped first.
   */
  private readonly paged = new Map<string, Database.Statement>();
  private page(where: string, order: string, limit: number): Database.Statement {
    const key = `${where}|${order}|${limit}`;
    let stmt = this.paged.get(key);
    if (!stmt) {
      stmt = this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} ORDER BY ${order} LIMIT ${limit}`).raw(true);
      if (this.paged.size >= PAGED_STATEMENTS) this.paged.delete(this.paged.keys().next().value!);
      this.paged.set(key, stmt);
    }
    return stmt;
  }

  async readAll(o: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = pageSize(o.maxCount);
    if (max === 0) return [];
    const after = o.after ?? 0;
    if (!o.types && !o.uncached && this.tail.length > 0 && after + 1 >= this.tail[0].position && this.cachesHold() && this.tail.length > 0) {
      // Everything after `after` is in the tail: nothing was written by anyone else since.
      const upTo = o.upTo ?? Number.MAX_SAFE_INTEGER;
      const out: RecordedEvent[] = [];
      for (let i = after + 1 - this.tail[0].position; i < this.tail.length && out.length < max && this.tail[i].position <= upTo; i++) out.push(this.tail[i]);
      return out;
    }
    if (o.types) {
      if (o.types.length === 0) return [];
      // The type column sits before the data in each row, so rows of other types are skipped without reading their JSON.
      const stmt = this.page(`position > ? AND position <= ? AND type IN (${o.types.map(() => '?').join(', ')})`, 'position ASC', max);
      return (stmt.all(after, o.upTo ?? Number.MAX_SAFE_INTEGER, ...o.types) as EventArray[]).map(eventOfRow);
    }
    return (this.page('position > ? AND position <= ?', 'position ASC', max).all(after, o.upTo ?? Number.MAX_SAFE_INTEGER) as EventArray[]).map(eventOfRow);
  }

  subscribe(after: number, onEvents: (events: RecordedEvent[]) => Promise<void> | void, onError: (e: unknown) => void = () => {}): Subscription {
    return this.subscribers.add(new CatchUpSubscription((o) => this.readAll(o), after, onEvents, onError, this.pollMs, BULK_PAGE)); // a first start catches up from position 0 this way
  }

  async headPosition(): Promise<number> {
    return this.headNow();
  }

  /** The last position in the file (0 for an empty log). */
  private headNow(): number {
    return (this.stmts.last.get() as { position: number } | undefined)?.position ?? 0;
  }

  async positionAt(recordedAt: string): Promise<number> {
    return (this.stmts.positionAt.get(recordedAt) as { p: number } | undefined)?.p ?? 0;
  }

  async findIdempotency(key: string, actorId: string | null): Promise<IdempotencyRecord | null> {
    // No sender's id is empty: '' only ever names a receipt from before keys were per sender (actorId null).
    if (actorId === LEGACY_SENDER) return null;
    const row = this.stmts.idemGet.get(actorId ?? LEGACY_SENDER, key) as { request_hash: string; result: string } | undefined;
    return row ? { actorId, key, requestHash: row.request_hash, result: JSON.parse(row.result) } : null;
  }

  async close(): Promise<void> {
    // Appends already asked for are written (or rejected, StoreBusyError if another writer holds the lock), never dropped.
    this.refuseWhenBusy = true;
    this.looking = false; // a closed store's reads fail, also within the task that closed it
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.db.open) this.flush();
    this.subscribers.closeAll();
    if (this.closeReadonly) this.closeReadonly();
    else if (this.db.open) this.db.close();
  }
}
