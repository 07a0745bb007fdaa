import { hash } from 'node:crypto';
import { RecordedEvent } from '../../domain/src/shared';
import { canonicalJson } from './canonical-json';
import { EventToAppend } from './port';

type Hashed = Omit<RecordedEvent, 'hash'>;

/** One member of the envelope, in canonical form ("" for an undefined value, which canonical JSON leaves out). */
const member = (key: string, value: unknown): string => (value === undefined ? '' : `"${key}":${canonicalJson(value)}`);

/**
 * The canonical JSON of the hashed envelope, written directly: the same bytes as
 * canonicalJson({ v: 1, eventId, streamId, revision, position, type, schemaVersion, data, metadata, recordedAt, prevHash })
 * (members in sorted key order, undefined ones left out) without building and sorting that object.
 */
export const envelopeJson = (e: Hashed, coversPosition: boolean): string => {
  const parts = [
    member('data', e.data),
    member('eventId', e.eventId),
    member('metadata', e.metadata),
    member('position', coversPosition ? e.position : null),
    member('prevHash', e.prevHash),
    member('recordedAt', e.recordedAt),
    member('revision', e.revision),
    member('schemaVersion', e.schemaVersion),
    member('streamId', e.streamId),
    member('type', e.type),
    '"v":1',
  ];
  let s = '{';
  for (const p of parts) if (p !== '') s += s.length > 1 ? `,${p}` : p;
  return `${s}}`;
};

/**
 * SHA-256 over the event's canonical JSON (UTF-8), which includes the previous hash of the same
 * stream. The one-shot `crypto.hash` gives the same digest as createHash().update().digest() at
 * about half the cost for inputs this small.
 */
export const hashEvent = (e: Hashed, coversPosition: boolean): string => hash('sha256', envelopeJson(e, coversPosition), 'hex');

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
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
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
    // Written out rather than spread: one object shape for every sealed event, and cheaper.
    out.push({ eventId: body.eventId, streamId, revision: body.revision, position: body.position, type: body.type, schemaVersion: body.schemaVersion, data: body.data, metadata: body.metadata, recordedAt, prevHash: prev, hash });
    prev = hash;
  }
  return out;
};

/** Whether the stream's current revision satisfies the writer's expectation. */
export const revisionMatches = (expected: import('./port').ExpectedRevision, current: number): boolean => {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return current === -1;
  if (expected === 'stream_exists') return current >= 0;
  return expected === current;
};
