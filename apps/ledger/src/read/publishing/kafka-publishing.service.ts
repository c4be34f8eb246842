import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { type EventStore, type EventStoreConfig, SqliteEventStore, startWorker } from '@app/event-store';
import type { KafkaPublisherOptions, PublisherState, TopicSettings } from '@app/messaging';
import { lastPosition } from '@app/projections/runner';
import { EVENT_STORE } from '../../platform/event-store/event-store.token';
import { LedgerMetrics, PublisherStatus } from '../../platform/metrics/ledger-metrics';
import type { FromPublishingThread, PublishingThreadData, ToPublishingThread } from './kafka-publishing-thread';
import { FIRST_RETRY_MS, nextRetryMs } from './retry-pause';

export const KAFKA_PUBLISHING_OPTIONS = Symbol('KAFKA_PUBLISHING_OPTIONS');

export interface KafkaPublishingOptions {
  /** The store the service writes, as configured: the publisher's thread opens its own connection to it. */
  readonly eventStore: EventStoreConfig;
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

/** The thread's current publisher, as the thread last reported it. */
export interface PublisherView {
  readonly state: PublisherState;
  /** The position of the last event whose messages Kafka acknowledged and whose checkpoint is saved. */
  readonly checkpoint: bigint | undefined;
  /** Resolves once everything in the store when called is published and checkpointed. */
  caughtUp(timeoutMs?: number): Promise<void>;
}

/**
 * Runs the Kafka publisher next to the ledger, in a thread of its own (`kafka-publishing-thread.ts`,
 * which starts it again after a failure): started once the app has booted, so an unreachable Kafka
 * never keeps the ledger from serving, told after each commit of the embedded store to look for events
 * (its read-only connection would otherwise poll), and stopped before the event store closes: the last
 * batch is sent and its checkpoint saved. A thread that dies is started again with a growing pause.
 */
@Injectable()
export class KafkaPublishingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaPublisher');
  private worker: Worker | undefined;
  private view: PublisherView | undefined;
  /** The last checkpoint the thread reported, kept across restarts so the lag stays known meanwhile. */
  private checkpoint: bigint | undefined;
  private readonly asked = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private stopping = false;
  private stopped: (() => void) | undefined;
  private unlisten: (() => void) | undefined;
  private restartMs = FIRST_RETRY_MS;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KAFKA_PUBLISHING_OPTIONS) private readonly options: KafkaPublishingOptions,
    metrics: LedgerMetrics,
  ) {
    metrics.trackKafkaPublisher(() => this.status());
  }

  /** The thread's running publisher (for health and tests); undefined between attempts. */
  get publisher(): PublisherView | undefined {
    return this.view;
  }

  /** For /metrics: whether a publisher runs and how far its checkpoint is behind the store's head. */
  private async status(): Promise<PublisherStatus> {
    const running = this.view?.state === 'running';
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
    if (this.store instanceof SqliteEventStore) this.unlisten = this.store.onCommit(() => this.send({ type: 'appended' }));
    this.startThread();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.unlisten?.();
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker === undefined) return;
    await new Promise<void>((resolve) => {
      this.stopped = resolve;
      worker.once('exit', () => resolve());
      this.send({ type: 'stop' });
    });
    await worker.terminate();
  }

  private startThread(): void {
    const { eventStore, brokers, readModelDbPath, clientId, topicPrefix, topicSettings, tuning } = this.options;
    const data: PublishingThreadData = { eventStore, brokers, readModelDbPath, clientId: clientId ?? 'bid-bond-ledger', topicPrefix, topicSettings, tuning };
    const worker = startWorker(join(__dirname, 'kafka-publishing-thread'), data);
    this.worker = worker;
    worker.on('message', (message: FromPublishingThread) => this.receive(message));
    worker.on('error', (error) => this.logger.error({ msg: 'kafka publisher thread failed', error: error.message }));
    worker.once('exit', () => this.threadEnded(worker));
  }

  private threadEnded(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.view = undefined;
    for (const { reject } of this.asked.values()) reject(new Error('the kafka publisher thread ended'));
    this.asked.clear();
    if (this.stopping) return;
    this.logger.error({ msg: 'kafka publisher thread ended; starting it again', retryInMs: this.restartMs });
    this.restartTimer = setTimeout(() => this.startThread(), this.restartMs);
    this.restartMs = nextRetryMs(this.restartMs);
  }

  private send(message: ToPublishingThread): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromPublishingThread): void {
    switch (message.type) {
      case 'log':
        this.logger[message.level](message.entry);
        return;
      case 'status': {
        const checkpoint = message.checkpoint === undefined ? undefined : BigInt(message.checkpoint);
        // A running publisher without a checkpoint has published nothing yet: it is at the start of the log.
        this.checkpoint = checkpoint ?? (message.state === 'running' ? 0n : this.checkpoint);
        if (message.state === 'running') this.restartMs = FIRST_RETRY_MS;
        this.view = message.state === undefined ? undefined : { state: message.state, checkpoint, caughtUp: (timeoutMs) => this.caughtUp(timeoutMs) };
        return;
      }
      case 'answer': {
        const asked = this.asked.get(message.id);
        this.asked.delete(message.id);
        if (message.error === undefined) asked?.resolve();
        else asked?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
        return;
      }
      case 'stopped':
        this.stopped?.();
        return;
    }
  }

  private caughtUp(timeoutMs: number | undefined): Promise<void> {
    if (this.worker === undefined) return Promise.reject(new Error('the kafka publisher thread is not running'));
    const id = (this.nextId += 1);
    return new Promise<void>((resolve, reject) => {
      this.asked.set(id, { resolve, reject });
      this.send({ type: 'caughtUp', id, timeoutMs });
    });
  }
}
