import { ConcurrentChangeError } from './errors';
import { AppendConditions } from './port';

/** An event past a condition's position, as the check sees it. */
export interface LaterEvent {
  readonly streamId: string;
  readonly position: number;
  readonly type: string;
  readonly data: unknown;
}

/**
 * Throws ConcurrentChangeError when a condition no longer holds. `revisionOf` answers a stream's
 * current revision (-1 when empty); `eventsAfter` the events past a position, in log order (read
 * lazily: the first conflicting one stops the check). Run it where the append's own expected
 * revision is checked, under the same lock, so nothing can land in between.
 */
export const checkAppendConditions = (conditions: AppendConditions | undefined, revisionOf: (streamId: string) => number, eventsAfter: (after: number) => Iterable<LaterEvent>): void => {
  if (!conditions) return;
  for (const s of conditions.streams ?? []) {
    if (revisionOf(s.streamId) !== s.revision) throw new ConcurrentChangeError(s.streamId, null);
  }
  for (const n of conditions.nothingAfter ?? []) {
    for (const e of eventsAfter(n.after)) if (n.affects(e)) throw new ConcurrentChangeError(e.streamId, e.position);
  }
};

/** The same for a store whose reads are asynchronous (checked just before its append, not under one lock with it). */
export const checkAppendConditionsAsync = async (conditions: AppendConditions | undefined, revisionOf: (streamId: string) => Promise<number>, eventsAfter: (after: number) => AsyncIterable<LaterEvent>): Promise<void> => {
  if (!conditions) return;
  for (const s of conditions.streams ?? []) {
    if ((await revisionOf(s.streamId)) !== s.revision) throw new ConcurrentChangeError(s.streamId, null);
  }
  for (const n of conditions.nothingAfter ?? []) {
    for await (const e of eventsAfter(n.after)) if (n.affects(e)) throw new ConcurrentChangeError(e.streamId, e.position);
  }
};
