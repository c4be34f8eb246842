export {
  ReadModelStore,
  DEFAULT_READ_MODELS_PATH,
  READ_MODEL_SCHEMA_VERSION,
  type ReadModelStoreOptions,
  type DiscardedReadModels,
  type StoredReadModel,
  type ReadModelEntry,
} from './read-model-store';
export {
  ProjectionRunner,
  lastPosition,
  type ProjectionRunnerOptions,
  type ProjectionRunnerState,
  type SnapshotInfo,
} from './projection-runner';
export { rebuild, applyToAll, assertDistinctNames, type AnyProjection, type ReadModels } from './rebuild';
export {
  ProjectionFailedError,
  ReadModelsAheadOfStoreError,
  ProjectionWaitTimeoutError,
  ProjectionRunnerStoppedError,
  REBUILD_READ_MODELS_ADVICE,
} from './errors';
export { PositionWaiters } from './position-waiters';
