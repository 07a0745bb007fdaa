import { RecordedEvent } from '../../domain/src/shared';
import { deepFreeze } from '../../event-store/src/deep-freeze';
import { DuplicateEventIdError, IdempotencyKeyTakenError, WrongExpectedRevisionError } from '../../event-store/src/errors';
import { nextRecordedAt, revisionMatches, sealEvents } from '../../event-store/src/hashing';
import { checkAppendConditionsAsync, LaterEvent } from '../../event-store/src/append-conditions';
import { AppendConditions, AppendResult, EventStore, EventToAppend, ExpectedRevision, IdempotencyClaim, IdempotencyRecord, idempotencyScope, MAX_PAGE, ReadAllOptions, ReadStreamOptions, Subscription } from '../../event-store/src/port';

/** A stream the dry run wrote to: the real stream up to `baseRevision`, then the dry run's own events. */
interface OverlayStream {
  baseRevision: number;
  events: RecordedEvent[];
}

/**
 * An EventStore for dry runs (`ledger import` checks a whole file before applying it): reads go
 * through to the real store, appends and idempotency records stay in memory here and are never
 * written to the real store. Only what the command path uses is supported (readStream, append with
 * expected revision and idempotency claim, findIdempotency, headPosition, readAll); the rest throws.
 */
export class DryRunStore implements EventStore {
  readonly kind: EventStore['kind'];
  readonly hashCoversPosition: boolean;
  private readonly streams = new Map<string, OverlayStream>();
  /** The dry run's own claims, by idempotencyScope(actorId, key): a key is its sender's. */
  private readonly idempotency = new Map<string, IdempotencyRecord>();
  private readonly eventIds = new Set<string>();
  /** The dry run's own events, in the order appended (what a view would fold after the real log). */
  private readonly own: RecordedEvent[] = [];
  /** The real head when the dry run first appended: overlay positions continue from it. */
  private basePosition: number | null = null;
  private appended = 0;
  private lastRecordedAt: string | null = null;

  constructor(private readonly real: EventStore, private readonly clock: () => Date = () => new Date()) {
    this.kind = real.kind;
    this.hashCoversPosition = real.hashCoversPosition;
  }

  /** A stream's revision as the dry run sees it (the real stream, then its own events). */
  private async revisionOf(streamId: string): Promise<number> {
    const overlay = this.streams.get(streamId);
    if (overlay) return overlay.baseRevision + overlay.events.length;
    return (await this.real.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0]?.revision ?? -1;
  }

  /** The events past a position as the dry run sees them: the real log's (up to its own), then its own. */
  private async *eventsAfter(after: number): AsyncGenerator<LaterEvent> {
    // Once the dry run has appended, its reads see the real log only up to where its own events begin.
    const upTo = this.basePosition ?? undefined;
    for (let at = after; ; ) {
      const page = await this.real.readAll({ after: at, upTo, maxCount: MAX_PAGE });
      yield* page;
      if (page.length < MAX_PAGE) break;
      at = page[page.length - 1].position;
    }
    for (const e of this.own) if (e.position > after) yield e;
  }

  /** How many events the dry run would have appended. */
  get appendedCount(): number {
    return this.appended;
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    // Same order of checks as the real adapters: the key, then the revision, the conditions, then the event ids.
    if (idem && (this.idempotency.has(idempotencyScope(idem.actorId, idem.key)) || (await this.real.findIdempotency(idem.key, idem.actorId)) !== null)) throw new IdempotencyKeyTakenError(idem.key);
    const overlay = this.streams.get(streamId);
    const realLast = overlay ? undefined : (await this.real.readStream(streamId, { direction: 'backwards', maxCount: 1 }))[0];
    const last = overlay ? overlay.baseRevision + overlay.events.length : (realLast?.revision ?? -1);
    if (!revisionMatches(expected, last)) throw new WrongExpectedRevisionError(streamId, expected, last);
    // The file's lines run one after another, so only another writer on the real store could break a condition here.
    await checkAppendConditionsAsync(conditions, (id) => this.revisionOf(id), (after) => this.eventsAfter(after));
    // Ids are only checked against the dry run's own events: the port cannot look an id up, and the
    // command path makes fresh ones, so a clash with the real log would be refused by the real append.
    const batch = new Set<string>();
    for (const e of events) {
      if (this.eventIds.has(e.eventId) || batch.has(e.eventId)) throw new DuplicateEventIdError(e.eventId);
      batch.add(e.eventId);
    }
    this.basePosition ??= await this.real.headPosition();
    const head = this.basePosition + this.appended;
    let result: AppendResult = { streamId, revision: last, position: head, eventIds: [], recordedAt: null };
    if (events.length) {
      const prevHash = overlay ? overlay.events[overlay.events.length - 1].hash : (realLast?.hash ?? null);
      const recordedAt = nextRecordedAt(this.clock(), this.lastRecordedAt);
      // Sealed like a real append (revisions, positions, hash chain) so folds see what they would see for real.
      const sealed = sealEvents(streamId, events, last + 1, head + 1, prevHash, recordedAt, this.hashCoversPosition);
      const stream = overlay ?? { baseRevision: last, events: [] };
      for (const e of sealed) {
        // Frozen as the real stores freeze theirs: a fold that changed one would change what later lines see.
        deepFreeze(e);
        stream.events.push(e);
        this.own.push(e);
        this.eventIds.add(e.eventId);
      }
      this.streams.set(streamId, stream);
      this.appended += sealed.length;
      this.lastRecordedAt = recordedAt;
      result = { streamId, revision: last + sealed.length, position: head + sealed.length, eventIds: sealed.map((e) => e.eventId), recordedAt };
    }
    if (idem) this.idempotency.set(idempotencyScope(idem.actorId, idem.key), { actorId: idem.actorId, key: idem.key, requestHash: idem.requestHash, result });
    return result;
  }

  /** Every event the dry run has appended so far, in order (never written to the real store). */
  ownEvents(): readonly RecordedEvent[] {
    return this.own;
  }

  async readStream(streamId: string, o: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const overlay = this.streams.get(streamId);
    if (!overlay) return this.real.readStream(streamId, o);
    const { baseRevision: base, events: own } = overlay;
    const top = base + own.length;
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    if (o.direction === 'backwards') {
      const from = Math.min(o.fromRevision ?? top, top);
      const out: RecordedEvent[] = [];
      for (let r = from; r > base && out.length < max; r--) out.push(own[r - base - 1]);
      if (out.length < max && Math.min(from, base) >= 0) out.push(...(await this.real.readStream(streamId, { direction: 'backwards', fromRevision: Math.min(from, base), maxCount: max - out.length })).filter((e) => e.revision <= base));
      return out;
    }
    const from = o.fromRevision ?? 0;
    // The real stream only up to where the dry run took over, even if someone has appended since.
    const out = from <= base ? (await this.real.readStream(streamId, { fromRevision: from, maxCount: max })).filter((e) => e.revision <= base) : [];
    if (out.length === max) return out;
    const start = Math.max(from, base + 1) - base - 1;
    return out.concat(own.slice(start, start + max - out.length));
  }

  async findIdempotency(key: string, actorId: string | null): Promise<IdempotencyRecord | null> {
    // The dry run's own claims are all its sender's; receipts from before keys were per sender are only the real store's.
    return (actorId === null ? undefined : this.idempotency.get(idempotencyScope(actorId, key))) ?? this.real.findIdempotency(key, actorId);
  }

  async headPosition(): Promise<number> {
    return this.basePosition === null ? this.real.headPosition() : this.basePosition + this.appended;
  }

  /**
   * The log as it would be had the dry run's appends been real: the real log up to where the dry run
   * took over (all of it before its first append), then its own events, whose positions continue from there.
   */
  async readAll(o: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = o.after ?? 0;
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    const base = this.basePosition;
    if (base === null) return this.real.readAll({ ...o, maxCount: max });
    const upTo = o.upTo ?? Number.MAX_SAFE_INTEGER;
    const out = after < base ? await this.real.readAll({ ...o, upTo: Math.min(upTo, base), maxCount: max }) : [];
    if (out.length === max) return out;
    const types = o.types ? new Set(o.types) : null;
    for (const e of this.own) {
      if (out.length === max) break;
      if (e.position > after && e.position <= upTo && (types === null || types.has(e.type))) out.push(e);
    }
    return out;
  }

  subscribe(): Subscription {
    throw unsupported('subscribe');
  }

  positionAt(): Promise<number> {
    return Promise.reject(unsupported('positionAt'));
  }

  /** Drops the dry run's events; the real store is not ours to close. */
  async close(): Promise<void> {
    this.streams.clear();
    this.own.length = 0;
    this.idempotency.clear();
    this.eventIds.clear();
  }
}

const unsupported = (what: string): Error => new Error(`DryRunStore.${what} is not supported: a dry run only runs commands (readStream, append, findIdempotency, headPosition, readAll).`);
