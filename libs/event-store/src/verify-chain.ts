import { RecordedEvent } from '../../domain/src/shared';
import { hashEvent } from './hashing';

export interface ChainProblem {
  streamId: string;
  revision: number;
  eventId: string;
  problem: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap';
}

/**
 * Re-computes every event's hash and checks it is chained to the previous event of the same
 * stream. Pass events in global order (or one stream in revision order); streams may interleave.
 */
export const verifyChains = (events: Iterable<RecordedEvent>, coversPosition: boolean, heads = new Map<string, { revision: number; hash: string }>()): ChainProblem[] => {
  const problems: ChainProblem[] = [];
  for (const e of events) {
    const head = heads.get(e.streamId);
    const at = { streamId: e.streamId, revision: e.revision, eventId: e.eventId };
    const expectedRevision = head ? head.revision + 1 : 0;
    if (e.revision !== expectedRevision) problems.push({ ...at, problem: 'revision-gap' });
    if (e.prevHash !== (head?.hash ?? null)) problems.push({ ...at, problem: 'prev-hash-mismatch' });
    const { hash, ...body } = e;
    if (hashEvent(body, coversPosition) !== hash) problems.push({ ...at, problem: 'hash-mismatch' });
    heads.set(e.streamId, { revision: e.revision, hash: e.hash });
  }
  return problems;
};
