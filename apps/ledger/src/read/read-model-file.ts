import type { LoggerService } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { ReadModelStore } from '@app/projections/runner';

/**
 * Opens the read-model file (READ_MODEL_DB_PATH) for the process's event store. The query side's
 * runner and the Kafka publisher both open it: the first to come adopts a file built from another
 * store (emptied, with the warning below, and rebuilt from the start), the second finds it recorded.
 */
export async function openReadModelFile(store: EventStore, path: string, logger: LoggerService): Promise<ReadModelStore> {
  const storeIdentity = await store.identity();
  const readModels = ReadModelStore.open({ path, storeIdentity });
  if (readModels.discarded) {
    logger.warn({
      msg: 'read models belonged to another event store; rebuilding them',
      readModelDbPath: path,
      // null: a file from before store identities, built from an unknown store.
      previousStoreIdentity: readModels.discarded.previousIdentity ?? null,
      storeIdentity,
    });
  }
  return readModels;
}
