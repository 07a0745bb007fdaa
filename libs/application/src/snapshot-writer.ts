import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/**
 * One history snapshot for the writer thread. A part's text is null when it is the very text this
 * name's previous snapshot sent for that key: the thread reuses that text's hash instead of
 * receiving (and hashing) it again.
 */
export interface WriteJob {
  seq: number;
  name: string;
  version: number;
  position: number;
  state: string;
  savedAt: string;
  parts: [key: string, text: string | null][];
  /**
   * The hashes of the texts a part sent as null stands for, when they are not the ones this name's
   * previous job sent: after a restore (the stored parts' rows) or a save on the main thread.
   */
  knownHashes?: [key: string, hash: string][];
}

/**
 * The thread's code (plain JavaScript, evaluated, so it runs the same from the TypeScript sources in
 * tests and from dist). Each job is written on the thread's own connection: any text not stored yet,
 * the snapshot's parts and, last, its row, in one transaction unless the main connection's appends
 * want the write lock meanwhile (then in several, the row in the last; a crash or a failure mid-way
 * leaves parts without a row, which are removed, never a half snapshot). The row is committed only
 * in a transaction that has compared the snapshot's stored parts (and their texts) with its own and put back any that
 * went missing or changed meanwhile: another process's writer thread that starts removes every part without a
 * row, including the parts of a snapshot a live thread is still writing (see store). Snapshots are derived data, so this connection commits with synchronous=NORMAL: a
 * power cut may lose the newest ones (the log, appended with synchronous=FULL on the main
 * connection, is not affected; WAL frames are written in order), never leave one half-written.
 */
const SOURCE = `
const { workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const done = new Int32Array(workerData.done);
const port = workerData.port;
const finish = (seq) => { Atomics.store(done, 0, seq); Atomics.notify(done, 0); };
let db;
try {
  const Database = require(workerData.sqlite);
  db = new Database(workerData.path);
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
} catch (e) {
  // Nothing will be written: say why, and release every wait, now and later.
  port.postMessage({ error: String((e && e.stack) || e) });
  finish(0x7fffffff);
  port.close();
}
if (db) {
const dropParts = db.prepare('DELETE FROM projection_snapshot_parts WHERE name = ? AND position = ?');
const upsert = db.prepare('INSERT OR REPLACE INTO projection_snapshots (name, version, position, state, saved_at) VALUES (?, ?, ?, ?, ?)');
const known = db.prepare('SELECT 1 FROM projection_snapshot_texts WHERE hash = ?').pluck();
const insertText = db.prepare('INSERT INTO projection_snapshot_texts (hash, state) VALUES (?, ?)');
// OR REPLACE: another process's thread may be writing the same snapshot (the same view at the same
// position, so the same texts) at the same time; a part it wrote first is not an error.
const insertPart = db.prepare('INSERT OR REPLACE INTO projection_snapshot_parts (name, position, part, hash) VALUES (?, ?, ?, ?)');
const dropPart = db.prepare('DELETE FROM projection_snapshot_parts WHERE name = ? AND position = ? AND part = ?');
const storedParts = db.prepare('SELECT p.part, p.hash, t.hash IS NOT NULL AS whole FROM projection_snapshot_parts p LEFT JOIN projection_snapshot_texts t ON t.hash = p.hash WHERE p.name = ? AND p.position = ?');
const dropUnused = db.prepare('DELETE FROM projection_snapshot_texts WHERE NOT EXISTS (SELECT 1 FROM projection_snapshot_parts p WHERE p.hash = projection_snapshot_texts.hash)');
/** Each name's part hashes as last written, by key. */
const lastHashes = new Map();
// The parts' hashes are worked out before the transaction: the main connection waits for the write
// lock while this one holds it (the first snapshot after a restart hashes every text again, ~33 MB
// of funding parts at 1,000,000 events: ~40 ms that appends no longer wait behind).
const hashesOf = (job) => {
  const previous = job.knownHashes ? new Map(job.knownHashes) : lastHashes.get(job.name);
  const hashes = new Map();
  for (const [key, text] of job.parts) {
    let hash;
    if (text === null) {
      hash = previous && previous.get(key);
      if (hash === undefined) throw new Error('snapshot ' + job.name + '@' + job.position + ': part ' + key + ' was sent as unchanged, but no earlier text is known');
    } else hash = createHash('sha256').update(text).digest('base64');
    hashes.set(key, hash);
  }
  return hashes;
};
const hasRow = db.prepare('SELECT 1 FROM projection_snapshots WHERE name = ? AND position = ?').pluck();
const dropRow = db.prepare('DELETE FROM projection_snapshots WHERE name = ? AND position = ?');
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
const orphans = db.prepare('SELECT DISTINCT p.name, p.position FROM projection_snapshot_parts p WHERE NOT EXISTS (SELECT 1 FROM projection_snapshots s WHERE s.name = p.name AND s.position = p.position)');
// The main connection says here when its appends want SQLite's write lock (1) and when they are
// done (0). This thread then commits what it has and lets them go first: an append used to wait in
// SQLite's busy handler behind a whole snapshot (1,158 part rows at 1,000,000 events held the lock
// 32-45 ms), and the handler sleeps in growing steps, so it often waited longer still.
const intent = workerData.intent ? new Int32Array(workerData.intent) : null;
let open = false;
const giveWayToAppends = () => {
  if (!intent || Atomics.load(intent, 0) === 0) return;
  if (open) {
    commit.run();
    open = false;
  }
  // Bounded: the main thread clears it in a finally right after its COMMIT.
  for (let k = 0; k < 1000 && Atomics.load(intent, 0) !== 0; k++) Atomics.wait(intent, 0, 1, 1);
};
const inTransaction = (f) => {
  giveWayToAppends();
  if (!open) {
    begin.run();
    open = true;
  }
  f();
};
/**
 * Puts back what the snapshot lost while it was written: its parts are in several transactions, and
 * another process's thread that started meanwhile removed them as parts without a row (dropOrphans,
 * which cannot tell a crashed write from a live one), with the texts only they named; or another
 * release's thread wrote the same name and position meanwhile, with its own texts. A part whose
 * text came with the job is written again; a part sent as unchanged names a text the previous
 * snapshot of this name stores (so it is still there), else the snapshot cannot be stored whole and
 * the job fails (nothing of it is kept). Parts of another write of the same snapshot that this one
 * does not have go.
 */
const repair = (job, hashes) => {
  const stored = new Map();
  let replaced = 0;
  for (const r of storedParts.all(job.name, job.position)) stored.set(r.part, r.whole ? r.hash : null);
  for (const [key, text] of job.parts) {
    const hash = hashes.get(key);
    const was = stored.get(key);
    stored.delete(key);
    if (was === hash) continue;
    if (was) replaced++;
    if (known.get(hash) === undefined) {
      if (text === null) throw new Error('snapshot ' + job.name + '@' + job.position + ': part ' + key + ' was sent as unchanged, but its text is no longer stored (another process removed what kept it); the snapshot is not stored');
      insertText.run(hash, text);
    }
    insertPart.run(job.name, job.position, key, hash);
  }
  for (const key of stored.keys()) dropPart.run(job.name, job.position, key);
  // Another write's texts that no part names any more go now, not at some later save.
  return replaced + stored.size;
};
/**
 * A snapshot's parts go in first, possibly over several transactions (see giveWayToAppends), and
 * its row last: a snapshot is read through its row, so none is ever seen half-written. The last
 * transaction reads the parts stored, with whether their texts are (one query), and repairs any that
 * is missing or not this write's, before its row: whatever another process removed meanwhile, a stored row always
 * has every part. What a crash or a failure leaves half-way (parts without a row) is removed
 * (dropLeft now, dropOrphans at the next thread's start).
 */
const store = (job, hashes) => {
  let dropped = 0;
  try {
    // A snapshot written again at the same position loses its old row first (so it is never read
    // with its parts half-replaced), and parts left by a write of it that did not finish go too.
    inTransaction(() => {
      dropRow.run(job.name, job.position);
      dropped += dropParts.run(job.name, job.position).changes;
    });
    for (const [key, text] of job.parts) {
      inTransaction(() => {
        const hash = hashes.get(key);
        if (text !== null && known.get(hash) === undefined) insertText.run(hash, text);
        insertPart.run(job.name, job.position, key, hash);
      });
    }
    inTransaction(() => {
      // Every part compared by its hash, not counted: another release's thread writing the same name and
      // position (a rolling upgrade) leaves as many parts, with its own texts.
      dropped += repair(job, hashes);
      upsert.run(job.name, job.version, job.position, job.state, job.savedAt);
      if (dropped > 0) dropUnused.run();
    });
    commit.run();
    open = false;
  } catch (e) {
    if (open) rollback.run();
    open = false;
    try {
      dropLeft(job);
    } catch {
      // The write's own error is the one to report; the parts left go at the next start.
    }
    throw e;
  }
};
/** The parts a failed write of this snapshot left without a row, and the texts only they named (not other writes' parts: they may be under way). */
const dropLeft = (job) => {
  db.transaction(() => {
    if (hasRow.get(job.name, job.position) !== undefined) return;
    if (dropParts.run(job.name, job.position).changes > 0) dropUnused.run();
  }).immediate();
};
/**
 * Parts whose snapshot row was never written (a crash or a failure between a snapshot's
 * transactions), and the texts only they named. They may also be the parts of a snapshot another
 * process's thread is writing right now: that thread puts them back before its row (repair).
 */
const dropOrphans = () => {
  const left = orphans.all();
  if (left.length === 0) return;
  db.transaction(() => {
    for (const o of left) if (hasRow.get(o.name, o.position) === undefined) dropParts.run(o.name, o.position);
    dropUnused.run();
  }).immediate();
};
dropOrphans();
const write = (job) => {
  const hashes = hashesOf(job);
  store(job, hashes);
  return hashes;
};
port.on('message', (job) => {
  if (job.close) {
    db.close();
    port.close();
    finish(job.seq);
    return;
  }
  try {
    lastHashes.set(job.name, write(job));
  } catch (e) {
    lastHashes.clear();
    port.postMessage({ seq: job.seq, error: String((e && e.stack) || e) });
  }
  finish(job.seq);
});
}
`;

/** How long a wait for the thread may go without progress before the thread is given up on. */
const STALL_MS = 120_000;

/**
 * Writes history snapshots on a worker thread with its own connection to the SQLite file, so the
 * main thread folds on while SHA-256 and SQLite (page writes, COMMIT, WAL checkpoints) run beside
 * it. Jobs are written in the order sent; `flush` blocks (Atomics.wait) until every job sent is
 * written, which the store does before any read or write of its own, so nothing it reads or
 * writes ever overtakes a pending snapshot. At most `maxPendingBytes` of texts wait at any time.
 */
export class SnapshotWriter {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private sent = 0;
  private readonly inFlight: { seq: number; bytes: number }[] = [];
  private inFlightBytes = 0;
  /** Why the thread stopped writing (then every later snapshot is written by the main thread). */
  failed: string | null = null;

  /**
   * `writeIntent`: the main connection's flag (1 while its appends want the write lock, see
   * SqliteEventStore.writeIntent); the thread then commits what it has and waits for them.
   */
  private readonly maxPendingBytes: number;

  constructor(path: string, { writeIntent, maxPendingBytes = 96 * 2 ** 20 }: { writeIntent?: Int32Array; maxPendingBytes?: number } = {}) {
    this.maxPendingBytes = maxPendingBytes;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(SOURCE, { eval: true, workerData: { path, sqlite: require.resolve('better-sqlite3'), done: this.done.buffer, port: port2, intent: writeIntent?.buffer ?? null }, transferList: [port2] });
    // Never keeps the process alive: a process that ends without closing the store loses only the snapshots still pending.
    this.worker.unref();
    this.worker.on('error', (e) => {
      this.failed ??= String((e as Error)?.stack ?? e);
    });
    this.port.unref();
  }

  /** Hands one snapshot to the thread (blocking first while too many bytes are pending). */
  write(job: Omit<WriteJob, 'seq'>, bytes: number): void {
    const seq = ++this.sent;
    this.port.postMessage({ ...job, seq });
    this.inFlight.push({ seq, bytes });
    this.inFlightBytes += bytes;
    while (this.inFlightBytes > this.maxPendingBytes && !this.failed) this.waitFor(this.inFlight[0].seq);
  }

  /** Blocks until every snapshot handed over so far is stored (or the thread failed). */
  flush(): void {
    this.waitFor(this.sent);
  }

  /**
   * Flushes, then waits until the thread has closed its connection (so the main connection, closed
   * last, checkpoints the WAL into the database and removes it, as without the thread); the thread then ends.
   */
  close(): void {
    this.flush();
    if (this.failed) return;
    const seq = ++this.sent;
    this.port.postMessage({ close: true, seq });
    this.waitFor(seq);
  }

  private waitFor(seq: number): void {
    let since = Date.now();
    let last = -1;
    for (;;) {
      const at = Atomics.load(this.done, 0);
      this.settle(at);
      if (at >= seq || this.failed) return;
      if (at !== last) [last, since] = [at, Date.now()];
      else if (Date.now() - since > STALL_MS) {
        this.failed = `the snapshot writer thread made no progress for ${STALL_MS} ms`;
        void this.worker.terminate();
        return;
      }
      Atomics.wait(this.done, 0, at, 1_000);
    }
  }

  private settle(at: number): void {
    while (this.inFlight.length > 0 && this.inFlight[0].seq <= at) this.inFlightBytes -= this.inFlight.shift()!.bytes;
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const { error } = m.message as { error?: string };
      if (error && !this.failed) this.failed = error;
    }
  }
}
