import { randomUUID } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';
import { convertToCommandError, StreamDeletedError, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import type { EsdbClient } from './eventstoredb-event-store';

/**
 * An in-process stand-in for the three calls the EventStoreDB adapter makes (appendToStream,
 * readStream, readAll), with the server's rules as the adapter relies on them: an append is all or
 * nothing under its expected revision (any, no_stream, stream_exists or a revision), a missing
 * stream is StreamNotFoundError when read, `$all` is in commit order with gaps between positions,
 * and every event carries the server's `created` time from the server's own clock. Data and metadata
 * are stored as JSON text, as the server does, so nothing the adapter keeps is shared with it.
 *
 * Tests only: it lets the adapter's glue (claims, answers, releases, settling a stale claim) run
 * here, where no server runs; the real server is still the judge (eventstoredb-event-store.int.spec.ts).
 * `beforeAppend` lets a test stop an append on its way (as a lost connection or a deadline would),
 * let it land and fail anyway, or hold it while something else happens. `tombstone` hard-deletes a
 * stream as an administrator would on the node, `scavenge` then removes its events from `$all`
 * (see tombstone), and `restore` undoes the delete as restoring the node from a backup would.
 */
interface Stored {
  id: string;
  type: string;
  streamId: string;
  revision: bigint;
  position: bigint;
  data: string;
  metadata: string;
  created: Date;
  /** The tombstone of a hard delete: no JSON body (the node stores none). */
  tombstone?: true;
}

/** The revision a hard delete's tombstone is written at in `$all` (EventNumber.DeletedStream, long.MaxValue). */
export const TOMBSTONE_REVISION = 9_223_372_036_854_775_807n;

export type AppendHook = (streamName: string, options: { expectedRevision?: unknown; deadline?: number }) => Promise<'land' | 'land-then-fail' | void> | 'land' | 'land-then-fail' | void;

export class FakeEsdbClient implements EsdbClient {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private nextPosition = 1_000n;
  /** Streams hard-deleted (tombstoned) on the node. */
  private readonly deleted = new Set<string>();
  /** Called before every append: throw to refuse it unrecorded, return 'land-then-fail' to record it and throw as a lost answer would. */
  beforeAppend: AppendHook | null = null;
  appends: { streamName: string; deadline?: number }[] = [];

  constructor(private readonly serverNow: () => number = () => Date.now()) {}

  async appendToStream(streamName: string, events: any, options: { expectedRevision?: any; deadline?: number } = {}): Promise<any> {
    this.appends.push({ streamName, deadline: options.deadline });
    const how = (await this.beforeAppend?.(streamName, options)) ?? 'land';
    // The node checks a hard delete before the expected revision (CheckCommit: DeletedStream first) and
    // writes nothing; batch append answers it as details StreamDeleted, which the client turns into
    // StreamDeletedError.fromStreamName(the stream) (appendToStream/unpackError.js): no gRPC code, empty message.
    if (this.deleted.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
    const list = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(streamName);
    const current = stream ? BigInt(stream.length - 1) : null;
    const expected = options.expectedRevision ?? 'any';
    const ok =
      expected === 'any' ||
      (expected === 'no_stream' && current === null) ||
      (expected === 'stream_exists' && current !== null) ||
      (typeof expected === 'bigint' && current === expected);
    if (!ok) throw new WrongExpectedVersionError(undefined, { streamName, expected, current: current ?? 'no_stream' } as any);
    const into = stream ?? [];
    let position = this.nextPosition;
    for (const e of list) {
      position = this.nextPosition;
      this.nextPosition += 137n;
      const stored: Stored = {
        id: e.id ?? randomUUID(),
        type: e.type,
        streamId: streamName,
        revision: BigInt(into.length),
        position,
        data: JSON.stringify(e.data ?? {}),
        metadata: JSON.stringify(e.metadata ?? {}),
        created: new Date(this.serverNow()),
      };
      into.push(stored);
      this.log.push(stored);
    }
    this.streams.set(streamName, into);
    if (how === 'land-then-fail') throw Object.assign(new Error('Deadline exceeded (the append may have been written)'), { code: 4 });
    return { success: true, nextExpectedRevision: BigInt(into.length - 1), position: { commit: position, prepare: position } };
  }

  private resolved(e: Stored): any {
    const json = !e.tombstone;
    return {
      event: {
        id: e.id,
        type: e.type,
        streamId: e.streamId,
        revision: e.revision,
        data: json ? JSON.parse(e.data) : new Uint8Array(0),
        metadata: json ? JSON.parse(e.metadata) : new Uint8Array(0),
        created: e.created,
        position: { commit: e.position, prepare: e.position },
        isJson: json,
      },
      commitPosition: e.position,
    };
  }

  /**
   * A hard delete, as `tombstoneStream` (or the node's UI or HTTP API) makes it: a `$streamDeleted`
   * record at revision 2^63-1 goes into `$all` at a new position, and from then on the node refuses
   * every read of the stream and every append to it (StreamDeletedError), whatever the expected
   * revision. Until a scavenge (`scavenge`), `$all` still holds the stream's events ("$all bypasses
   * the index": EventStoreDB, Deleting streams and events); the tombstone itself is never scavenged.
   */
  tombstone(streamName: string): { position: bigint } {
    if (this.deleted.has(streamName)) throw StreamDeletedError.fromStreamName(streamName);
    const position = this.nextPosition;
    this.nextPosition += 137n;
    this.log.push({ id: randomUUID(), type: '$streamDeleted', streamId: streamName, revision: TOMBSTONE_REVISION, position, data: '', metadata: '', created: new Date(this.serverNow()), tombstone: true });
    this.deleted.add(streamName);
    return { position };
  }

  /**
   * The node restored from a backup taken just before the hard delete (the only way back: a tombstone
   * is permanent on a running node): the tombstone gone from `$all`, the stream readable and writable
   * again, with whatever of its events a scavenge had not yet removed.
   */
  restore(streamName: string): void {
    const i = this.log.findIndex((r) => r.tombstone && r.streamId === streamName);
    if (i >= 0) this.log.splice(i, 1);
    this.deleted.delete(streamName);
  }

  /** A scavenge: the events of every hard-deleted stream leave `$all`; their tombstones stay. */
  scavenge(): void {
    for (let i = this.log.length - 1; i >= 0; i--) if (this.deleted.has(this.log[i].streamId) && !this.log[i].tombstone) this.log.splice(i, 1);
    for (const name of this.deleted) this.streams.delete(name);
  }

  /**
   * The client's error for a read of a hard-deleted stream: the node fails the Read call with
   * FAILED_PRECONDITION and trailers `exception: stream-deleted`, `stream-name` (RpcExceptions.StreamDeleted),
   * and the client converts that (convertToCommandError) into StreamDeletedError with the stream's name.
   */
  private readOfDeleted(streamName: string): Error {
    const metadata = new Metadata();
    metadata.set('exception', 'stream-deleted');
    metadata.set('stream-name', streamName);
    const details = `Event stream '${streamName}' is deleted.`;
    return convertToCommandError(Object.assign(new Error(`${status.FAILED_PRECONDITION} FAILED_PRECONDITION: ${details}`), { code: status.FAILED_PRECONDITION, details, metadata }) as any) as Error;
  }

  readStream(streamName: string, o: { direction?: string; fromRevision?: any; maxCount?: number | bigint } = {}): any {
    const self = this;
    return (async function* () {
      if (self.deleted.has(streamName)) throw self.readOfDeleted(streamName);
      const stream = self.streams.get(streamName);
      if (!stream) throw new StreamNotFoundError(undefined, streamName);
      const max = Number(o.maxCount ?? Number.MAX_SAFE_INTEGER);
      const backwards = o.direction === 'backwards';
      let from = o.fromRevision === undefined || o.fromRevision === 'start' ? (backwards ? stream.length - 1 : 0) : o.fromRevision === 'end' ? (backwards ? stream.length - 1 : stream.length) : Number(o.fromRevision);
      if (backwards) from = Math.min(from, stream.length - 1);
      for (let i = from, n = 0; n < max && i >= 0 && i < stream.length; i += backwards ? -1 : 1, n++) yield self.resolved(stream[i]);
    })();
  }

  readAll(o: { direction?: string; fromPosition?: any; maxCount?: number | bigint } = {}): any {
    const self = this;
    return (async function* () {
      const max = Number(o.maxCount ?? Number.MAX_SAFE_INTEGER);
      const backwards = o.direction === 'backwards';
      const at = o.fromPosition === undefined || o.fromPosition === 'start' ? null : o.fromPosition === 'end' ? 'end' : BigInt(o.fromPosition.commit);
      // A snapshot of the log as it is when the read starts, as a server read sees it.
      const log = self.log.slice();
      // The first event at or past the position (log.length: none).
      const firstFrom = (p: bigint): number => {
        const i = log.findIndex((e) => e.position >= p);
        return i < 0 ? log.length : i;
      };
      const from = backwards
        ? at === null ? -1 : at === 'end' ? log.length - 1 : firstFrom(at + 1n) - 1
        : at === null ? 0 : at === 'end' ? log.length : firstFrom(at);
      for (let i = from, n = 0; n < max && i >= 0 && i < log.length; i += backwards ? -1 : 1, n++) yield self.resolved(log[i]);
    })();
  }

  async dispose(): Promise<void> {}

  /** The events of a stream as stored, for a test to look at. */
  stream(streamName: string): { id: string; type: string; data: any; revision: number }[] {
    return (this.streams.get(streamName) ?? []).map((e) => ({ id: e.id, type: e.type, data: JSON.parse(e.data), revision: Number(e.revision) }));
  }

  streamNames(): string[] {
    return [...this.streams.keys()];
  }
}
