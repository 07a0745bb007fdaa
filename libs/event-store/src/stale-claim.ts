import { RecordedEvent } from '../../domain/src/shared';
import { AppendResult } from './port';

/**
 * An Idempotency-Key claim that was never answered nor released (EventStoreDB has no transaction
 * across streams: a process that stops between claiming a key and writing its answer leaves the claim
 * alone). Left as it is, every retry under that key would be refused IN_FLIGHT for good. Once the
 * claim is older than any request runs (the lease), what happened is read from the log itself: the
 * claim names the stream and the event ids it was for, so either those events landed (the request
 * was done: the answer is rebuilt from them) or they did not (nothing was recorded: the key is free).
 */
export interface ClaimRecord {
  /** When the claim was first seen unanswered, by the reader's own monotonic clock (never another machine's time: see the adapter). */
  claimedAtMs: number;
  /** Written by claims made since the claim named its append; older claims lack them and stay in flight. */
  streamId?: string;
  eventIds?: string[];
}

export type ClaimOutcome =
  | { kind: 'in-flight' }
  | { kind: 'landed'; result: AppendResult }
  | { kind: 'lost' };

/** How long a claim may wait for its answer before the log is asked what became of it. */
export const CLAIM_LEASE_MS = 60_000;

/** Whether a claim is settled from the log yet, and which stream events to look at if so. */
export const claimToSettle = (claim: ClaimRecord, nowMs: number, leaseMs = CLAIM_LEASE_MS): { streamId: string; eventIds: string[] } | null => {
  if (nowMs - claim.claimedAtMs < leaseMs) return null;
  if (typeof claim.streamId !== 'string' || !Array.isArray(claim.eventIds) || claim.eventIds.some((id) => typeof id !== 'string')) return null;
  return { streamId: claim.streamId, eventIds: claim.eventIds };
};

/**
 * The outcome of a stale claim, given the events of its stream read from where its append would
 * have started. An append is all or nothing, so finding its first event means all of them landed;
 * a claim for no events recorded nothing either way, so its key is free.
 */
export const settleClaim = (claim: ClaimRecord, nowMs: number, streamEvents: readonly RecordedEvent[], leaseMs = CLAIM_LEASE_MS): ClaimOutcome => {
  const target = claimToSettle(claim, nowMs, leaseMs);
  if (!target) return { kind: 'in-flight' };
  if (target.eventIds.length === 0) return { kind: 'lost' };
  const first = streamEvents.findIndex((e) => e.eventId === target.eventIds[0]);
  if (first < 0) return { kind: 'lost' };
  const landed = streamEvents.slice(first, first + target.eventIds.length);
  if (landed.length !== target.eventIds.length || landed.some((e, i) => e.eventId !== target.eventIds[i])) {
    // Its first event is there but not the rest in order: not an append this claim made; leave it for a person.
    return { kind: 'in-flight' };
  }
  const last = landed[landed.length - 1];
  return { kind: 'landed', result: { streamId: target.streamId, revision: last.revision, position: last.position, eventIds: [...target.eventIds], recordedAt: last.recordedAt } };
};
