import { DomainEvent, EventMetadata, RecordedEvent } from '../../domain/src/shared';

/** What the writer expects the stream to be: the optimistic-concurrency contract. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface EventToAppend extends DomainEvent {
  eventId: string;
  schemaVersion: number;
  metadata: EventMetadata;
}

/**
 * Claims an idempotency key atomically with the append it answers. A key belongs to its sender: it
 * is claimed and looked up as (actorId, key), so two senders who pick the same key never meet.
 */
export interface IdempotencyClaim {
  /** The sender (the token's subject, the actor's id) whose key this is. */
  actorId: string;
  key: string;
  requestHash: string;
}

/** One text for a (sender, key) pair, for maps and hashes: JSON of the pair, so no two pairs share one. */
export const idempotencyScope = (actorId: string, key: string): string => JSON.stringify([actorId, key]);

/**
 * A permanent idempotency record: the first append's result, returned verbatim to every retry.
 * `actorId: null`: a receipt stored before keys were per sender (the key alone named it); such
 * receipts are only read, never written (see handleCommand for whose they are taken to be).
 */
export interface IdempotencyRecord {
  actorId: string | null;
  key: string;
  requestHash: string;
  result: AppendResult;
}

/**
 * What a decision read outside its own stream, which must still hold when its events are written:
 * checked in the same transaction as the expected revision (SQLite, memory), so a rule that looked
 * at other streams (the centre is open; nothing is recorded for it after the closing date; a number
 * is not taken) cannot be broken by a write that landed between the reading and the append.
 * Refused with ConcurrentChangeError (nothing written); the command path decides again.
 */
export interface AppendConditions {
  /** Other streams that must still be at the revision the decision read (-1: still empty). */
  readonly streams?: readonly { readonly streamId: string; readonly revision: number }[];
  /**
   * The decision read the log up to `after`: no event recorded after it may be one that `affects`
   * it. Evaluated over the events past `after` only, with the write lock held.
   */
  readonly nothingAfter?: readonly NothingAfter[];
}

export interface NothingAfter {
  readonly after: number;
  /** What the decision would have had to see (a fact about the centre it closes, a registration of the same kind). */
  readonly affects: (e: { readonly streamId: string; readonly type: string; readonly data: unknown }) => boolean;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the last event in the stream after the append (-1 when it is still empty). */
  revision: number;
  /** Global position of the last appended event (or the log head when nothing was appended). */
  position: number;
  eventIds: string[];
  recordedAt: string | null;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Start here (inclusive); defaults to the first (forwards) or last (backwards) event. */
  fromRevision?: number;
  /** Page size, capped at MAX_PAGE. */
  maxCount?: number;
  /**
   * Read what is stored now, past any cache the adapter keeps (the auditor's history routes). The
   * SQLite store answers re-reads of short streams (the command path) and reads right behind the
   * head (the projection engine) from caches of what it wrote and read, kept while no other
   * connection moves the log's head: a row changed behind the ledger's back stays cached. The memory
   * store and EventStoreDB keep no such cache: every read of theirs is uncached.
   */
  uncached?: boolean;
}

export interface ReadAllOptions {
  /** Events with position > after. */
  after?: number;
  /** ...and position <= upTo. */
  upTo?: number;
  maxCount?: number;
  /** Only events of these types (positions stay global; `maxCount` counts the events returned). */
  types?: readonly string[];
  /** Read what is stored now, past any cache the adapter keeps (see ReadStreamOptions.uncached). */
  uncached?: boolean;
}

export interface Subscription {
  unsubscribe(): void;
}

/**
 * Given to a subscription's `onError` with a failure it does not end at but waits out, reading again
 * from the same position now and then (a stream hard-deleted on an EventStoreDB node, until the node is
 * restored): `resumed` resolves when a read succeeds again. Without it, the error ended the subscription.
 */
export interface SubscriptionOutage {
  readonly resumed: Promise<void>;
}

export const MAX_PAGE = 10_000;

/**
 * Events per page for reading the log in bulk (folds from far behind, rebuilds, as-of answers,
 * verification, export). A page stays alive while it is worked on, so a big one survives
 * young-generation collections and is copied and promoted: a rebuild of the 1,000,000-event bench
 * ledger took 14–15 s with pages of 1,000 against 19–21 s with pages of 10,000 (measured here).
 */
export const BULK_PAGE = 1_000;

/**
 * Whether a store of this kind numbers its global positions 1, 2, 3… without gaps (SQLite and
 * memory assign them), so a missing position means a missing event. EventStoreDB's are commit
 * positions in its transaction log: increasing, never contiguous. Taken from the kind (as an
 * export's digest.json names its store) so every adapter and export answers it the same way.
 */
export const hasContiguousPositions = (kind: string): boolean => kind === 'sqlite' || kind === 'memory';

export interface EventStore {
  readonly kind: 'sqlite' | 'memory' | 'eventstoredb';
  /** Whether stored hashes cover the global position (false where the store assigns it after we hash). */
  readonly hashCoversPosition: boolean;
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idempotency?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * Catches up from `after`, then follows live writes, calling `onEvents` in global order, one batch at a time.
   * `onError` is told of a failure that ends the subscription, or (with an outage) of one it waits out.
   */
  subscribe(after: number, onEvents: (events: RecordedEvent[]) => Promise<void> | void, onError?: (e: unknown, outage?: SubscriptionOutage) => void): Subscription;
  /** The last global position (0 when empty). */
  headPosition(): Promise<number>;
  /**
   * The end of the longest stretch of the log, from its start, whose events were all recorded at or
   * before the given instant (0 when none): where recordedAt follows the log's order (SQLite,
   * memory), the last position recorded at or before it.
   */
  positionAt(recordedAt: string): Promise<number>;
  /**
   * The record of `key` claimed by sender `actorId`; with `actorId` null, the record a ledger stored
   * for `key` before keys were per sender (null where there is none, and on stores that never had such).
   */
  findIdempotency(key: string, actorId: string | null): Promise<IdempotencyRecord | null>;
  /**
   * The event of this id as stored (null if there is none), on stores that keep an index by event id
   * (memory: a map). Optional: EventStoreDB has no such index, and a reader without this method scans
   * the log (AuditReader.event; SQLite's is read there from its UNIQUE(event_id) index).
   */
  readEvent?(eventId: string): Promise<RecordedEvent | null>;
  close(): Promise<void>;
}
