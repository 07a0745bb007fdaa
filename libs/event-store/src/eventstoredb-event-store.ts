import { createHash } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { RecordedEvent } from '../../domain/src/shared';
import { CatchUpSubscription, SubscriberSet } from './catch-up-subscription';
import { IdempotencyKeyTakenError, WrongExpectedRevisionError } from './errors';
import { nextRecordedAt, sealEvents } from './hashing';
import { checkAppendConditionsAsync, LaterEvent } from './append-conditions';
import { ClaimRecord, claimToSettle, settleClaim } from './stale-claim';
import { AppendConditions, AppendResult, EventStore, EventToAppend, ExpectedRevision, IdempotencyClaim, IdempotencyRecord, idempotencyScope, MAX_PAGE, ReadAllOptions, ReadStreamOptions, Subscription } from './port';

/** Envelope fields EventStoreDB does not hold natively ride in the event's metadata. */
interface LedgerEnvelope {
  ledger: { schemaVersion: number; recordedAt: string; prevHash: string | null; hash: string };
  meta: RecordedEvent['metadata'];
}

/** An event of a key's claim stream, with the time the server wrote it. */
interface ClaimEvent {
  type: string;
  revision: bigint;
  data: any;
  createdMs: number;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/**
 * A key's claim stream: a key belongs to its sender, so the stream is named by the pair, hashed
 * (idempotencyScope: the JSON of [actorId, key], which no two pairs share; any characters in either
 * end up as 64 hex digits). The stream of a key claimed before keys were per sender (`actorId`
 * null) was named by the key alone, under another prefix, so the two never meet whatever the key.
 */
const idempotencyStream = (key: string, actorId: string | null): string =>
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
  private readonly client: EventStoreDBClient;
  private readonly subscribers = new SubscriberSet();

  constructor(connectionString: string, private readonly clock: () => Date = () => new Date()) {
    this.client = EventStoreDBClient.connectionString(connectionString);
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

  /** The newest ledger event: skips system and idempotency events however many follow it (the read is a lazy stream). */
  private async lastGlobal(): Promise<RecordedEvent | null> {
    for await (const r of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const e = this.toRecorded(r);
      if (e) return e;
    }
    return null;
  }

  /** The last event of a key's claim stream (Claimed, Answered or Released), or null when the key was never claimed. */
  private async lastClaimEvent(key: string, actorId: string | null): Promise<ClaimEvent | null> {
    try {
      for await (const r of this.client.readStream(idempotencyStream(key, actorId), { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
        if (r.event) return { type: r.event.type, revision: r.event.revision, data: r.event.data, createdMs: r.event.created.getTime() };
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return null;
      throw e;
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
    const claim: ClaimRecord = { claimedAtMs: last.createdMs, streamId: last.data?.streamId, eventIds: last.data?.eventIds };
    // Wall time against the server's own `created` (the ledger clock may be a test's).
    const now = Date.now();
    const target = claimToSettle(claim, now);
    if (!target) return last;
    const from = Number.isSafeInteger(last.data?.fromRevision) && last.data.fromRevision >= 0 ? last.data.fromRevision : 0;
    const outcome = settleClaim(claim, now, await this.readStream(target.streamId, { fromRevision: from, maxCount: MAX_PAGE }));
    if (outcome.kind === 'in-flight') return last;
    const settled =
      outcome.kind === 'landed'
        ? { type: 'IdempotencyKeyAnswered', data: { actorId, key, requestHash: last.data.requestHash, result: outcome.result, settledFromLog: true } }
        : { type: 'IdempotencyKeyReleased', data: { actorId, key, settledFromLog: true } };
    try {
      await this.client.appendToStream(idempotencyStream(key, actorId), jsonEvent(settled as any), { expectedRevision: last.revision });
    } catch (e) {
      if (!(e instanceof WrongExpectedVersionError)) throw e;
      // Settled meanwhile (by another reader, or the request answered at last): read what it wrote.
      return this.lastClaimEvent(key, actorId);
    }
    return { ...settled, revision: last.revision + 1n, createdMs: now };
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision, idem?: IdempotencyClaim, conditions?: AppendConditions): Promise<AppendResult> {
    // A key is claimed in its own stream with an expected revision, so two claims can never both win.
    // A claim whose append then fails is released by a later event (not a stream delete, whose
    // expected-revision rules for re-creating the stream differ between server versions).
    let claimRevision: bigint | null = null;
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
        throw e;
      }
      claimRevision = claimed ? claimed.revision + 1n : 0n;
    }
    const expectedRevision: AppendExpectedRevision = expected === 'any' ? ANY : expected === 'no_stream' ? NO_STREAM : expected === 'stream_exists' ? STREAM_EXISTS : BigInt(expected);
    let result: AppendResult;
    try {
      if (typeof expected === 'number' && expected !== current) throw new WrongExpectedRevisionError(streamId, expected, current);
      // EventStoreDB has no transaction across streams: the conditions are checked just before the
      // append, not under one lock with it (a write landing in between is not seen; README says so).
      await checkAppendConditionsAsync(conditions, async (id) => (await this.lastOf(id))?.revision ?? -1, (after) => this.eventsAfter(after));
      if (sealed.length === 0) {
        result = { streamId, revision: current, position: last?.position ?? 0, eventIds: [], recordedAt: null };
      } else {
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
          { expectedRevision },
        );
        result = { streamId, revision: Number(r.nextExpectedRevision), position: Number(r.position?.commit ?? 0n), eventIds: sealed.map((e) => e.eventId), recordedAt };
      }
    } catch (e) {
      if (idem && claimRevision !== null) {
        await this.client
          .appendToStream(idempotencyStream(idem.key, idem.actorId), jsonEvent({ type: 'IdempotencyKeyReleased', data: { actorId: idem.actorId, key: idem.key } }), { expectedRevision: claimRevision })
          .catch(() => undefined);
      }
      if (e instanceof WrongExpectedVersionError) {
        const actual = typeof e.actualVersion === 'bigint' ? Number(e.actualVersion) : -1;
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      throw e;
    }
    if (idem) {
      try {
        await this.client.appendToStream(idempotencyStream(idem.key, idem.actorId), jsonEvent({ type: 'IdempotencyKeyAnswered', data: { actorId: idem.actorId, key: idem.key, requestHash: idem.requestHash, result } as any }), {
          expectedRevision: claimRevision!,
        });
      } catch (e) {
        // A request slower than the lease may find its claim settled from the log already: answered with these events, it is done.
        const now = e instanceof WrongExpectedVersionError ? await this.lastClaimEvent(idem.key, idem.actorId) : null;
        if (now?.type !== 'IdempotencyKeyAnswered' || now.data?.result?.eventIds?.[0] !== result.eventIds[0]) throw e;
      }
    }
    if (sealed.length) this.subscribers.notifyAll();
    return result;
  }

  // Every read asks the server (no cache here), so `uncached` reads need nothing more.
  async readStream(streamId: string, o: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    const backwards = o.direction === 'backwards';
    const out: RecordedEvent[] = [];
    try {
      for await (const r of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: o.fromRevision === undefined ? (backwards ? END : START) : BigInt(o.fromRevision),
        maxCount: max,
      })) {
        const e = this.toRecorded(r);
        if (e) out.push(e);
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  async readAll(o: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const max = Math.min(o.maxCount ?? MAX_PAGE, MAX_PAGE);
    const after = o.after ?? 0;
    const from = after === 0 ? START : { commit: BigInt(after), prepare: BigInt(after) };
    const out: RecordedEvent[] = [];
    const types = o.types ? new Set(o.types) : null;
    // With a type filter the server's count would include skipped events: read on until the page is full.
    for await (const r of this.client.readAll({ direction: FORWARDS, fromPosition: from, ...(types ? {} : { maxCount: max + 1 }) })) {
      const e = this.toRecorded(r);
      if (!e || e.position <= after) continue;
      if (o.upTo !== undefined && e.position > o.upTo) break;
      if (types && !types.has(e.type)) continue;
      out.push(e);
      if (out.length >= max) break;
    }
    return out;
  }

  subscribe(after: number, onEvents: (events: RecordedEvent[]) => Promise<void> | void, onError: (e: unknown) => void = () => {}): Subscription {
    return this.subscribers.add(new CatchUpSubscription((o) => this.readAll(o), after, onEvents, onError, 500));
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

  async positionAt(recordedAt: string): Promise<number> {
    for await (const r of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const e = this.toRecorded(r);
      if (e && e.recordedAt <= recordedAt) return e.position;
    }
    return 0;
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
