import { createHash } from 'node:crypto';
import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { RecordedEvent } from '../../domain/src/shared';
import { CatchUpSubscription, SubscriberSet } from './catch-up-subscription';
import { IdempotencyKeyTakenError, StoreBusyError, StoreOutcomeUnknownError, StreamDeletedOnNodeError, WrongExpectedRevisionError } from './errors';
import { nextRecordedAt, revisionMatches, sealEvents } from './hashing';
import { checkAppendConditionsAsync, LaterEvent } from './append-conditions';
import { CLAIM_LEASE_MS, ClaimRecord, claimToSettle, settleClaim } from './stale-claim';
import { AppendConditions, AppendResult, EventStore, EventToAppend, ExpectedRevision, IdempotencyClaim, IdempotencyRecord, idempotencyScope, MAX_PAGE, ReadAllOptions, ReadStreamOptions, Subscription } from './port';

/** The calls the adapter makes of an EventStoreDB client (a test gives an in-process stand-in). */
export type EsdbClient = Pick<EventStoreDBClient, 'appendToStream' | 'readStream' | 'readAll' | 'dispose'>;

export interface EsdbOptions {
  /** A clock that only goes forward, in ms, for the claim lease: never compared with the server's or another process's. */
  monotonicMs?: () => number;
  /** How long a claim may wait for its answer before the log is asked what became of it (CLAIM_LEASE_MS). */
  leaseMs?: number;
  /** How far recordedAt may run behind the log's order (see positionAt); default the claim lease. */
  recordedAtWindowMs?: number;
}

/** How many claims waiting to be judged stale a process remembers (forgetting one only restarts its wait). */
const CLAIMS_SEEN_MAX = 10_000;

/**
 * Records one read of `$all` asks the server for. The server counts every record (claims, system
 * events, another application's), not ledger events, so a page of ledger events is read in as many
 * such reads as it takes, each from the last record the one before it saw; only a read the server
 * answers short is the end of the log.
 */
const ALL_PAGE = 500;
/** Records one backwards read of `$all` asks for, looking for the newest ledger event (usually the first). */
const BACK_PAGE = 32;
/** How often an append with `any` or `stream_exists` is sealed again on a newer head when another writer got in between. */
const UNPINNED_ATTEMPTS = 5;

/**
 * A read's records, cancelling its gRPC call when the loop leaves early: a `break` out of the
 * client's stream only unpipes it, and the call would stay open on the server (and count against
 * the connection's concurrent calls) for good.
 */
async function* records<T>(read: AsyncIterable<T>): AsyncGenerator<T> {
  let finished = false;
  try {
    for await (const r of read) yield r;
    finished = true;
  } finally {
    if (!finished) await (read as { cancel?: () => Promise<void> }).cancel?.().catch(() => undefined);
  }
}

/** Where a record of `$all` sits (every record has a position there, ledger event or not). */
const positionOf = (r: AllStreamResolvedEvent): Position | null => r.event?.position ?? (r.commitPosition !== undefined ? { commit: r.commitPosition, prepare: r.commitPosition } : null);

/**
 * A failed read of `$all` worth trying again (the node restarting, a leader election, a dropped
 * connection): the client connects again on its next call, so a subscription reads on from where it was.
 */
export const transientReadError = (e: unknown): boolean =>
  e instanceof UnavailableError || e instanceof DeadlineExceededError || e instanceof CancelledError || e instanceof NotLeaderError || [1, 4, 14].includes((e as { code?: unknown })?.code as number);

/**
 * The type of the record a hard delete (`tombstoneStream`, or the UI's/HTTP API's hard delete)
 * writes to the deleted stream, at revision 2^63-1: the node refuses reads of and appends to that
 * stream from then on (StreamDeletedError), while `$all` still holds the tombstone, and the stream's
 * events until the next scavenge removes them (the tombstone is never scavenged).
 */
const TOMBSTONE_TYPE = '$streamDeleted';
/** The revision the node writes a tombstone at (long.MaxValue): a client's own event of that type is at an ordinary revision. */
const TOMBSTONE_REVISION = 9_223_372_036_854_775_807n;

/**
 * Where `$all` says a stream whose events the ledger reads was hard-deleted: a tombstone of a stream
 * that is neither the node's own (`$…`) nor a claim stream (`ledger_…`, never read through `$all`).
 * After a scavenge nothing tells whether the stream held ledger events, so another application's
 * stream hard-deleted on the same node counts too (README: the node is the ledger's own).
 */
const tombstoneIn = (r: AllStreamResolvedEvent): { streamId: string; position: number } | null => {
  const e = r.event;
  if (!e || e.type !== TOMBSTONE_TYPE || e.revision !== TOMBSTONE_REVISION || e.streamId.startsWith('$') || e.streamId.startsWith('ledger_')) return null;
  const at = positionOf(r);
  return at ? { streamId: e.streamId, position: Number(at.commit) } : null;
};

/** The node's refusal of a hard-deleted stream (read or append) as the ledger's error; anything else as it is. */
const deletedOnNode = (e: unknown, streamId: string): unknown => (e instanceof StreamDeletedError ? new StreamDeletedOnNodeError(streamId) : e);

/** An append with `any` or `stream_exists` lost a race for the head it was sealed on (see appendNow). */
class SealedOnOldHead extends Error {}

/** Envelope fields EventStoreDB does not hold natively ride in the event's metadata. */
interface LedgerEnvelope {
  ledger: { schemaVersion: number; recordedAt: string; prevHash: string | null; hash: string };
  meta: RecordedEvent['metadata'];
}

/** An event of a key's claim stream. */
interface ClaimEvent {
  type: string;
  revision: bigint;
  data: any;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/**
 * A key's claim stream: a key belongs to its sender, so the stream is named by the pair, hashed
 * (idempotencyScope: the JSON of [actorId, key], which no two pairs share; any characters in either
 * end up as 64 hex digits). The stream of a key claimed before keys were per sender (`actorId`
 * null) was named by the key alone, under another prefix, so the two never meet whatever the key.
 */
export const idempotencyStream = (key: string, actorId: string | null): string =>
  actorId === null ? `ledger_idempotency-${sha256(key)}` : `ledger_idempotency_by_sender-${sha256(idempotencyScope(actorId, key))}`;

/**
 * EventStoreDB adapter. Global position is EventStoreDB's commit position (not contiguous), so hashes
 * here do not cover the position (`hashCoversPosition = false`); the per-stream chain still does.
 * Idempotency is permanent, not EventStoreDB's short dedupe window: a key is first claimed in its own
 * stream (one per sender and key) with expected revision no-stream, and the append's result is
 * written to that stream after.
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly hashCoversPosition = false;
  private readonly client: EsdbClient;
  private readonly subscribers = new SubscriberSet();
  private readonly monotonic: () => number;
  private readonly leaseMs: number;
  private readonly recordedAtWindowMs: number;
  /** When this process first saw each unanswered claim (`stream@revision`), by its own monotonic clock. */
  private readonly claimsSeen = new Map<string, number>();
  /** The last append with conditions in this process: the next one waits for it (see append). */
  private conditionedAppends: Promise<unknown> = Promise.resolve();

  constructor(connection: string | EsdbClient, private readonly clock: () => Date = () => new Date(), options: EsdbOptions = {}) {
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
    this.monotonic = options.monotonicMs ?? (() => performance.now());
    this.leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
    this.recordedAtWindowMs = options.recordedAtWindowMs ?? this.leaseMs;
  }

  /**
   * A claim's age is how long this process has seen it unanswered, by its own clock: never the
   * server's `created` against this machine's time, which a skewed clock would make look stale while
   * its request still runs. The claimant started its own clock before it claimed, so it has always
   * waited at least as long as any reader has seen the claim (see append's deadline).
   */
  private claimFirstSeen(stream: string, revision: bigint): number {
    const at = `${stream}@${revision}`;
    const seen = this.claimsSeen.get(at);
    if (seen !== undefined) return seen;
    if (this.claimsSeen.size >= CLAIMS_SEEN_MAX) this.claimsSeen.delete(this.claimsSeen.keys().next().value!);
    const now = this.monotonic();
    this.claimsSeen.set(at, now);
    return now;
  }

  private toRecorded(r: ResolvedEvent): RecordedEvent | null {
    const e = r.event;
    if (!e || e.type.startsWith('$') || e.streamId.startsWith('$') || e.streamId.startsWith('ledger_')) return null;
    const env = e.metadata as unknown as LedgerEnvelope;
    if (!env?.ledger) return null;
    return {
      eventId: e.id,
      streamId: e.streamId,
      revision: Number(e.revision),
      position: Number(e.position?.commit ?? r.commitPosition ?? 0n),
      type: e.type,
      schemaVersion: env.ledger.schemaVersion,
      data: e.data as Record<string, unknown>,
      metadata: env.meta,
      recordedAt: env.ledger.recordedAt,
      prevHash: env.ledger.prevHash,
      hash: env.ledger.hash,
    };
  }

  private async lastOf(streamId: string): Promise<RecordedEvent | null> {
    const page = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return page[0] ?? null;
  }

  /** The newest ledger event, skipping system and idempotency events however many follow it. */
  private async lastGlobal(): Promise<RecordedEvent | null> {
    for await (const r of this.backwardsFromEnd()) {
      const e = this.toRecorded(r);
      if (e) return e;
    }
    return null;
  }

  /** `$all` from its end backwards, BACK_PAGE records a read (see pagedAll). */
  private backwardsFromEnd(): AsyncGenerator<AllStreamResolvedEvent> {
    return this.pagedAll(BACKWARDS, END, BACK_PAGE);
  }

  /**
   * `$all` in one direction from `start`, in reads of `pageSize` records, each cancelled when the
   * caller stops (see records). A read goes on from the last record the one before it saw; that
   * record is skipped, whether the server starts at it or next to it. A read answered short is the end.
   */
  private async *pagedAll(direction: typeof FORWARDS | typeof BACKWARDS, start: ReadPosition, pageSize: number): AsyncGenerator<AllStreamResolvedEvent> {
    let from = start;
    let seen: bigint | null = null;
    for (;;) {
      let count = 0;
      let last: Position | null = null;
      for await (const r of records(this.client.readAll({ direction, fromPosition: from, maxCount: pageSize }))) {
        count++;
        const at = positionOf(r);
        if (at && seen !== null && (direction === FORWARDS ? at.commit <= seen : at.commit >= seen)) continue;
        if (at) last = at;
        yield r;
      }
      if (count < pageSize || !last) return;
      seen = last.commit;
      from = last;
    }
  }

  /** The last event of a key's claim stream (Claimed, Answered or Released), or null when the key was never claimed. */
  private async lastClaimEvent(key: string, actorId: string | null): Promise<ClaimEvent | null> {
    try {
      for await (const r of records(this.client.readStream(idempotencyStream(key, actorId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 }))) {
        if (r.event) return { type: r.event.type, revision: r.event.revision, data: r.event.data };
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return null;
      // The key's claim stream hard-deleted: what its request recorded cannot be told, so it is refused, never recorded again.
      throw deletedOnNode(e, idempotencyStream(key, actorId));
    }
    return null;
  }

  /**
   * The key's last claim event, after settling a claim older than the lease from the log (see
   * stale-claim.ts): a process that stopped between claim and answer leaves the claim alone, and
   * every retry would otherwise be refused IN_FLIGHT for good.
   */
  private async settledClaimEvent(key: string, actorId: string | null): Promise<ClaimEvent | null> {
    const last = await this.lastClaimEvent(key, actorId);
    if (!last || last.type !== 'IdempotencyKeyClaimed') return last;
    const stream = idempotencyStream(key, actorId);
    const claim: ClaimRecord = { claimedAtMs: this.claimFirstSeen(stream, last.revision), streamId: last.data?.streamId, eventIds: last.data?.eventIds };
    const now = this.monotonic();
    const target = claimToSettle(claim, now, this.leaseMs);
    if (!target) return last;
    const from = Number.isSafeInteger(last.data?.fromRevision) && last.data.fromRevision >= 0 ? last.data.fromRevision : 0;
    const outcome = settleClaim(claim, now, await this.readStream(target.streamId, { fromRevision: from, maxCount: MAX_PAGE }), this.leaseMs);
    if (outcome.kind === 'in-flight') return last;
    this.claimsSeen.delete(`${stream}@${last.revision}`);
    const settled =
      outcome.kind === 'landed'
        ? { type: 'IdempotencyKeyAnswered', data: { actorId, key, requestHash: last.data.requestHash, result: outcome.result, settledFromLog: true } }
        : { type: 'IdempotencyKeyReleased', data: { actorId, key, settledFromLog: true } };
    try {
      await this.client.appendToStream(stream, jsonEvent(settled as any), { expectedRevision: last.revision });
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw deletedOnNode(e, stream);
      // Settled meanwhile (by another reader, or the request answered at last): read what it wrote.
      return this.lastClaimEvent(key, actorId);
    }
    return { ...settled, revision: last.revision + 1n };
  }

  /**
   * Appends with conditions run one after another in this process, each checking its conditions
   * after the one before it landed: two decisions made at the same moment here never both pass on
   * the same read. Across processes the gap between check and append remains (no transaction spans
   * streams on EventStoreDB; README says so).
   */
  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    if (!conditions) return this.appendUnpinned(streamId, events, expected, idem, conditions);
    const run = this.conditionedAppends.then(() => this.appendUnpinned(streamId, events, expected, idem, conditions));
    this.conditionedAppends = run.catch(() => undefined);
    return run;
  }

  /** Per stream, the last unpinned append of this process (see appendUnpinned). */
  private readonly unpinnedTails = new Map<string, Promise<unknown>>();

  /**
   * appendNow, sealed again on the new head when an append with `any` or `stream_exists` lost the
   * race for it. Such appends to one stream run one after another in this process, so they never
   * race each other here; a race with another process is retried a few times.
   */
  private appendUnpinned(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    if (expected !== 'any' && expected !== 'stream_exists') return this.appendNow(streamId, events, expected, idem, conditions);
    const attempt = async (): Promise<AppendResult> => {
      for (let n = 1; ; n++) {
        try {
          return await this.appendNow(streamId, events, expected, idem, conditions);
        } catch (e) {
          if (!(e instanceof SealedOnOldHead)) throw e;
          if (n >= UNPINNED_ATTEMPTS) throw new StoreBusyError(0);
        }
      }
    };
    const run = (this.unpinnedTails.get(streamId) ?? Promise.resolve()).then(attempt, attempt);
    const tail = run.catch(() => undefined);
    this.unpinnedTails.set(streamId, tail);
    void tail.then(() => {
      if (this.unpinnedTails.get(streamId) === tail) this.unpinnedTails.delete(streamId);
    });
    return run;
  }

  private async appendNow(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    // A key is claimed in its own stream with an expected revision, so two claims can never both win.
    // A claim whose append then fails is released by a later event (not a stream delete, whose
    // expected-revision rules for re-creating the stream differ between server versions).
    let claimRevision: bigint | null = null;
    // Started before the claim is sent, so no reader can have seen the claim for longer than this.
    const claimStarted = this.monotonic();
    const head = await this.lastOf(streamId);
    const current = head ? head.revision : -1;
    const last = await this.lastGlobal();
    const recordedAt = nextRecordedAt(this.clock(), last?.recordedAt ?? null);
    const sealed = sealEvents(streamId, events, current + 1, 0, head?.hash ?? null, recordedAt, false);
    if (idem) {
      const claimed = await this.settledClaimEvent(idem.key, idem.actorId);
      if (claimed && claimed.type !== 'IdempotencyKeyReleased') throw new IdempotencyKeyTakenError(idem.key);
      // The claim names the append it is for, so a claim its process never answered can be settled from the log.
      const data = { actorId: idem.actorId, key: idem.key, requestHash: idem.requestHash, streamId, fromRevision: current + 1, eventIds: sealed.map((e) => e.eventId) };
      try {
        await this.client.appendToStream(idempotencyStream(idem.key, idem.actorId), jsonEvent({ type: 'IdempotencyKeyClaimed', data }), {
          expectedRevision: claimed ? claimed.revision : NO_STREAM,
        });
      } catch (e) {
        if (e instanceof WrongExpectedVersionError) throw new IdempotencyKeyTakenError(idem.key);
        // The claim stream hard-deleted: refused by the node, so nothing was claimed (nothing to release).
        throw deletedOnNode(e, idempotencyStream(idem.key, idem.actorId));
      }
      claimRevision = claimed ? claimed.revision + 1n : 0n;
    }
    // The events are sealed on the head read above (its revision and hash), so they are sent pinned to
    // it whatever the caller expected: sent with ANY, a write landing in between would leave them at
    // revisions their hashes do not cover (a broken chain). `any` and `stream_exists` are checked here
    // and, when another writer gets in first, sealed again on the new head (appendUnpinned).
    const expectedRevision: AppendExpectedRevision = current === -1 ? NO_STREAM : BigInt(current);
    let result: AppendResult;
    // Whether the events' append was sent: after that, a failure may still have recorded them.
    let sent = false;
    try {
      if (!revisionMatches(expected, current)) throw new WrongExpectedRevisionError(streamId, expected, current);
      // EventStoreDB has no transaction across streams: the conditions are checked just before the
      // append, not under one lock with it (a write landing in between is not seen; README says so).
      await checkAppendConditionsAsync(conditions, async (id) => (await this.lastOf(id))?.revision ?? -1, (after) => this.eventsAfter(after));
      if (sealed.length === 0) {
        result = { streamId, revision: current, position: last?.position ?? 0, eventIds: [], recordedAt: null };
      } else {
        // A claimed append is sent only within half the lease, with the rest of that half as its
        // deadline, so it has landed or failed before any reader can judge the claim stale and free
        // the key (which would let a retry record the same request again).
        const left = this.leaseMs / 2 - (this.monotonic() - claimStarted);
        if (idem && left <= 0) throw new StoreBusyError(Math.round(this.monotonic() - claimStarted));
        sent = true;
        const r = await this.client.appendToStream(
          streamId,
          sealed.map((e) =>
            jsonEvent({
              id: e.eventId,
              type: e.type,
              data: e.data as any,
              metadata: { ledger: { schemaVersion: e.schemaVersion, recordedAt: e.recordedAt, prevHash: e.prevHash, hash: e.hash }, meta: e.metadata } as any,
            }),
          ),
          { expectedRevision, ...(idem ? { deadline: Math.max(1, Math.floor(left)) } : {}) },
        );
        result = { streamId, revision: Number(r.nextExpectedRevision), position: Number(r.position?.commit ?? 0n), eventIds: sealed.map((e) => e.eventId), recordedAt };
      }
    } catch (e) {
      // Freed only when nothing can have been recorded: refused before sending, or refused by the
      // server (its revision check, or the stream hard-deleted: the node checks that first and writes
      // nothing). Otherwise (a deadline, a lost connection) the events may have landed: the claim
      // stays, and is settled from the log once stale (answered, or freed if they did not).
      const definite = !sent || e instanceof WrongExpectedVersionError || e instanceof StreamDeletedError;
      if (idem && claimRevision !== null && definite) {
        await this.client
          .appendToStream(idempotencyStream(idem.key, idem.actorId), jsonEvent({ type: 'IdempotencyKeyReleased', data: { actorId: idem.actorId, key: idem.key } }), { expectedRevision: claimRevision })
          .catch(() => undefined);
      }
      if (e instanceof WrongExpectedVersionError) {
        // Unpinned and unkeyed, nothing is lost by sealing again on the new head (a keyed append's claim names the revisions it was for: refused instead).
        if ((expected === 'any' || expected === 'stream_exists') && !idem) throw new SealedOnOldHead();
        const actual = typeof e.actualVersion === 'bigint' ? Number(e.actualVersion) : -1;
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      if (!definite) throw new StoreOutcomeUnknownError(streamId, Math.ceil(this.leaseMs / 1000));
      throw deletedOnNode(e, streamId);
    }
    if (idem) await this.answerClaim(idem, claimRevision!, result);
    if (sealed.length) this.subscribers.notifyAll();
    return result;
  }

  /**
   * Writes the key's answer after its events landed. They are recorded whatever happens here, so the
   * request is answered with them: a claim left unanswered (the write failed) is answered from the log
   * once stale; one already settled from the log is answered there, or, if it was judged lost before
   * these events arrived, is answered now on top of that release unless a retry claimed the key again.
   */
  private async answerClaim(idem: IdempotencyClaim, claimRevision: bigint, result: AppendResult): Promise<void> {
    const stream = idempotencyStream(idem.key, idem.actorId);
    const answered = (): any => jsonEvent({ type: 'IdempotencyKeyAnswered', data: { actorId: idem.actorId, key: idem.key, requestHash: idem.requestHash, result } as any });
    try {
      await this.client.appendToStream(stream, answered(), { expectedRevision: claimRevision });
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) return;
      const now = await this.lastClaimEvent(idem.key, idem.actorId).catch(() => null);
      if (now?.type === 'IdempotencyKeyReleased' && now.data?.settledFromLog === true) {
        await this.client.appendToStream(stream, answered(), { expectedRevision: now.revision }).catch(() => undefined);
      }
    }
  }

  // Every read asks the server (no cache here), so `uncached` reads need nothing more.
  async readStream(streamId: string, o: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    const backwards = o.direction === 'backwards';
    const out: RecordedEvent[] = [];
    try {
      for await (const r of records(this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: o.fromRevision === undefined ? (backwards ? END : START) : BigInt(o.fromRevision),
        maxCount: max,
      }))) {
        const e = this.toRecorded(r);
        if (e) out.push(e);
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      // Hard-deleted on the node: its history is not "empty", it is gone; say so (never `[]`).
      throw deletedOnNode(e, streamId);
    }
    return out;
  }

  /**
   * The ledger's events past `after`, in position order. A stream hard-deleted on the node is never
   * passed over in silence: `$all` keeps its tombstone (and, until a scavenge, its events, which are
   * returned as recorded), and a read that reaches the tombstone (within `upTo`, whatever `types`)
   * fails with StreamDeletedOnNodeError naming the stream and the tombstone's position, even when
   * events before it were read: a short page would be taken for the end of the log. A reader that
   * wants those (the views' subscription, `ledger verify`) reads again up to the position before it.
   */
  async readAll(o: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    const after = o.after ?? 0;
    const types = o.types ? new Set(o.types) : null;
    const out: RecordedEvent[] = [];
    const from: ReadPosition = after === 0 ? START : { commit: BigInt(after), prepare: BigInt(after) };
    for await (const r of this.pagedAll(FORWARDS, from, ALL_PAGE)) {
      const deleted = tombstoneIn(r);
      if (deleted && deleted.position > after) {
        if (o.upTo !== undefined && deleted.position > o.upTo) return out;
        throw new StreamDeletedOnNodeError(deleted.streamId, deleted.position);
      }
      const e = this.toRecorded(r);
      if (!e || e.position <= after) continue;
      if (o.upTo !== undefined && e.position > o.upTo) return out;
      if (types && !types.has(e.type)) continue;
      out.push(e);
      if (out.length >= max) return out;
    }
    return out;
  }

  subscribe(after: number, onEvents: (events: RecordedEvent[]) => Promise<void> | void, onError: (e: unknown) => void = () => {}): Subscription {
    // A read failing while the node restarts or a leader is elected is tried again (with a growing pause) from where it was, not the end of the subscription.
    return this.subscribers.add(new CatchUpSubscription((o) => this.readAllUpToDeletion(o), after, onEvents, onError, 500, 5_000, transientReadError));
  }

  /**
   * readAll for the views: the events before a hard-deleted stream's tombstone are delivered first
   * (a shorter page), and the read after them fails on it, so the subscription waits exactly there
   * (StreamDeletedOnNodeError, told to onError with an outage; read again after growing pauses, see
   * CatchUpSubscription) and never folds past the hole; once the node is restored it goes on.
   */
  private async readAllUpToDeletion(o: ReadAllOptions): Promise<RecordedEvent[]> {
    try {
      return await this.readAll(o);
    } catch (e) {
      if (!(e instanceof StreamDeletedOnNodeError) || e.position === null) throw e;
      const before = await this.readAll({ ...o, upTo: Math.min(o.upTo ?? Infinity, e.position - 1) });
      if (before.length) return before;
      throw e;
    }
  }

  /** Every event past a position, page by page (the condition check stops at the first that matters). */
  private async *eventsAfter(after: number): AsyncGenerator<LaterEvent> {
    for (let at = after; ; ) {
      const page = await this.readAll({ after: at, maxCount: MAX_PAGE });
      yield* page;
      if (page.length < MAX_PAGE) break;
      at = page[page.length - 1].position;
    }
  }

  async headPosition(): Promise<number> {
    return (await this.lastGlobal())?.position ?? 0;
  }

  /**
   * An event's recordedAt is taken before its append is sent, and the node orders the log by commit:
   * an append that took longer than another one (on this server or another) lands after an event
   * recorded later. So recordedAt follows the log only to within an append's duration (a keyed
   * append's deadline is half a claim lease; the client's default deadline, 10 s, otherwise) plus the
   * servers' clock difference: `recordedAtWindowMs`. The answer is the end of the longest stretch from
   * the log's start recorded at or before the instant, so an as-of answer never includes an event
   * recorded after it: the scan back goes on past the last event recorded at or before the instant
   * until an event recorded a window before it (nothing earlier can be later than the instant), and
   * each event recorded after the instant met on the way ends the stretch before it.
   */
  async positionAt(recordedAt: string): Promise<number> {
    const floor = new Date(Date.parse(recordedAt) - this.recordedAtWindowMs).toISOString();
    let end: number | null = null;
    for await (const r of this.backwardsFromEnd()) {
      const e = this.toRecorded(r);
      if (!e) continue;
      if (e.recordedAt > recordedAt) {
        end = null;
        continue;
      }
      end ??= e.position;
      if (e.recordedAt <= floor) return end;
    }
    return end ?? 0;
  }

  async findIdempotency(key: string, actorId: string | null): Promise<IdempotencyRecord | null> {
    const last = await this.settledClaimEvent(key, actorId);
    if (!last || last.type === 'IdempotencyKeyReleased') return null;
    if (last.type === 'IdempotencyKeyAnswered') return { actorId, key: last.data.key, requestHash: last.data.requestHash, result: last.data.result };
    // Claimed but not yet answered: the first request is still running (or stopped less than the lease ago); report it as taken.
    throw new IdempotencyKeyTakenError(key);
  }

  async close(): Promise<void> {
    this.subscribers.closeAll();
    await this.client.dispose();
  }
}
