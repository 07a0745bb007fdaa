import { RecordedEvent } from '../../../libs/domain/src/shared';
import { Projection } from '../../../libs/projections/src/projection';

/** A test projection for the kill test: per stream, how many events and the last hash; plus totals. */
export interface StreamStatsView {
  total: number;
  lastPosition: number;
  streams: Record<string, { events: number; lastHash: string; types: Record<string, number> }>;
}

export const streamStats: Projection<StreamStatsView> = {
  name: 'kill-test-stream-stats',
  version: 1,
  initial: () => ({ total: 0, lastPosition: 0, streams: {} }),
  evolve: (view, e: RecordedEvent) => {
    const s = (view.streams[e.streamId] ??= { events: 0, lastHash: '', types: {} });
    s.events++;
    s.lastHash = e.hash;
    s.types[e.type] = (s.types[e.type] ?? 0) + 1;
    view.total++;
    view.lastPosition = e.position;
    return view;
  },
};
