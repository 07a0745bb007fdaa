import { RecordedEvent } from '../../domain/src/shared';
import { CLAIM_LEASE_MS, claimToSettle, settleClaim } from './stale-claim';

const at = (i: number, eventId: string): RecordedEvent => ({
  eventId, streamId: 'grant-1', revision: 4 + i, position: 100 + 7 * i, type: 'T', schemaVersion: 1, data: {},
  metadata: { actorId: 'a', actorRole: 'finance-officer', correlationId: 'c', causationId: null, idempotencyKey: 'k' },
  recordedAt: `2026-11-28T10:00:0${i}.000Z`, prevHash: null, hash: `h${i}`,
});
const claim = { claimedAtMs: 1_000_000, streamId: 'grant-1', eventIds: ['e1', 'e2'] };
const later = claim.claimedAtMs + CLAIM_LEASE_MS;

describe('a claim left without an answer (EventStoreDB)', () => {
  it('is in flight while younger than the lease, whatever the log holds', () => {
    expect(settleClaim(claim, later - 1, [at(0, 'e1'), at(1, 'e2')])).toEqual({ kind: 'in-flight' });
    expect(claimToSettle(claim, later - 1)).toBeNull();
  });

  it('once stale, is answered from its events when they landed (revision and position of the last, its recorded time)', () => {
    expect(settleClaim(claim, later, [at(0, 'other'), at(1, 'e1'), at(2, 'e2'), at(3, 'after')])).toEqual({
      kind: 'landed',
      result: { streamId: 'grant-1', revision: 6, position: 114, eventIds: ['e1', 'e2'], recordedAt: '2026-11-28T10:00:02.000Z' },
    });
  });

  it('once stale, frees its key when its events are not in the stream, or it was for no events', () => {
    expect(settleClaim(claim, later, [at(0, 'other')])).toEqual({ kind: 'lost' });
    expect(settleClaim(claim, later, [])).toEqual({ kind: 'lost' });
    expect(settleClaim({ ...claim, eventIds: [] }, later, [at(0, 'e1')])).toEqual({ kind: 'lost' });
  });

  it('stays in flight when it does not name its append (a claim made before claims did) or the events are not its append', () => {
    expect(settleClaim({ claimedAtMs: claim.claimedAtMs }, later * 10, [])).toEqual({ kind: 'in-flight' });
    expect(settleClaim({ ...claim, eventIds: [1 as unknown as string] }, later, [])).toEqual({ kind: 'in-flight' });
    expect(settleClaim(claim, later, [at(0, 'e1'), at(1, 'x'), at(2, 'e2')])).toEqual({ kind: 'in-flight' });
    expect(settleClaim(claim, later, [at(0, 'e1')])).toEqual({ kind: 'in-flight' });
  });
});
