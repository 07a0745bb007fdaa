import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { RecordedEvent } from '../../../domain/src/shared';
import { hashEvent } from '../../../event-store/src/hashing';
import { StreamDeletedOnNodeError } from '../../../event-store/src/errors';
import { BULK_PAGE, EventStore } from '../../../event-store/src/port';
import { EVENT_COLUMNS, EventArray, eventOfRow, SqliteEventStore } from '../../../event-store/src/sqlite-event-store';
import { LEGACY_SENDER, receiptsSource } from '../../../event-store/src/sqlite-schema';

/**
 * Integrity you can check: a walk over the global log that recomputes every event's hash,
 * follows each stream's chain (prevHash → the stored hash of the previous revision), and
 * notices gaps in revisions and positions; plus a digest, one SHA-256 over every stream's
 * head (streamId, revision, stored hash) up to a global position, which an auditor keeps
 * outside the ledger and later checks with `verify --digest D --position P`.
 */

/** One item of the log as read for verification: an event, or a row whose stored content no longer parses. */
export type VerifiableItem =
  | { ok: true; event: RecordedEvent; /** Set when the stored text is not the text the store writes for what it parses to (see storedTextAltered). */ altered?: string }
  | { ok: false; position: number | null; streamId: string | null; revision: number | null; hash: string | null; reason: string; /** What is wrong (default 'unreadable'). */ problem?: 'unreadable' | 'stream-deleted' };

/** `stream-deleted`: the stream was hard-deleted (tombstoned) on the EventStoreDB node (see storeSource). */
export type EventProblemReason = 'unreadable' | 'stream-deleted' | 'content-altered' | 'chain-broken' | 'revision-gap' | 'revision-out-of-order' | 'position-out-of-order';

/** The first event of a stream whose stored content no longer matches. */
export interface BrokenStream {
  streamId: string;
  revision: number | null;
  position: number | null;
  reasons: EventProblemReason[];
  detail: string;
  /** How many events of this stream failed a check (the first is named above). */
  badEvents: number;
}

/** Problems of the log as a whole: positions that are missing, or a log shorter than the digest's position. */
export type LogProblem =
  | { kind: 'missing-positions'; from: number; to: number; detail: string }
  | { kind: 'log-ends-before-digest-position'; from: number; to: number; detail: string }
  | { kind: 'log-ends-before-up-to'; from: number; to: number; detail: string }
  | { kind: 'unreadable-line'; position: number | null; detail: string }
  /**
   * The idempotency table and the log disagree (see sqliteIdempotencyProblems). `actorId`: the
   * sender whose key it is (absent for a receipt stored before keys were per sender: the key alone).
   */
  | { kind: 'idempotency-mismatch'; key: string; actorId?: string; position: number | null; detail: string };

export interface DigestCheck {
  position: number;
  expected: string;
  actual: string;
  matches: boolean;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  /** The last position read. */
  headPosition: number;
  /** Verification stopped after this position (null: the whole log). */
  upTo: number | null;
  brokenStreams: BrokenStream[];
  logProblems: LogProblem[];
  digest: DigestCheck | null;
  /** The lowest global position named by any problem (null when none can be placed). */
  firstBadPosition: number | null;
  /** The digest of the log up to `headPosition`, as recomputed from the stored heads. */
  headDigest: { position: number; digest: string };
}

export interface VerifyOptions {
  /** Whether the store's hashes cover the global position (EventStore.hashCoversPosition). */
  hashCoversPosition: boolean;
  /**
   * Whether the store numbers positions without gaps (hasContiguousPositions of its kind; default
   * true). Only then is a skipped position a missing event: EventStoreDB's commit positions skip
   * by design. Positions must strictly increase either way, and a removed event still breaks its
   * stream's revisions and chain, and the digest.
   */
  contiguousPositions?: boolean;
  /** Stop after this global position. */
  upTo?: number;
  /** Check this digest, recorded earlier at `digestPosition`. */
  expectedDigest?: string;
  digestPosition?: number;
}

export interface StreamHead {
  revision: number;
  hash: string;
}

export const DIGEST_ALGORITHM = 'ledger-digest-v1 (SHA-256 over "position P" and every stream head "streamId revision hash", streams in code-unit order)';

/** The digest of a set of stream heads at a global position; the order of `heads` does not matter. */
export const digestOfHeads = (position: number, heads: Iterable<[string, StreamHead]>): string => {
  const list = [...heads].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const h = createHash('sha256');
  h.update(`ledger-digest-v1\nposition ${position}\n`);
  for (const [streamId, head] of list) h.update(`${JSON.stringify(streamId)} ${head.revision} ${head.hash}\n`);
  return h.digest('hex');
};

export const isDigest = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

/** Walks the log once, in position order; feed it items with `add`, then `finish`. */
export class ChainVerifier {
  private readonly heads = new Map<string, StreamHead>();
  private readonly broken = new Map<string, BrokenStream>();
  private readonly logProblems: LogProblem[] = [];
  private lastPosition = 0;
  private events = 0;
  private digestActual: string | null = null;

  constructor(private readonly options: VerifyOptions) {}

  /** False once the walk has passed `upTo`: the caller may stop reading. */
  get wantsMore(): boolean {
    return this.options.upTo === undefined || this.lastPosition < this.options.upTo;
  }

  add(item: VerifiableItem): void {
    const position = item.ok ? item.event.position : item.position;
    if (position !== null && this.options.upTo !== undefined && position > this.options.upTo) return;
    if (position !== null) this.beforePosition(position);
    if (!item.ok) {
      // A tombstone is no event of the ledger's (its stream's events, where still in the log, are counted as read).
      if (item.problem !== 'stream-deleted') this.events++;
      if (item.streamId === null) {
        this.logProblems.push({ kind: 'unreadable-line', position, detail: item.reason });
      } else {
        this.flag(item.streamId, item.revision, position, [item.problem ?? 'unreadable'], item.reason);
        if (item.revision !== null && item.hash !== null) this.heads.set(item.streamId, { revision: item.revision, hash: item.hash });
      }
      // A tombstone is no event either: the head the report names (and its digest, which GET /audit/digest can take again) stays at the last event.
      if (position !== null && position > this.lastPosition && item.problem !== 'stream-deleted') this.lastPosition = position;
      return;
    }
    const e = item.event;
    this.events++;
    const reasons: EventProblemReason[] = [];
    const details: string[] = [];
    if (e.position <= this.lastPosition) {
      reasons.push('position-out-of-order');
      details.push(`position ${e.position} comes after position ${this.lastPosition}`);
    }
    const head = this.heads.get(e.streamId);
    const expectedRevision = head ? head.revision + 1 : 0;
    if (e.revision > expectedRevision) {
      reasons.push('revision-gap');
      details.push(`revision ${expectedRevision}${e.revision - 1 > expectedRevision ? `–${e.revision - 1}` : ''} missing before revision ${e.revision}`);
    } else if (e.revision < expectedRevision) {
      reasons.push('revision-out-of-order');
      details.push(`revision ${e.revision} after revision ${expectedRevision - 1}`);
    }
    const expectedPrev = head ? head.hash : null;
    if (e.prevHash !== expectedPrev) {
      reasons.push('chain-broken');
      details.push('prevHash does not equal the stored hash of the previous event of this stream');
    }
    let recomputed: string | null = null;
    try {
      recomputed = hashEvent(e, this.options.hashCoversPosition);
    } catch {
      recomputed = null;
    }
    if (recomputed !== e.hash || item.altered) reasons.push('content-altered');
    if (recomputed !== e.hash) details.push('the stored content no longer hashes to the stored hash');
    if (item.altered) details.push(item.altered);
    if (reasons.length) this.flag(e.streamId, e.revision, e.position, reasons, details.join('; '));
    this.heads.set(e.streamId, { revision: Math.max(e.revision, head?.revision ?? -1), hash: e.hash });
    if (e.position > this.lastPosition) this.lastPosition = e.position;
  }

  private beforePosition(position: number): void {
    const { digestPosition } = this.options;
    if (digestPosition !== undefined && this.digestActual === null && position > digestPosition) {
      this.digestActual = digestOfHeads(digestPosition, this.heads);
    }
    if (this.options.contiguousPositions !== false && position > this.lastPosition + 1) {
      const from = this.lastPosition + 1;
      const to = position - 1;
      this.logProblems.push({ kind: 'missing-positions', from, to, detail: from === to ? `the event at position ${from} is missing` : `the events at positions ${from}–${to} are missing` });
    }
  }

  private flag(streamId: string, revision: number | null, position: number | null, reasons: EventProblemReason[], detail: string): void {
    const b = this.broken.get(streamId);
    if (!b) {
      this.broken.set(streamId, { streamId, revision, position, reasons, detail, badEvents: 1 });
      return;
    }
    // A stream already found broken (a gap where a scavenge removed its older events) that was also
    // hard-deleted says so too: that is what an administrator restores it for. Its tombstone is no bad event.
    if (reasons.includes('stream-deleted')) {
      if (!b.reasons.includes('stream-deleted')) {
        b.reasons = [...b.reasons, 'stream-deleted'];
        b.detail = `${b.detail}; ${detail}`;
      }
      return;
    }
    b.badEvents++;
  }

  finish(): VerifyReport {
    const { digestPosition, expectedDigest } = this.options;
    let digest: DigestCheck | null = null;
    if (digestPosition !== undefined) {
      if (this.lastPosition < digestPosition) {
        this.logProblems.push({
          kind: 'log-ends-before-digest-position',
          from: this.lastPosition + 1,
          to: digestPosition,
          detail: `the log ends at position ${this.lastPosition}, but the digest was taken at position ${digestPosition}: events ${this.lastPosition + 1}–${digestPosition} are missing`,
        });
      }
      const actual = this.digestActual ?? digestOfHeads(digestPosition, this.heads);
      digest = { position: digestPosition, expected: expectedDigest ?? '', actual, matches: expectedDigest === actual };
    }
    // An auditor who asks to check up to position N expects N events; a log that ends before is cut short.
    // (EventStoreDB's commit positions skip by design, so there a shorter log proves nothing.)
    const { upTo } = this.options;
    if (upTo !== undefined && this.lastPosition < upTo && this.options.contiguousPositions !== false && (digestPosition === undefined || digestPosition < upTo)) {
      this.logProblems.push({
        kind: 'log-ends-before-up-to',
        from: this.lastPosition + 1,
        to: upTo,
        detail: `the log ends at position ${this.lastPosition}, before --up-to ${upTo}: events ${this.lastPosition + 1}–${upTo} are missing`,
      });
    }
    const brokenStreams = [...this.broken.values()].sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
    const positions = [
      ...brokenStreams.map((b) => b.position),
      ...this.logProblems.map((p) => ('from' in p ? p.from : p.position)),
    ].filter((p): p is number => p !== null);
    const ok = brokenStreams.length === 0 && this.logProblems.length === 0 && (digest === null || digest.matches);
    return {
      ok,
      eventsChecked: this.events,
      streamsChecked: this.heads.size,
      headPosition: this.lastPosition,
      upTo: this.options.upTo ?? null,
      brokenStreams,
      logProblems: this.logProblems,
      digest,
      firstBadPosition: positions.length ? Math.min(...positions) : null,
      headDigest: { position: this.lastPosition, digest: digestOfHeads(this.lastPosition, this.heads) },
    };
  }
}

/** A source of the log in position order, in batches. */
export type LogSource = AsyncIterable<VerifiableItem[]>;

const PAGE = 5_000;
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The log of a store as verify reads it: a SQLite ledger's raw rows (a damaged row is named, not thrown), any other store's through the port. */
export const logSourceOf = (store: EventStore, upTo?: number): LogSource => (store instanceof SqliteEventStore ? sqliteSource(store.db, upTo) : storeSource(store, upTo));

/** What the walk says of a stream hard-deleted on the EventStoreDB node, at its tombstone's position. */
export const streamDeletedItem = (e: StreamDeletedOnNodeError & { position: number }): VerifiableItem => ({
  ok: false,
  problem: 'stream-deleted',
  position: e.position,
  streamId: e.streamId,
  revision: null,
  hash: null,
  reason: `the stream was hard-deleted (tombstoned) on the EventStoreDB node at position ${e.position}: it can no longer be read or added to, and its events leave the log at the node's next scavenge (any still there are checked above); an administrator must restore it from a backup of the node taken before the deletion`,
});

/**
 * The log through the store port (any adapter). A stream hard-deleted on EventStoreDB (readAll fails
 * at its tombstone, StreamDeletedOnNodeError) is named as a problem, not a crash: the events before
 * the tombstone are read first (up to the position before it), then the walk goes on past it.
 */
export async function* storeSource(store: EventStore, upTo?: number): LogSource {
  let after = 0;
  for (;;) {
    let page;
    try {
      page = await store.readAll({ after, upTo, maxCount: PAGE });
    } catch (e) {
      if (!(e instanceof StreamDeletedOnNodeError) || e.position === null || e.position <= after) throw e;
      page = await store.readAll({ after, upTo: e.position - 1, maxCount: PAGE });
      if (page.length === 0) {
        yield [streamDeletedItem(e as StreamDeletedOnNodeError & { position: number })];
        after = e.position;
        continue;
      }
    }
    if (page.length === 0) return;
    yield page.map((event) => ({ ok: true as const, event }));
    after = page[page.length - 1].position;
    await yieldToLoop();
  }
}

/**
 * Why a stored JSON text is not the text its writer wrote for what it parses to, or null. The
 * SQLite store writes exactly `JSON.stringify(data)` and `JSON.stringify(metadata)`, and an export
 * exactly `JSON.stringify(event)` per line, so any other text that parses to the same object was
 * changed afterwards, and the hash (of the parsed object) cannot see it: e.g. a key written twice,
 * `{"name":"KC Forged",…,"name":"KC …"}`, which JSON.parse reads as the last and SQLite's
 * json_extract as the first. Only for text this code wrote (not EventStoreDB's, read through its client).
 */
export const storedTextAltered = (what: string, text: string, parsed: unknown): string | null =>
  JSON.stringify(parsed) === text ? null : `the ${what} is not the text written for it (JSON.stringify of what it parses to): it was altered, e.g. a key written twice`;

/** Reads one raw SQLite row (an array, EVENT_COLUMNS order); a row whose JSON no longer parses is reported, not thrown. */
export const sqliteRowToItem = (r: EventArray): VerifiableItem => {
  try {
    const event = eventOfRow(r);
    const altered = [storedTextAltered('stored data text', r[6], event.data), storedTextAltered('stored metadata text', r[7], event.metadata)].filter((x) => x !== null).join('; ');
    return altered ? { ok: true, event, altered } : { ok: true, event };
  } catch {
    return { ok: false, position: r[0], streamId: r[2], revision: r[3], hash: r[10], reason: 'the stored data or metadata is no longer valid JSON' };
  }
};

/**
 * Rows straight from the file, as arrays and BULK_PAGE at a time, as the store's own bulk reads do:
 * `ledger verify` of the 1,000,000-event bench ledger took 29–36 s reading pages of 5,000 row
 * objects and 21–24 s this way (measured here, same digest).
 */
const sqlitePage = (db: Database) => db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND position <= ? ORDER BY position ASC LIMIT ${BULK_PAGE}`).raw(true);

/** The log straight from a ledger SQLite file (raw rows, so a damaged row is named instead of crashing the walk). */
export async function* sqliteSource(db: Database, upTo?: number): LogSource {
  const stmt = sqlitePage(db);
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, upTo ?? Number.MAX_SAFE_INTEGER) as EventArray[];
    if (rows.length === 0) return;
    yield rows.map(sqliteRowToItem);
    after = rows[rows.length - 1][0];
    await yieldToLoop();
  }
}

/** Synchronous variant for tests and tools that hold an in-memory database. */
export const verifySqliteSync = (db: Database, options: VerifyOptions): VerifyReport => {
  const v = new ChainVerifier(options);
  const stmt = sqlitePage(db);
  let after = 0;
  for (;;) {
    const rows = stmt.all(after, options.upTo ?? Number.MAX_SAFE_INTEGER) as EventArray[];
    if (rows.length === 0) break;
    for (const r of rows) v.add(sqliteRowToItem(r));
    after = rows[rows.length - 1][0];
  }
  return v.finish();
};

export const verifySource = async (source: LogSource, options: VerifyOptions): Promise<VerifyReport> => {
  const v = new ChainVerifier(options);
  for await (const batch of source) {
    for (const item of batch) v.add(item);
    if (!v.wantsMore) break;
  }
  return v.finish();
};

/** The digest of the log up to `position` (the stored heads; run verify to know the chains behind them are intact). */
export const digestOfSource = async (source: LogSource, position: number): Promise<{ position: number; digest: string; streams: number; events: number }> => {
  const heads = new Map<string, StreamHead>();
  let events = 0;
  for await (const batch of source) {
    for (const item of batch) {
      const p = item.ok ? item.event.position : item.position;
      if (p !== null && p > position) continue;
      // A digest taken across a stream hard-deleted on the node would fingerprint a log with a hole: refused, as every whole-log read is.
      if (!item.ok && item.problem === 'stream-deleted') throw new StreamDeletedOnNodeError(item.streamId ?? '', item.position);
      const streamId = item.ok ? item.event.streamId : item.streamId;
      const revision = item.ok ? item.event.revision : item.revision;
      const hash = item.ok ? item.event.hash : item.hash;
      events++;
      if (streamId === null || revision === null || hash === null) continue;
      const head = heads.get(streamId);
      if (!head || revision > head.revision) heads.set(streamId, { revision, hash });
    }
  }
  return { position, digest: digestOfHeads(position, heads), streams: heads.size, events };
};

/** The digest straight from a ledger SQLite file: reads only (stream, revision, hash), so a million events take a second or two. */
export const sqliteDigest = (db: Database, position: number): { position: number; digest: string; streams: number; events: number } => {
  const heads = new Map<string, StreamHead>();
  let events = 0;
  for (const r of db.prepare('SELECT stream_id, revision, hash FROM events WHERE position <= ? ORDER BY position ASC').iterate(position) as Iterable<{ stream_id: string; revision: number; hash: string }>) {
    events++;
    const head = heads.get(r.stream_id);
    if (!head || r.revision > head.revision) heads.set(r.stream_id, { revision: r.revision, hash: r.hash });
  }
  return { position, digest: digestOfHeads(position, heads), streams: heads.size, events };
};

/**
 * Cross-checks a SQLite ledger's idempotency receipts with its log: every receipt (table
 * `idempotency`: sender and key → the append's result) must name events that are in the log,
 * recorded under that key by that sender, in the stream and at the position and revision it says; a
 * receipt of an append that recorded nothing (no eventIds) must name a position within the log; and
 * every event recorded under a key must be named by its receipt: its sender's for that key, else
 * (a ledger kept from before keys were per sender) the receipt stored for the key alone. Either side
 * changed alone is a problem: a receipt left for an event that is gone (the last row deleted) would
 * answer a retry "already applied" for nothing, and an event without its receipt would be recorded
 * again by a retry. The log's JSON is read with SQLite's json_extract, which agrees with JSON.parse
 * on text the store wrote (a row whose text was altered is named by the walk, see storedTextAltered).
 * A ledger file made before keys were per sender and opened read-only (not migrated) has the key
 * alone: each of its receipts is checked as one stored for the key alone.
 */
export const sqliteIdempotencyProblems = (db: Database): LogProblem[] => {
  const problems: Extract<LogProblem, { kind: 'idempotency-mismatch' }>[] = [];
  const push = (key: string, sender: string, position: number | null, what: string): void => {
    const legacy = sender === LEGACY_SENDER;
    problems.push({ kind: 'idempotency-mismatch', key, ...(legacy ? {} : { actorId: sender }), position, detail: `idempotency key ${JSON.stringify(key)}${legacy ? '' : ` of sender ${JSON.stringify(sender)}`}: ${what}` });
  };
  const json = (path: string) => `CASE WHEN json_valid(metadata) THEN json_extract(metadata, '${path}') END`;
  const keyOf = json('$.idempotencyKey');
  const actorOf = json('$.actorId');
  // The receipts, each with its sender (LEGACY_SENDER throughout in a file of the old layout).
  const receipts = receiptsSource(db);
  const head = (db.prepare('SELECT max(position) AS p FROM events').get() as { p: number | null }).p ?? 0;
  const byId = db.prepare(`SELECT position, stream_id, revision, ${keyOf} AS k, ${actorOf} AS a FROM events WHERE event_id = ?`);
  for (const row of db.prepare(`SELECT actor_id, key, result FROM ${receipts}`).iterate() as Iterable<{ actor_id: string; key: string; result: string }>) {
    const sender = row.actor_id;
    let r: { streamId?: unknown; revision?: unknown; position?: unknown; eventIds?: unknown };
    try {
      r = JSON.parse(row.result) as typeof r;
    } catch {
      r = {};
    }
    const ids = r && Array.isArray(r.eventIds) && r.eventIds.every((id) => typeof id === 'string') ? (r.eventIds as string[]) : null;
    if (!r || typeof r.streamId !== 'string' || !Number.isSafeInteger(r.position) || !Number.isSafeInteger(r.revision) || ids === null) {
      push(row.key, sender, null, 'its receipt is not a readable append result (streamId, revision, position, eventIds)');
      continue;
    }
    const position = r.position as number;
    if (ids.length === 0) {
      if (position < 0 || position > head) push(row.key, sender, position, `its receipt of an append that recorded nothing names position ${position}, beyond the log's last position ${head}`);
      continue;
    }
    let last: { position: number; revision: number } | null = null;
    let bad = false;
    for (const id of ids) {
      const e = byId.get(id) as { position: number; stream_id: string; revision: number; k: unknown; a: unknown } | undefined;
      if (!e) push(row.key, sender, position, `its receipt names event ${id}, which is not in the log`);
      else if (e.k !== row.key) push(row.key, sender, e.position, `its receipt names event ${id} (position ${e.position}), which was recorded ${typeof e.k === 'string' ? `under the key ${JSON.stringify(e.k)}` : 'without an idempotency key'}`);
      else if (sender !== LEGACY_SENDER && e.a !== sender) push(row.key, sender, e.position, `its receipt names event ${id} (position ${e.position}), which was recorded by ${typeof e.a === 'string' ? `the sender ${JSON.stringify(e.a)}` : 'no sender'}`);
      else if (e.stream_id !== r.streamId) push(row.key, sender, e.position, `its receipt names stream ${r.streamId}, but its event ${id} (position ${e.position}) is in stream ${e.stream_id}`);
      else {
        if (!last || e.position > last.position) last = { position: e.position, revision: e.revision };
        continue;
      }
      bad = true;
    }
    if (!bad && last && (last.position !== position || last.revision !== r.revision)) {
      push(row.key, sender, Math.min(position, last.position), `its receipt says position ${position}, revision ${String(r.revision)}, but its last event is at position ${last.position}, revision ${last.revision}`);
    }
  }
  // Keys the log holds (per sender) without a receipt, or with a receipt naming another number of
  // events: the sender's own receipt for the key, else one stored for the key alone.
  const unmatched = db.prepare(
    `SELECT e.a AS a, e.k AS k, count(*) AS n, min(e.position) AS p, coalesce(max(s.result), max(l.result)) AS r, max(s.result) IS NOT NULL AS own
       FROM (SELECT position, ${keyOf} AS k, ${actorOf} AS a FROM events) e
       LEFT JOIN ${receipts} s ON s.actor_id = e.a AND s.key = e.k AND s.actor_id != '${LEGACY_SENDER}'
       LEFT JOIN ${receipts} l ON l.actor_id = '${LEGACY_SENDER}' AND l.key = e.k
      WHERE e.k IS NOT NULL GROUP BY e.a, e.k
     HAVING r IS NULL OR (json_valid(r) AND json_type(r, '$.eventIds') = 'array' AND json_array_length(r, '$.eventIds') != count(*))`,
  );
  for (const u of unmatched.iterate() as Iterable<{ a: unknown; k: unknown; n: number; p: number; r: string | null; own: number }>) {
    const key = String(u.k);
    const sender = typeof u.a === 'string' ? u.a : String(u.a);
    const events = u.n === 1 ? `the event at position ${u.p} was` : `${u.n} events (the first at position ${u.p}) were`;
    const named = u.r === null ? 0 : (JSON.parse(u.r) as { eventIds: unknown[] }).eventIds.length;
    if (u.r === null) push(key, sender, u.p, `${events} recorded under this key, which has no receipt in the idempotency table: a retry of that request would be recorded again`);
    else push(key, u.own ? sender : LEGACY_SENDER, u.p, `${events} recorded under this key${u.own ? '' : ` by the sender ${JSON.stringify(sender)}`}, but its receipt names ${named}`);
  }
  return problems.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
};

/** The report with more problems of the log (e.g. sqliteIdempotencyProblems): not ok when there are any. */
export const withLogProblems = (report: VerifyReport, problems: LogProblem[]): VerifyReport => {
  if (problems.length === 0) return report;
  const positions = problems.map((p) => ('from' in p ? p.from : p.position)).filter((p): p is number => p !== null);
  const first = [report.firstBadPosition, ...positions].filter((p): p is number => p !== null);
  return { ...report, ok: false, logProblems: [...report.logProblems, ...problems], firstBadPosition: first.length ? Math.min(...first) : null };
};

/** Human-readable lines for a report (CLI and README examples). */
export const describeReport = (r: VerifyReport): string[] => {
  const lines: string[] = [];
  lines.push(`${r.ok ? 'OK' : 'FAILED'}: ${r.eventsChecked.toLocaleString('en-US')} events in ${r.streamsChecked.toLocaleString('en-US')} streams checked up to position ${r.headPosition}`);
  for (const b of r.brokenStreams) {
    lines.push(`  stream ${b.streamId}: first bad event at revision ${b.revision ?? '?'}, position ${b.position ?? '?'} (${b.reasons.join(', ')}): ${b.detail}${b.badEvents > 1 ? ` [${b.badEvents} bad events in this stream]` : ''}`);
  }
  for (const p of r.logProblems) lines.push(`  log: ${p.detail}`);
  if (r.digest) {
    lines.push(r.digest.matches ? `  digest at position ${r.digest.position} matches` : `  digest at position ${r.digest.position} does NOT match: expected ${r.digest.expected || '(none)'}, the ledger gives ${r.digest.actual}`);
  }
  if (r.firstBadPosition !== null) lines.push(`  first bad position: ${r.firstBadPosition}`);
  lines.push(`  digest at position ${r.headDigest.position}: ${r.headDigest.digest}`);
  return lines;
};
