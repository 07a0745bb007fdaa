import { RecordedEvent } from '../../domain/src/shared';
import { CatchUpSubscription, SubscriberSet } from './catch-up-subscription';
import { deepFreeze } from './deep-freeze';
import { DuplicateEventIdError, IdempotencyKeyTakenError, WrongExpectedRevisionError } from './errors';
import { nextRecordedAt, revisionMatches, sealEvents } from './hashing';
import { checkAppendConditions } from './append-conditions';
import { AppendConditions, AppendResult, EventStore, EventToAppend, ExpectedRevision, IdempotencyClaim, IdempotencyRecord, idempotencyScope, MAX_PAGE, ReadAllOptions, ReadStreamOptions, Subscription } from './port';

/** In-memory adapter for fast tests; same contract as the durable ones. */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory' as const;
  readonly hashCoversPosition = true;
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  /** Every event by its id: duplicate ids are refused, and one event is found without reading the log (readEvent). */
  private readonly eventIds = new Map<string, RecordedEvent>();
  /** Keyed by idempotencyScope(actorId, key): a key is its sender's. */
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly subscribers = new SubscriberSet();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    // Same order of checks as the SQLite adapter: the key, then the revision, the conditions, then the event ids.
    if (idem && this.idempotency.has(idempotencyScope(idem.actorId, idem.key))) throw new IdempotencyKeyTakenError(idem.key);
    const stream = this.streams.get(streamId) ?? [];
    const current = stream.length - 1;
    if (!revisionMatches(expected, current)) throw new WrongExpectedRevisionError(streamId, expected, current);
    // Positions are 1, 2, 3…: the events past `after` are the log from index `after` on.
    checkAppendConditions(conditions, (id) => (this.streams.get(id)?.length ?? 0) - 1, (after) => this.log.slice(after));
    const batch = new Set<string>();
    for (const e of events) {
      if (this.eventIds.has(e.eventId) || batch.has(e.eventId)) throw new DuplicateEventIdError(e.eventId);
      batch.add(e.eventId);
    }
    const last = this.log[this.log.length - 1];
    const recordedAt = nextRecordedAt(this.clock(), last?.recordedAt ?? null);
    const sealed = sealEvents(streamId, events, stream.length, this.log.length + 1, stream[stream.length - 1]?.hash ?? null, recordedAt, true);
    const result: AppendResult = {
      streamId,
      revision: current + sealed.length,
      position: sealed.length ? sealed[sealed.length - 1].position : this.log.length,
      eventIds: sealed.map((e) => e.eventId),
      recordedAt: sealed.length ? recordedAt : null,
    };
    for (const e of sealed) {
      // Shared by every reader (as the SQLite store's stream cache shares them): a fold that changed one would change history.
      deepFreeze(e);
      this.log.push(e);
      stream.push(e);
      this.eventIds.set(e.eventId, e);
    }
    if (sealed.length) this.streams.set(streamId, stream);
    if (idem) this.idempotency.set(idempotencyScope(idem.actorId, idem.key), { actorId: idem.actorId, key: idem.key, requestHash: idem.requestHash, result });
    if (sealed.length) this.subscribers.notifyAll();
    return result;
  }

  // The log itself is what is stored (no cache in front of it), so `uncached` reads need nothing more.
  async readStream(streamId: string, o: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamId) ?? [];
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    if (o.direction === 'backwards') {
      const from = Math.min(o.fromRevision ?? stream.length - 1, stream.length - 1);
      const out: RecordedEvent[] = [];
      for (let r = from; r >= 0 && out.length < max; r--) out.push(stream[r]);
      return out;
    }
    const from = o.fromRevision ?? 0;
    return stream.slice(from, from + max);
  }

  async readAll(o: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = o.after ?? 0;
    const upTo = Math.min(o.upTo ?? this.log.length, this.log.length);
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    if (!o.types) return this.log.slice(after, Math.min(upTo, after + max));
    const types = new Set(o.types);
    const out: RecordedEvent[] = [];
    for (let i = after; i < upTo && out.length < max; i++) if (types.has(this.log[i].type)) out.push(this.log[i]);
    return out;
  }

  subscribe(after: number, onEvents: (events: RecordedEvent[]) => Promise<void> | void, onError: (e: unknown) => void = () => {}): Subscription {
    return this.subscribers.add(new CatchUpSubscription((o) => this.readAll(o), after, onEvents, onError, null));
  }

  async headPosition(): Promise<number> {
    return this.log.length;
  }

  async positionAt(recordedAt: string): Promise<number> {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.log[mid].recordedAt <= recordedAt) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** One event by its id, from the map of ids (the log itself is never read). */
  async readEvent(eventId: string): Promise<RecordedEvent | null> {
    return this.eventIds.get(eventId) ?? null;
  }

  /** A memory store never held receipts from before keys were per sender: `actorId` null finds nothing. */
  async findIdempotency(key: string, actorId: string | null): Promise<IdempotencyRecord | null> {
    return actorId === null ? null : (this.idempotency.get(idempotencyScope(actorId, key)) ?? null);
  }

  async close(): Promise<void> {
    this.subscribers.closeAll();
  }
}
