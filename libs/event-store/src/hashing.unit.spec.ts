import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { envelopeJson, hashEvent, sealEvents } from './hashing';

/** The envelope exactly as the first implementation hashed it. */
const referenceHash = (e: Parameters<typeof hashEvent>[0], coversPosition: boolean): string =>
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

const metadata = { actorId: 'fo-1', actorRole: 'finance-officer', correlationId: 'c-1', causationId: null, idempotencyKey: 'k "1"' };
const base = {
  eventId: '0192f0c4-1d2e-7000-8000-0123456789ab',
  streamId: 'funding-entry-e1',
  revision: 3,
  position: 1234,
  type: 'OperatingGrantRecorded',
  schemaVersion: 1,
  data: { entryId: 'e1', centreId: 'kc-03-1', amountOre: 125_000_000, note: 'Driftsmidler æøå', correctsEntryId: null, period: { to: null, from: '2014-01-01' } },
  metadata,
  recordedAt: '2014-01-15T10:00:00.000Z',
  prevHash: 'ab'.repeat(32),
};

describe('event hashing', () => {
  it('hashes the same envelope bytes as before, with and without the position, first event or not', () => {
    const variants = [base, { ...base, prevHash: null, revision: 0 }, { ...base, data: {}, metadata: { ...metadata, causationId: 'x' } }];
    for (const e of variants) {
      for (const covers of [true, false]) expect(hashEvent(e, covers)).toBe(referenceHash(e, covers));
    }
    expect(hashEvent(base, true)).not.toBe(hashEvent({ ...base, position: 1235 }, true));
    expect(hashEvent(base, false)).toBe(hashEvent({ ...base, position: 1235 }, false));
  });

  it('leaves undefined members out, as canonical JSON of the envelope object did', () => {
    const odd = { ...base, prevHash: undefined, data: undefined, schemaVersion: undefined } as unknown as typeof base;
    expect(envelopeJson(odd, true)).toBe(
      canonicalJson({ v: 1, eventId: odd.eventId, streamId: odd.streamId, revision: odd.revision, position: odd.position, type: odd.type, schemaVersion: undefined, data: undefined, metadata, recordedAt: odd.recordedAt, prevHash: undefined }),
    );
    expect(hashEvent(odd, true)).toBe(referenceHash(odd, true));
  });

  it('chains: each sealed event carries the previous hash of its stream', () => {
    const sealed = sealEvents('s', [{ eventId: 'a', type: 'T', schemaVersion: 1, data: { n: 1 }, metadata }, { eventId: 'b', type: 'T', schemaVersion: 1, data: { n: 2 }, metadata }], 5, 100, 'f'.repeat(64), base.recordedAt, true);
    expect(sealed.map((e) => [e.revision, e.position, e.prevHash])).toEqual([[5, 100, 'f'.repeat(64)], [6, 101, sealed[0].hash]]);
    for (const e of sealed) expect(e.hash).toBe(referenceHash(e, true));
  });
});
