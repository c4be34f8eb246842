import { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

/**
 * EventStoreDB when a connection string is given, else the embedded SQLite file. `readOnly` opens an
 * existing SQLite file without creating or changing anything (an auditor's copy); reading EventStoreDB
 * needs no such flag, as reading never writes there. A writable SQLite file commits on the event loop
 * unless `writer: 'thread'` is asked (`SqliteEventStoreOptions.writer`; docs/event-store.md says when it pays).
 */
export type EventStoreConfig =
  | { eventStoreConnectionString: string }
  | { sqlitePath: string; readOnly?: boolean; writer?: 'inline' | 'thread' };

export function openEventStore(config: EventStoreConfig): EventStore {
  return 'eventStoreConnectionString' in config
    ? EventStoreDbEventStore.connect(config.eventStoreConnectionString)
    : SqliteEventStore.open({ path: config.sqlitePath, readOnly: config.readOnly === true, writer: config.writer ?? 'inline' });
}
