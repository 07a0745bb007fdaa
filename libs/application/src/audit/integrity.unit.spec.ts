import { RecordedEvent } from '../../../domain/src/shared';
import { sealEvents } from '../../../event-store/src/hashing';
import { hasContiguousPositions } from '../../../event-store/src/port';
import { ChainVerifier, digestOfHeads, StreamHead, VerifyOptions, VerifyReport } from './integrity';

const meta = { actorId: 'a', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };

/** Six events in two streams at the given positions, sealed as a store with these properties would. */
const logAt = (positions: number[], hashCoversPosition: boolean): RecordedEvent[] => {
  const heads = new Map<string, RecordedEvent>();
  return positions.map((position, i) => {
    const streamId = `s-${i % 2}`;
    const prev = heads.get(streamId);
    const [e] = sealEvents(streamId, [{ eventId: `e-${i}`, type: 'T', schemaVersion: 1, data: { i }, metadata: meta }], prev ? prev.revision + 1 : 0, position, prev?.hash ?? null, `2014-01-01T00:00:0${i}.000Z`, hashCoversPosition);
    heads.set(streamId, e);
    return e;
  });
};

const verify = (events: RecordedEvent[], options: VerifyOptions): VerifyReport => {
  const v = new ChainVerifier(options);
  for (const event of events) v.add({ ok: true, event });
  return v.finish();
};

const digestOf = (events: RecordedEvent[], position: number): string => {
  const heads = new Map<string, StreamHead>();
  for (const e of events) if (e.position <= position) heads.set(e.streamId, { revision: e.revision, hash: e.hash });
  return digestOfHeads(position, heads);
};

describe('ChainVerifier: positions of stores that do and do not number them without gaps', () => {
  // EventStoreDB: commit positions, increasing but not contiguous; hashes leave the position out.
  const commit = [137, 275, 414, 554, 695, 837];
  const esdb = logAt(commit, false);
  const esdbOptions: VerifyOptions = { hashCoversPosition: false, contiguousPositions: hasContiguousPositions('eventstoredb') };

  it('knows which stores number positions without gaps', () => {
    expect(['sqlite', 'memory', 'eventstoredb'].map(hasContiguousPositions)).toEqual([true, true, false]);
  });

  it('an untampered log with non-contiguous positions verifies, with its digest', () => {
    const r = verify(esdb, { ...esdbOptions, expectedDigest: digestOf(esdb, 837), digestPosition: 837 });
    expect({ ok: r.ok, logProblems: r.logProblems, brokenStreams: r.brokenStreams, digest: r.digest?.matches }).toEqual({ ok: true, logProblems: [], brokenStreams: [], digest: true });
  });

  it('a store that numbers positions without gaps still has a skipped position reported as missing events', () => {
    const log = logAt([1, 2, 3, 5, 6, 7], true);
    const r = verify(log, { hashCoversPosition: true });
    expect(r.ok).toBe(false);
    expect(r.logProblems).toEqual([expect.objectContaining({ kind: 'missing-positions', from: 4, to: 4 })]);
    expect(verify(log, { hashCoversPosition: true, contiguousPositions: true }).logProblems).toEqual(r.logProblems);
  });

  it('without contiguous positions, an event removed is still caught (revision gap, broken chain, digest)', () => {
    const removed = esdb.filter((_, i) => i !== 2);
    const r = verify(removed, { ...esdbOptions, expectedDigest: digestOf(esdb, 837), digestPosition: 837 });
    expect(r.ok).toBe(false);
    expect(r.logProblems).toEqual([]);
    expect(r.brokenStreams).toEqual([expect.objectContaining({ streamId: 's-0', revision: 2, position: 695, reasons: ['revision-gap', 'chain-broken'] })]);
    expect(r.digest?.matches).toBe(true); // the heads are unchanged: a removal in the middle is caught by the chain

    const lastRemoved = verify(esdb.slice(0, 5), { ...esdbOptions, expectedDigest: digestOf(esdb, 837), digestPosition: 837 });
    expect({ ok: lastRemoved.ok, digest: lastRemoved.digest?.matches }).toEqual({ ok: false, digest: false });
  });

  it('without contiguous positions, positions must still strictly increase', () => {
    const swapped = [esdb[0], esdb[1], esdb[3], esdb[2], esdb[4], esdb[5]];
    const r = verify(swapped, esdbOptions);
    expect(r.ok).toBe(false);
    expect(r.brokenStreams.flatMap((b) => b.reasons)).toContain('position-out-of-order');
    const repeated = verify([...esdb.slice(0, 3), { ...esdb[3], position: esdb[2].position }, ...esdb.slice(4)], esdbOptions);
    expect(repeated.brokenStreams.flatMap((b) => b.reasons)).toContain('position-out-of-order');
  });
});
