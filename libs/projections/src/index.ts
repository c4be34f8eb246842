export {
  type ProjectionEvent,
  type Checkpointed,
  type Projection,
  defineProjection,
  foldEvents,
  checkpointOf,
} from './projection';
export { type Table, emptyTable, tableGet, tableHas, tableSet, tableUpdate, tableDelete, tableEntries, tableValues, tableSize } from '@app/domain';
export { type KnownEvent, known, postingsOf } from './known-events';
export * from './balances/balances.projection';
export * from './bonds/bonds.projection';
export * from './bonds/bond-view';
export * from './lots/lot-summary.projection';
export * from './refunds/refund-queue.projection';
export * from './suspense/suspense.projection';
export * from './rate-schedules/rate-schedules.projection';
export * from './basic-accounts/basic-account-conflicts.projection';
export * from './statements/lot-statement.projection';
