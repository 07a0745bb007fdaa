import { eventStoreContract } from './event-store.contract';
import { MemoryEventStore } from './memory-event-store';

eventStoreContract({
  name: 'memory',
  create: async ({ clock }) => new MemoryEventStore(clock),
  contiguousPositions: true,
  uniqueEventIdsAcrossStreams: true,
});
