import { parentPort, workerData } from 'node:worker_threads';
import { type EventStore, type EventStoreConfig, SqliteEventStore, openEventStore } from '@app/event-store';
import { KafkaPublisher, type KafkaPublisherOptions, type PublisherLogger, type PublisherState, type TopicSettings, createKafkaClient } from '@app/messaging';
import type { ReadModelStore } from '@app/projections/runner';
import type { Kafka } from 'kafkajs';
import { openReadModelFile } from '../read-model-file';
import { FIRST_RETRY_MS, nextRetryMs } from './retry-pause';

/**
 * The Kafka publisher's thread (started by KafkaPublishingService): its own event-store connection
 * (SQLite read-only, woken by the service after each commit; or its own EventStoreDB client), its own
 * read-model connection and its own Kafka client, so that folding, message building and checkpoint
 * saves take no time from the request thread (docs/benchmarks.md). It runs one publisher at a time:
 * started again with a growing pause when it cannot start or stops on an error, each time from its
 * saved checkpoint, so nothing is lost.
 */

export interface PublishingThreadData {
  /** Where the thread reads events; a SQLite store is opened read-only. */
  readonly eventStore: EventStoreConfig;
  readonly brokers: readonly string[];
  readonly readModelDbPath: string;
  readonly clientId: string;
  readonly topicPrefix: string | undefined;
  readonly topicSettings: TopicSettings | undefined;
  readonly tuning: Pick<KafkaPublisherOptions, 'maxBatchEvents' | 'maxBatchMs' | 'maxBatchBytes' | 'stopTimeoutMs' | 'createTopics'> | undefined;
}

/** `appended`: the service's store committed (look now); `caughtUp`: answered by `answer` with the same id. */
export type ToPublishingThread = { type: 'appended' } | { type: 'caughtUp'; id: number; timeoutMs: number | undefined } | { type: 'stop' };

export type FromPublishingThread =
  | { type: 'log'; level: keyof PublisherLogger; entry: Record<string, unknown> }
  /** The current publisher's state and saved checkpoint (a decimal string); state undefined between publishers. */
  | { type: 'status'; state: PublisherState | undefined; checkpoint: string | undefined }
  | { type: 'answer'; id: number; error?: { name: string; message: string } }
  /** After a `stop`: the last batch is sent (or given up) and every connection closed. */
  | { type: 'stopped' };

function runThread(port: NonNullable<typeof parentPort>, data: PublishingThreadData): void {
  const post = (message: FromPublishingThread) => port.postMessage(message);
  const logger: PublisherLogger = {
    log: (entry) => post({ type: 'log', level: 'log', entry }),
    warn: (entry) => post({ type: 'log', level: 'warn', entry }),
    error: (entry) => post({ type: 'log', level: 'error', entry }),
  };
  const store: EventStore = openEventStore('sqlitePath' in data.eventStore ? { sqlitePath: data.eventStore.sqlitePath, readOnly: true } : data.eventStore);
  let readModels: ReadModelStore | undefined;
  let kafka: Kafka | undefined;
  let current: KafkaPublisher | undefined;
  let stopping = false;
  let wake: (() => void) | undefined;
  let signalStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (signalStopped = resolve));

  const report = () => post({ type: 'status', state: current?.state, checkpoint: current?.checkpoint?.toString() });

  const pause = (ms: number) =>
    stopping
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });

  async function supervise(): Promise<void> {
    let retryMs = FIRST_RETRY_MS;
    while (!stopping) {
      let failed: Promise<Error>;
      try {
        // Its lines reach the service's logger as the publisher's do.
        readModels ??= await openReadModelFile(store, data.readModelDbPath, logger);
        kafka ??= createKafkaClient({ brokers: data.brokers, clientId: data.clientId, logSink: { warn: logger.warn, error: logger.error } });
        let reportFailure: (error: Error) => void = () => undefined;
        failed = new Promise<Error>((resolve) => (reportFailure = resolve));
        current = new KafkaPublisher({
          store,
          readModels,
          kafka,
          topicPrefix: data.topicPrefix,
          topicSettings: data.topicSettings,
          ...data.tuning,
          logger,
          onError: (error) => {
            report();
            reportFailure(error);
          },
          onCheckpoint: report,
        });
        report();
        // A start that hangs on an unreachable Kafka must not hold up the shutdown.
        await Promise.race([current.start(), stopped]);
        report();
        retryMs = FIRST_RETRY_MS;
      } catch (error) {
        if (stopping) return;
        logger.error({ msg: 'kafka publisher could not start; trying again', retryInMs: retryMs, error: (error as Error).message });
        current = undefined;
        report();
        await pause(retryMs);
        retryMs = nextRetryMs(retryMs);
        continue;
      }
      if (stopping) return;
      const outcome = await Promise.race([failed, new Promise<'stop'>((resolve) => (wake = () => resolve('stop')))]);
      if (outcome === 'stop' || stopping) return;
      await current?.stop();
      current = undefined;
      report();
      logger.error({ msg: 'kafka publisher failed; starting it again from its checkpoint', retryInMs: retryMs, error: outcome.message });
      await pause(retryMs);
      retryMs = nextRetryMs(retryMs);
    }
  }

  async function caughtUp(id: number, timeoutMs: number | undefined): Promise<void> {
    try {
      if (current === undefined) throw new Error('no kafka publisher runs now');
      await current.caughtUp(timeoutMs);
      post({ type: 'answer', id });
    } catch (error) {
      post({ type: 'answer', id, error: { name: (error as Error).name, message: (error as Error).message } });
    }
  }

  const supervising = supervise();

  async function stop(): Promise<void> {
    stopping = true;
    signalStopped();
    wake?.();
    await current?.stop();
    await supervising;
    report();
    readModels?.close();
    await store.close();
    post({ type: 'stopped' });
  }

  port.on('message', (message: ToPublishingThread) => {
    if (message.type === 'appended') {
      if (store instanceof SqliteEventStore) store.lookForAppends();
    } else if (message.type === 'caughtUp') {
      void caughtUp(message.id, message.timeoutMs);
    } else {
      void stop();
    }
  });
}

if (parentPort) runThread(parentPort, workerData as PublishingThreadData);
