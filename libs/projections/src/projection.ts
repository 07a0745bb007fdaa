import { RecordedEvent } from '../../domain/src/shared';

/**
 * One projection per question a user asks: a fold over the global log.
 * `evolve` may update the view in place and return it (a view is owned by one fold),
 * must never throw, and must ignore event types it does not know.
 * Views must be plain JSON (no Maps, no class instances) so they can be snapshotted.
 */
export interface Projection<V = unknown> {
  name: string;
  /** Bump when the fold changes: stored snapshots of other versions are discarded and rebuilt. */
  version: number;
  initial: () => V;
  evolve: (view: V, event: RecordedEvent) => V;
}

export type AnyProjection = Projection<any>;

export const foldEvents = <V>(p: Projection<V>, events: readonly RecordedEvent[], view: V = p.initial()): V => {
  let v = view;
  for (const e of events) v = p.evolve(v, e);
  return v;
};
