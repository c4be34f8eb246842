import type { ProjectionEvent } from '../projection';

/** A projection threw on an event (e.g. the balances projection on an unbalanced posting set): the runner stops. */
export class ProjectionFailedError extends Error {
  override readonly name = 'ProjectionFailedError';
  readonly position: bigint;
  readonly eventType: string;
  readonly streamName: string;

  constructor(
    readonly projection: string,
    event: ProjectionEvent,
    override readonly cause: unknown,
  ) {
    super(
      `projection ${projection} failed on ${event.type} at position ${event.position} (stream ${event.streamName}, ` +
        `revision ${event.revision}): ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.position = event.position;
    this.eventType = event.type;
    this.streamName = event.streamName;
  }
}

/** What to do when the read-model file is ahead of its own store; shared with the Kafka publisher's error. */
export const REBUILD_READ_MODELS_ADVICE =
  'stop the ledger, move the read-model file (READ_MODEL_DB_PATH) away and start again: ' +
  'the read models are rebuilt from the event store and the Kafka publisher publishes again from the start ' +
  '(consumers de-duplicate by key and position)';

/**
 * The stored read models are at a position the event store does not have. Read models built from
 * another store are discarded when the file is opened (`ReadModelStore.open` with the store's identity),
 * so these were built from this very store when it held more events: it went back, restored from an
 * older backup.
 */
export class ReadModelsAheadOfStoreError extends Error {
  override readonly name = 'ReadModelsAheadOfStoreError';
  constructor(
    readonly projection: string,
    readonly checkpoint: bigint,
    readonly storeHead: bigint | undefined,
  ) {
    super(
      `read model ${projection} is at position ${checkpoint} but the event store ends at ${storeHead ?? 'nothing'}: ` +
        'the read models were built from this event store when it held more events, so the store went back ' +
        `(restored from an older backup?); ${REBUILD_READ_MODELS_ADVICE}`,
    );
  }
}

/** `waitForPosition` / `caughtUp` gave up. */
export class ProjectionWaitTimeoutError extends Error {
  override readonly name = 'ProjectionWaitTimeoutError';
  constructor(
    readonly awaited: bigint,
    readonly reached: bigint | undefined,
    readonly timeoutMs: number,
  ) {
    super(`projections did not reach position ${awaited} within ${timeoutMs} ms (at ${reached ?? 'start'})`);
  }
}

/** The runner was stopped (or failed) before the awaited position was applied. */
export class ProjectionRunnerStoppedError extends Error {
  override readonly name = 'ProjectionRunnerStoppedError';
}
