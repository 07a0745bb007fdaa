import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
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
 * let it land and fail anyway, or hold it while something else happens.
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
}

export type AppendHook = (streamName: string, options: { expectedRevision?: unknown; deadline?: number }) => Promise<'land' | 'land-then-fail' | void> | 'land' | 'land-then-fail' | void;

export class FakeEsdbClient implements EsdbClient {
  private readonly log: Stored[] = [];
  private readonly streams = new Map<string, Stored[]>();
  private nextPosition = 1_000n;
  /** Called before every append: throw to refuse it unrecorded, return 'land-then-fail' to record it and throw as a lost answer would. */
  beforeAppend: AppendHook | null = null;
  appends: { streamName: string; deadline?: number }[] = [];

  constructor(private readonly serverNow: () => number = () => Date.now()) {}

  async appendToStream(streamName: string, events: any, options: { expectedRevision?: any; deadline?: number } = {}): Promise<any> {
    this.appends.push({ streamName, deadline: options.deadline });
    const how = (await this.beforeAppend?.(streamName, options)) ?? 'land';
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
    return {
      event: { id: e.id, type: e.type, streamId: e.streamId, revision: e.revision, data: JSON.parse(e.data), metadata: JSON.parse(e.metadata), created: e.created, position: { commit: e.position, prepare: e.position }, isJson: true },
      commitPosition: e.position,
    };
  }

  readStream(streamName: string, o: { direction?: string; fromRevision?: any; maxCount?: number | bigint } = {}): any {
    const self = this;
    return (async function* () {
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
