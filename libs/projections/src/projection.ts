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
  /**
   * Every event type evolve reacts to, when the projection can say (others must leave the view
   * unchanged): an as-of answer then reads only these from the log. Checked by a test that folds
   * a whole generated ledger with and without the filter.
   */
  eventTypes?: readonly string[];
  /** Keep a history snapshot at least this often (in log positions), for views that as-of questions hit often. */
  historyEvery?: number;
  /**
   * How the view is written to and read from a snapshot (default JSON.stringify / JSON.parse); read
   * back, it must fold and answer exactly like the original. A view may split itself into a main
   * text and named parts stored in rows of their own, so a reader fetches only the parts it reads.
   */
  serialize?: (view: V) => string | StoredView;
  /**
   * `purpose`: the live view (read everywhere at once) or an older one for an as-of answer (usually
   * one question). `part` reads one of the parts `serialize` wrote (throws if there is none).
   */
  deserialize?: (state: string, purpose: 'live' | 'as-of', part: PartReader) => V;
}

/** A view as a snapshot holds it: the main text and, optionally, parts read only on demand. */
export interface StoredView {
  state: string;
  parts?: Record<string, string>;
}

export type PartReader = (key: string) => string;

/** A stored snapshot that lacks a part its main text names: it cannot be read back (a reader falls back to another one, or folds the view again). */
export class MissingPartError extends Error {
  constructor(readonly snapshot: string, readonly position: number, readonly part: string) {
    super(`snapshot ${snapshot}@${position} has no part ${part}`);
    this.name = 'MissingPartError';
  }
}

const noParts: PartReader = (key) => {
  throw new Error(`this snapshot has no part ${key}`);
};

export const serializeView = <V>(p: Projection<V>, view: V): StoredView => {
  const out = p.serialize ? p.serialize(view) : JSON.stringify(view);
  return typeof out === 'string' ? { state: out } : out;
};
export const deserializeView = <V>(p: Projection<V>, state: string, purpose: 'live' | 'as-of', part: PartReader = noParts): V =>
  p.deserialize ? p.deserialize(state, purpose, part) : (JSON.parse(state) as V);

export type AnyProjection = Projection<any>;

/**
 * Events an evolve threw on, by projection. A throwing evolve is a bug; skipping the event keeps
 * every other view (and every later event) alive, and stays deterministic, so a rebuild from 0
 * still equals the live view. The count is visible in /health.
 */
export const skippedEvents: Record<string, number> = {};

export const foldEvents = <V>(p: Projection<V>, events: readonly RecordedEvent[], view: V = p.initial()): V => {
  let v = view;
  for (const e of events) {
    try {
      v = p.evolve(v, e);
    } catch (err) {
      // Not the fold's fault: the stored view it folds onto lost a part (see MissingPartError); skipping would answer without the event.
      if (err instanceof MissingPartError) throw err;
      skippedEvents[p.name] = (skippedEvents[p.name] ?? 0) + 1;
    }
  }
  return v;
};
