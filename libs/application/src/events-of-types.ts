import { RecordedEvent } from '../../domain/src/shared';
import { BULK_PAGE, EventStore } from '../../event-store/src/port';

interface Seen {
  /** Every position up to here has been read. */
  upTo: number;
  events: RecordedEvent[];
}

/** Per store and set of types: what has been read so far (the log only grows, so only what is new is read again). */
const seen = new WeakMap<EventStore, Map<string, Seen>>();

/**
 * Every recorded event of these types, in log order: a cross-stream read for the few rules that
 * need one (a county number or an organisation number is unique across every county or party
 * stream). Meant for rare types (counties: 19; parties: a few hundred): each store's are read once
 * (on SQLite a scan of the log that skips other rows without reading their JSON, ~0.3 s at 1,000,000
 * events), then only the positions appended since. It reads up to the head it saw first; what a
 * writer appends at the same moment is caught by the append's condition (handleCommand's decisionIo).
 */
export const eventsOfTypes = async (store: EventStore, types: readonly string[]): Promise<readonly RecordedEvent[]> => {
  let byTypes = seen.get(store);
  if (!byTypes) seen.set(store, (byTypes = new Map()));
  const key = [...types].sort().join('\u0000');
  let s = byTypes.get(key);
  if (!s) byTypes.set(key, (s = { upTo: 0, events: [] }));
  const head = await store.headPosition();
  while (s.upTo < head) {
    const from = s.upTo;
    const page = await store.readAll({ after: from, upTo: head, types, maxCount: BULK_PAGE });
    // Another call may have read the same positions meanwhile: keep each event once, in order.
    for (const e of page) if (e.position > s.upTo) s.events.push(e);
    if (page.length < BULK_PAGE) {
      s.upTo = Math.max(s.upTo, head);
      break;
    }
    s.upTo = Math.max(s.upTo, page[page.length - 1].position);
  }
  return s.events;
};
