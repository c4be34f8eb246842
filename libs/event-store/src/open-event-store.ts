import { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/** EventStoreDB when a connection string is given, else the embedded SQLite file. */
export type EventStoreConfig = { eventStoreConnectionString: string } | { sqlitePath: string };

export function openEventStore(config: EventStoreConfig): EventStore {
  return 'eventStoreConnectionString' in config
    ? EventStoreDbEventStore.connect(config.eventStoreConnectionString)
    : SqliteEventStore.open({ path: config.sqlitePath });
}
