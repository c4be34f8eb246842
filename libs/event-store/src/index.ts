export * from './event-store.port';
export { canonicalJson } from './canonical-json';
export { GENESIS_HASH, ChainVerifier, chainLink, chainLinkOfCanonicalData, legacyTip, verifyChain } from './hash-chain';
export type { ChainBreak, ChainBreakReason, ChainContent, ChainEvent, ChainVerification } from './hash-chain';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions, SqliteCommitStats } from './sqlite/sqlite-event-store';
export { CHECKPOINTER_AFTER_BYTES, WRITER_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './sqlite/wal-checkpointer';
export type { WalCheckpointStats, WalCheckpointerOptions } from './sqlite/wal-checkpointer';
export {
  EventStoreDbEventStore,
  EventStoreDbNoAnswerError,
  STORE_IDENTIFIED_EVENT_TYPE,
  STORE_IDENTITY_STREAM,
} from './eventstoredb/eventstoredb-event-store';
export type { EventStoreDbOptions } from './eventstoredb/eventstoredb-event-store';
export { openEventStore } from './open-event-store';
export { appendSequentially } from './multi-stream-append';
export { MAX_APPENDS_PER_CALL } from './proposed-events';
export type { EventStoreConfig } from './open-event-store';
export { startWorker } from './sqlite/sqlite-worker';
