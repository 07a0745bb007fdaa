import { eventStoreContract } from './event-store.contract';

/**
 * The same contract against a real EventStoreDB node, when EVENTSTORE_CONNECTION_STRING is set
 * (e.g. `docker compose up eventstore` then EVENTSTORE_CONNECTION_STRING=esdb://localhost:2113?tls=false).
 */
const conn = process.env.EVENTSTORE_CONNECTION_STRING;

if (conn) {
  // Loaded only here, so the gRPC client is never loaded when the suite is skipped.
  const { EventStoreDbEventStore } = require('./eventstoredb-event-store') as typeof import('./eventstoredb-event-store');
  eventStoreContract({
    name: `EventStoreDB (${conn.replace(/\/\/[^@/]*@/, '//***@')})`,
    create: async ({ clock }) => new EventStoreDbEventStore(conn, clock),
    reopen: async (store) => {
      await store.close();
      return new EventStoreDbEventStore(conn);
    },
    contiguousPositions: false,
    uniqueEventIdsAcrossStreams: false,
    liveTimeoutMs: 10_000,
  });
} else {
  describe.skip('EventStoreDB contract (skipped: EVENTSTORE_CONNECTION_STRING not set)', () => {
    it('runs the event store contract against EventStoreDB when EVENTSTORE_CONNECTION_STRING is set', () => undefined);
  });
}
