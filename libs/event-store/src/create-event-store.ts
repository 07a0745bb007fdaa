import { EventStore } from './port';
import { MemoryEventStore } from './memory-event-store';
import { SqliteEventStore } from './sqlite-event-store';

export interface StoreChoice {
  store: 'sqlite' | 'eventstoredb' | 'memory';
  sqlitePath: string;
  eventStoreConnectionString: string | null;
}

/** Chooses the adapter from configuration: SQLite unless EVENTSTORE_CONNECTION_STRING is set. */
export const createEventStore = (c: StoreChoice): EventStore => {
  switch (c.store) {
    case 'memory':
      return new MemoryEventStore();
    case 'eventstoredb': {
      // Loaded only when chosen, so the SQLite default never loads the gRPC client.
      const { EventStoreDbEventStore } = require('./eventstoredb-event-store') as typeof import('./eventstoredb-event-store');
      return new EventStoreDbEventStore(c.eventStoreConnectionString!);
    }
    default:
      return new SqliteEventStore({ path: c.sqlitePath });
  }
};
