import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { KafkaPublisher, type KafkaPublisherOptions, type TopicSettings, createKafkaClient } from '@app/messaging';
import { type ReadModelStore, lastPosition } from '@app/projections/runner';
import type { Kafka } from 'kafkajs';
import { EVENT_STORE } from '../../platform/event-store/event-store.token';
import { LedgerMetrics, PublisherStatus } from '../../platform/metrics/ledger-metrics';
import { openReadModelFile } from '../read-model-file';

export const KAFKA_PUBLISHING_OPTIONS = Symbol('KAFKA_PUBLISHING_OPTIONS');

export interface KafkaPublishingOptions {
  readonly brokers: readonly string[];
  /** The read-model SQLite file; the publisher keeps its rows (`kafka-publisher/*`) there. */
  readonly readModelDbPath: string;
  readonly clientId?: string;
  /** Default `ledger.`. */
  readonly topicPrefix?: string;
  readonly topicSettings?: TopicSettings;
  /** Batch bounds and timeouts (see KafkaPublisherOptions). */
  readonly tuning?: Pick<KafkaPublisherOptions, 'maxBatchEvents' | 'maxBatchMs' | 'maxBatchBytes' | 'stopTimeoutMs' | 'createTopics'>;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * Runs the Kafka publisher next to the ledger: started once the app has booted (in the background:
 * an unreachable Kafka never keeps the ledger from serving), started again with a growing pause when
 * it cannot start or stops on an error (each time from its saved checkpoint, so nothing is lost), and
 * stopped before the event store closes: the last batch is sent and its checkpoint saved.
 */
@Injectable()
export class KafkaPublishingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaPublisher');
  private kafka: Kafka | undefined;
  private readModels: ReadModelStore | undefined;
  private current: KafkaPublisher | undefined;
  /** The last checkpoint a publisher reported, kept across restarts so the lag stays known meanwhile. */
  private checkpoint: bigint | undefined;
  private supervising: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private signalStopped: () => void = () => undefined;
  /** Resolves when the shutdown begins. */
  private readonly stopped = new Promise<void>((resolve) => (this.signalStopped = resolve));

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KAFKA_PUBLISHING_OPTIONS) private readonly options: KafkaPublishingOptions,
    metrics: LedgerMetrics,
  ) {
    metrics.trackKafkaPublisher(() => this.status());
  }

  /** The running publisher (for health and tests); undefined between attempts. */
  get publisher(): KafkaPublisher | undefined {
    return this.current;
  }

  /** For /metrics: whether a publisher runs and how far its checkpoint is behind the store's head. */
  private async status(): Promise<PublisherStatus> {
    const running = this.current?.state === 'running';
    // A running publisher without a checkpoint has published nothing yet: it is at the start of the log.
    const reported = this.current?.checkpoint ?? (running ? 0n : undefined);
    if (reported !== undefined) this.checkpoint = reported;
    if (this.checkpoint === undefined) return { running, lagPositions: undefined };
    try {
      const head = (await lastPosition(this.store)) ?? 0n;
      return { running, lagPositions: head - this.checkpoint };
    } catch {
      return { running, lagPositions: undefined };
    }
  }

  onApplicationBootstrap(): void {
    this.logger.log({ msg: 'kafka publishing on', brokers: this.options.brokers, readModelDbPath: this.options.readModelDbPath });
    this.supervising = this.supervise();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.signalStopped();
    this.wake?.();
    await this.current?.stop();
    await this.supervising;
    this.readModels?.close();
  }

  private async supervise(): Promise<void> {
    let pause = FIRST_RETRY_MS;
    while (!this.stopping) {
      let failed: Promise<Error>;
      try {
        this.readModels ??= await openReadModelFile(this.store, this.options.readModelDbPath, this.logger);
        this.kafka ??= createKafkaClient({
          brokers: this.options.brokers,
          clientId: this.options.clientId ?? 'bid-bond-ledger',
          logSink: { warn: (entry) => this.logger.warn(entry), error: (entry) => this.logger.error(entry) },
        });
        let reportFailure: (error: Error) => void = () => undefined;
        failed = new Promise<Error>((resolve) => (reportFailure = resolve));
        const publisher = new KafkaPublisher({
          store: this.store,
          readModels: this.readModels,
          kafka: this.kafka,
          topicPrefix: this.options.topicPrefix,
          topicSettings: this.options.topicSettings,
          ...this.options.tuning,
          logger: this.logger,
          onError: reportFailure,
        });
        this.current = publisher;
        // A start that hangs on an unreachable Kafka must not hold up the shutdown.
        await Promise.race([publisher.start(), this.stopped]);
        pause = FIRST_RETRY_MS;
      } catch (error) {
        if (this.stopping) return;
        this.logger.error({ msg: 'kafka publisher could not start; trying again', retryInMs: pause, error: (error as Error).message });
        this.current = undefined;
        await this.pause(pause);
        pause = Math.min(pause * 2, MAX_RETRY_MS);
        continue;
      }
      if (this.stopping) return;
      const outcome = await Promise.race([failed, new Promise<'stop'>((resolve) => (this.wake = () => resolve('stop')))]);
      if (outcome === 'stop' || this.stopping) return;
      await this.current?.stop();
      this.current = undefined;
      this.logger.error({ msg: 'kafka publisher failed; starting it again from its checkpoint', retryInMs: pause, error: outcome.message });
      await this.pause(pause);
      pause = Math.min(pause * 2, MAX_RETRY_MS);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
