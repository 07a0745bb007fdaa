import { ev } from './event-store.contract';
import { MemoryEventStore } from './memory-event-store';

describe('memory store: one event by its id (readEvent), without reading the log', () => {
  it('is the very event the log holds; null for an id it does not hold, nor for one an append refused', async () => {
    const store = new MemoryEventStore();
    await store.append('s-1', [ev('A'), ev('B')], 'no_stream');
    await store.append('s-2', [ev('C')], 'no_stream');
    const log = await store.readAll();
    for (const e of log) expect(await store.readEvent(e.eventId)).toBe(e);
    expect(await store.readEvent('no-such-id')).toBeNull();
    const refused = ev('D');
    await expect(store.append('s-1', [refused], 'no_stream')).rejects.toThrow();
    expect(await store.readEvent(refused.eventId)).toBeNull();
  });
});
