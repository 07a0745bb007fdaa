import { createHash } from 'node:crypto';
import { RecordedEvent } from '../../domain/src/shared';
import { canonicalJson } from './canonical-json';
import { EventToAppend } from './port';

type Hashed = Omit<RecordedEvent, 'hash'>;

/** SHA-256 over the event's canonical JSON, which includes the previous hash of the same stream. */
export const hashEvent = (e: Hashed, coversPosition: boolean): string =>
  createHash('sha256')
    .update(
      canonicalJson({
        v: 1,
        eventId: e.eventId,
        streamId: e.streamId,
        revision: e.revision,
        position: coversPosition ? e.position : null,
        type: e.type,
        schemaVersion: e.schemaVersion,
        data: e.data,
        metadata: e.metadata,
        recordedAt: e.recordedAt,
        prevHash: e.prevHash,
      }),
    )
    .digest('hex');

/** Server clock, never earlier than the last recorded event (clocks can step backwards). */
export const nextRecordedAt = (now: Date, last: string | null): string => {
  const iso = now.toISOString();
  return last !== null && last > iso ? last : iso;
};

/** Turns events to append into stored envelopes with revisions, positions and the hash chain. */
export const sealEvents = (
  streamId: string,
  events: EventToAppend[],
  firstRevision: number,
  firstPosition: number,
  prevHash: string | null,
  recordedAt: string,
  coversPosition: boolean,
): RecordedEvent[] => {
  const out: RecordedEvent[] = [];
  let prev = prevHash;
  events.forEach((e, i) => {
    const body: Hashed = {
      eventId: e.eventId,
      streamId,
      revision: firstRevision + i,
      position: firstPosition + i,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      metadata: e.metadata,
      recordedAt,
      prevHash: prev,
    };
    const hash = hashEvent(body, coversPosition);
    out.push({ ...body, hash });
    prev = hash;
  });
  return out;
};

/** Whether the stream's current revision satisfies the writer's expectation. */
export const revisionMatches = (expected: import('./port').ExpectedRevision, current: number): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === -1;
  if (expected === 'stream_exists') return current >= 0;
  return expected === current;
};
