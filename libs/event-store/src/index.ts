export * from './event-store.port';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions, SqliteCommitStats } from './sqlite/sqlite-event-store';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export { openEventStore } from './open-event-store';
export type { EventStoreConfig } from './open-event-store';
