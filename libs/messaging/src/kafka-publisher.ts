import { type EventStore, type RecordedEvent, START, type Subscription } from '@app/event-store';
import { PositionWaiters, REBUILD_READ_MODELS_ADVICE, type ReadModelStore, lastPosition } from '@app/projections/runner';
import { type Kafka, type Message, Partitioners, type Producer, type TopicMessages } from 'kafkajs';
import { kafkaMessageOf } from './envelope';
import { type TopicSettings, ensureTopics } from './kafka-client';
import { MODEL_NAMES, type PublisherModels, applyEvent, changesOf, initialModels, publisherModelsOf } from './published-state';
import { DEFAULT_TOPIC_PREFIX, TOPIC_KINDS, TOPIC_OF_ENTITY, type TopicKind, type TopicNames, topicNames } from './topics';

export interface PublisherLogger {
  log(entry: Record<string, unknown>): void;
  warn(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

export interface KafkaPublisherOptions {
  readonly store: EventStore;
  /** Where the publisher keeps its models and checkpoint (its own rows, see `checkpointName`). */
  readonly readModels: ReadModelStore;
  readonly kafka: Kafka;
  /** Default `ledger.` (topics `ledger.balances.v2`, `ledger.lots.v1`, …). */
  readonly topicPrefix?: string | undefined;
  /** Partitions (default 3) and replication factor (default 1) of topics the publisher creates. */
  readonly topicSettings?: TopicSettings | undefined;
  /** Create missing topics at start (default true); false where a platform team manages them. */
  readonly createTopics?: boolean;
  /** Prefix of the publisher's rows in the read-model store (default `kafka-publisher`): `kafka-publisher/balances`, … */
  readonly checkpointName?: string;
  /** A batch closes after this many events (default 500)… */
  readonly maxBatchEvents?: number;
  /** …or this long after its first event while another batch is in flight (default 200 ms)… */
  readonly maxBatchMs?: number;
  /** …or once its messages reach this many bytes (default 4 MiB). */
  readonly maxBatchBytes?: number;
  /** One produce request carries at most this many bytes of message values (default 256 KiB; brokers refuse > 1 MB). */
  readonly maxRequestBytes?: number;
  /**
   * An acknowledged batch's checkpoint is saved at most this often (default 1,000 ms), the last one at
   * the latest this long after its acknowledgement: a save writes every model entry changed since the
   * previous one, on the event loop, and saving after every batch took a fifth of the service's CPU under
   * load (docs/benchmarks.md). `stop()` and a wait for the checkpoint (`caughtUp`) save at once.
   */
  readonly checkpointEveryMs?: number;
  /** How long `stop()` waits for the last batch to be acknowledged before giving up on it (default 10 s). */
  readonly stopTimeoutMs?: number;
  /** Default bound of `caughtUp` / `waitForCheckpoint` (default 30 s). */
  readonly waitTimeoutMs?: number;
  readonly logger?: PublisherLogger;
  /** Told once when the publisher stops on an error (a projection threw, the store or the checkpoint failed). */
  readonly onError?: (error: Error) => void;
  /** After Kafka acknowledged a batch, before its checkpoint is saved. */
  readonly onBatchSent?: (batch: BatchInfo) => void;
  /** After a batch's models and checkpoint were saved. */
  readonly onCheckpoint?: (batch: BatchInfo) => void;
}

export interface BatchInfo {
  /** Position of the batch's first and last event. */
  readonly fromPosition: bigint;
  readonly toPosition: bigint;
  readonly events: number;
  readonly messages: number;
  /** From the batch's hand-over to Kafka to its acknowledgement (and, for onCheckpoint, the save). */
  readonly durationMs: number;
}

export type PublisherState = 'new' | 'starting' | 'running' | 'failed' | 'stopped';

/**
 * The publisher's stored checkpoint is beyond the end of the event store. Rows built from another store
 * are discarded when the read-model file is opened with the store's identity, so this checkpoint was
 * saved by this very store when it held more events: the store went back (restored from an older backup).
 */
export class PublisherAheadOfStoreError extends Error {
  override readonly name = 'PublisherAheadOfStoreError';
  constructor(
    readonly checkpoint: bigint,
    readonly storeHead: bigint | undefined,
  ) {
    super(
      `the Kafka publisher's checkpoint is at position ${checkpoint} but the event store ends at ${storeHead ?? 'nothing'}: ` +
        'it was saved when this event store held more events, so the store went back (restored from an older backup?); ' +
        REBUILD_READ_MODELS_ADVICE,
    );
  }
}

export class PublisherStoppedError extends Error {
  override readonly name = 'PublisherStoppedError';
}

export class PublisherWaitTimeoutError extends Error {
  override readonly name = 'PublisherWaitTimeoutError';
}

interface Batch {
  readonly messages: { [kind in TopicKind]: Message[] };
  count: number;
  bytes: number;
  events: number;
  first: bigint | undefined;
  last: bigint | undefined;
}

/** A periodic save serialises the models in slices of about this many ms, folding and serving between them. */
const SAVE_SLICE_MS = 4;

const silent: PublisherLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

function emptyBatch(): Batch {
  return {
    messages: { balances: [], lots: [], bonds: [], refunds: [], refundInstructions: [] },
    count: 0,
    bytes: 0,
    events: 0,
    first: undefined,
    last: undefined,
  };
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

/** Runs `run` once the event loop comes round, or after `ms`; returns its cancellation. */
function immediately(run: () => void): () => void {
  const immediate = setImmediate(run);
  return () => clearImmediate(immediate);
}
function after(ms: number, run: () => void): () => void {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Publishes the ledger's read models to Kafka (docs/topics.md).
 *
 * It follows the event store's catch-up subscription from ITS OWN checkpoint, folds every event into
 * its own copies of the projections (`published-state.ts`), works out which entities' published state
 * the event changed and queues one message per changed entity. A batch closes at once when none is in
 * flight (group commit: low lag when quiet, big batches when busy), else when the one in flight is done,
 * or after `maxBatchEvents` events, `maxBatchMs` or `maxBatchBytes`; once Kafka has acknowledged a batch (idempotent producer,
 * acks=all), the models as of the batch's last event and that event's position are saved together,
 * in one transaction, in the read-model store — at once when nothing is queued behind the batch, else
 * at most every `checkpointEveryMs`. The next batch is folded while the previous one is in
 * flight; batches are sent strictly one after another, so every key's messages reach Kafka in order.
 *
 * At least once: a crash re-sends the batches acknowledged since the last saved checkpoint after the
 * restart (byte-identical messages: same key, same position). Nothing is skipped: an event that a
 * projection refuses stops the publisher (it reports and saves nothing more), and a batch Kafka does
 * not take is retried until it is taken or the publisher stops.
 */
export class KafkaPublisher {
  readonly topics: TopicNames;
  private readonly logger: PublisherLogger;
  private readonly checkpointName: string;
  private readonly maxBatchEvents: number;
  private readonly maxBatchMs: number;
  private readonly maxBatchBytes: number;
  private readonly maxRequestBytes: number;
  private readonly stopTimeoutMs: number;
  private readonly waitTimeoutMs: number;
  private readonly checkpointEveryMs: number;
  /** performance.now() of the last checkpoint saved (or of the start). */
  private lastSavedAt = performance.now();
  /** The last acknowledged batch whose checkpoint is not saved yet, with the models as of its last event. */
  private unsaved: { info: BatchInfo; models: PublisherModels } | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  /** The periodic save being made in slices (`ReadModelStore.saveInSlices`), if one is. */
  private saving: Promise<void> | undefined;
  /** Callers waiting for a checkpoint: while there are some, every acknowledged batch is saved at once. */
  private waiting = 0;

  private publisherState: PublisherState = 'new';
  private error: Error | undefined;
  private starting: Promise<void> | undefined;
  private producer: Producer | undefined;
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Set when stop() gives up on an unacknowledged batch: nothing is saved after it. */
  private abandoned = false;
  private wakeRetry: (() => void) | undefined;

  private models: PublisherModels = initialModels();
  /** Position of the last event folded into `models`. */
  private folded: bigint | undefined;
  /** Position of the saved checkpoint. */
  private saved: bigint | undefined;
  private batch: Batch = emptyBatch();
  /** Cancels the open batch's scheduled close, if one is scheduled. */
  private cancelBatchClose: (() => void) | undefined;
  /** Batches handed over and not yet sent and saved. */
  private inFlight = 0;
  /** The batches handed over, sent one after another; never rejects. */
  private chain: Promise<void> = Promise.resolve();
  private readonly waiters = new PositionWaiters();

  constructor(private readonly options: KafkaPublisherOptions) {
    this.topics = topicNames(options.topicPrefix ?? DEFAULT_TOPIC_PREFIX);
    this.logger = options.logger ?? silent;
    this.checkpointName = options.checkpointName ?? 'kafka-publisher';
    this.maxBatchEvents = positive(options.maxBatchEvents ?? 500, 'maxBatchEvents');
    this.maxBatchMs = positive(options.maxBatchMs ?? 200, 'maxBatchMs');
    this.maxBatchBytes = positive(options.maxBatchBytes ?? 4 * 1024 * 1024, 'maxBatchBytes');
    this.maxRequestBytes = positive(options.maxRequestBytes ?? 256 * 1024, 'maxRequestBytes');
    this.stopTimeoutMs = positive(options.stopTimeoutMs ?? 10_000, 'stopTimeoutMs');
    this.waitTimeoutMs = positive(options.waitTimeoutMs ?? 30_000, 'waitTimeoutMs');
    this.checkpointEveryMs = positive(options.checkpointEveryMs ?? 1_000, 'checkpointEveryMs');
  }

  get state(): PublisherState {
    return this.publisherState;
  }

  /** Why the publisher stopped on its own; undefined while healthy. */
  get failure(): Error | undefined {
    return this.error;
  }

  /** The position of the last event whose messages Kafka acknowledged and whose checkpoint is saved. */
  get checkpoint(): bigint | undefined {
    return this.saved;
  }

  /** The rows of the read-model store the publisher owns. */
  modelRowNames(): string[] {
    return MODEL_NAMES.map((name) => `${this.checkpointName}/${name}`);
  }

  /** Creates the topics, loads the checkpoint, connects the idempotent producer and starts following the store. */
  start(): Promise<void> {
    if (this.publisherState !== 'new') return Promise.reject(new Error(`the publisher is ${this.publisherState}; a publisher starts once`));
    this.publisherState = 'starting';
    this.starting = this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    try {
      if (this.options.createTopics ?? true) {
        const admin = this.options.kafka.admin();
        await admin.connect();
        try {
          const { created } = await ensureTopics(admin, Object.values(this.topics), this.options.topicSettings);
          if (created.length > 0) this.logger.log({ msg: 'kafka topics created', topics: created });
        } finally {
          await admin.disconnect();
        }
      }
      this.throwIfStopping();
      this.loadModels();
      const head = await lastPosition(this.options.store);
      if (this.saved !== undefined && (head === undefined || this.saved > head)) throw new PublisherAheadOfStoreError(this.saved, head);
      this.throwIfStopping();
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // An idempotent producer must not give up on a retriable error; stop() bounds the wait.
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5_000 },
      });
      this.producer = producer;
      await producer.connect();
      this.throwIfStopping();
      this.subscription = this.options.store.subscribeToAll({ fromPosition: this.saved ?? START });
      this.throwIfStopping();
    } catch (error) {
      await this.subscription?.close().catch(() => undefined);
      this.publisherState = 'stopped';
      await this.producer?.disconnect().catch(() => undefined);
      throw error;
    }
    this.publisherState = 'running';
    this.logger.log({
      msg: 'kafka publisher started',
      topics: this.topics,
      resumesAfter: this.saved === undefined ? 'start' : this.saved.toString(),
    });
    this.loop = this.follow(this.subscription);
  }

  private throwIfStopping(): void {
    if (this.stopping) throw new PublisherStoppedError('the publisher was stopped while starting');
  }

  /** All rows at one checkpoint, or none (then everything is published again from the start). */
  private loadModels(): void {
    const stored = new Map(MODEL_NAMES.map((name) => [name, this.options.readModels.load(`${this.checkpointName}/${name}`)]));
    const present = [...stored.values()].flatMap((row) => (row === undefined ? [] : [row]));
    const [first] = present;
    if (first === undefined) return;
    if (present.length < stored.size) {
      this.logger.warn({
        msg: 'kafka publisher: some of its stored models are missing; publishing again from the start (consumers de-duplicate by key and position)',
        missing: MODEL_NAMES.filter((name) => stored.get(name) === undefined),
      });
      return;
    }
    const positions = new Set(present.map((row) => row.position?.toString()));
    if (positions.size !== 1) throw new Error(`kafka publisher: stored models at different checkpoints (${[...positions].join(', ')})`);
    // Every row is present, and each was saved from the model of its name.
    this.models = publisherModelsOf((name) => stored.get(name)!.model as PublisherModels[typeof name]);
    this.saved = first.position;
    this.folded = this.saved;
  }

  private async follow(subscription: Subscription): Promise<void> {
    try {
      for await (const event of subscription) {
        if (this.stopping || this.publisherState !== 'running') break;
        this.fold(event);
        const full = this.batch.events >= this.maxBatchEvents || this.batch.bytes >= this.maxBatchBytes;
        if (full) {
          // At most one batch in flight while the next is folded.
          await this.chain;
          this.handOver();
        } else if (this.cancelBatchClose === undefined) {
          // Nothing in flight: send now (after the rest of this page of events, which is folded before the
          // event loop comes round), so a quiet ledger's messages wait for no timer (a 0-ms timeout is
          // 1 ms). Otherwise the batch grows until the one in flight is done.
          this.cancelBatchClose = this.inFlight === 0 ? immediately(() => this.handOver()) : after(this.maxBatchMs, () => this.handOver());
        }
      }
      if (!this.stopping && this.publisherState === 'running') throw new Error('the event store subscription ended');
    } catch (error) {
      this.fail(error);
    }
  }

  private fold(event: RecordedEvent): void {
    if (this.folded !== undefined && event.position <= this.folded) return; // a redelivery
    const before = this.models;
    const after = applyEvent(before, event);
    const batch = this.batch;
    for (const change of changesOf(event, before, after)) {
      const message = kafkaMessageOf(change, event);
      batch.messages[TOPIC_OF_ENTITY[change.entity]].push(message);
      batch.count += 1;
      batch.bytes += (message.value as string).length + change.key.length;
    }
    this.models = after;
    this.folded = event.position;
    batch.events += 1;
    batch.first ??= event.position;
    batch.last = event.position;
  }

  /** Closes the current batch (every event folded so far) and queues it for sending and saving. */
  private handOver(): void {
    this.cancelBatchClose?.();
    this.cancelBatchClose = undefined;
    const batch = this.batch;
    if (batch.events === 0 || this.publisherState === 'failed') return;
    this.batch = emptyBatch();
    // The models now are the models as of the batch's last event (every folded event is in a batch).
    const models = this.models;
    this.inFlight += 1;
    this.chain = this.chain
      .then(() => this.sendAndSave(batch, models))
      .catch((error: unknown) => this.fail(error))
      .finally(() => this.afterBatch());
  }

  /** What was folded while the last batch was in flight goes at once, without waiting out its timer. */
  private afterBatch(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.batch.events > 0 && !this.stopping) this.handOver();
  }

  private async sendAndSave(batch: Batch, models: PublisherModels): Promise<void> {
    if (this.publisherState === 'failed' || this.abandoned) return;
    const started = performance.now();
    if (batch.count > 0 && !(await this.sendUntilAcknowledged(batch))) return;
    if (this.abandoned || (this.publisherState as PublisherState) === 'failed') return;
    const info: BatchInfo = {
      fromPosition: batch.first!,
      toPosition: batch.last!,
      events: batch.events,
      messages: batch.count,
      durationMs: performance.now() - started,
    };
    this.options.onBatchSent?.(info);
    this.unsaved = { info, models };
    this.scheduleSave();
  }

  /** Saves the unsaved checkpoint at once when waited for, else in slices once `checkpointEveryMs` has passed. */
  private scheduleSave(): void {
    if (this.unsaved === undefined || this.saving) return;
    const sinceSave = performance.now() - this.lastSavedAt;
    if (this.stopping || this.waiting > 0) this.saveCheckpoint();
    else if (sinceSave >= this.checkpointEveryMs) this.saveCheckpoint({ inSlices: true });
    else this.saveTimer ??= setTimeout(() => this.saveCheckpoint({ inSlices: true }), this.checkpointEveryMs - sinceSave);
  }

  /**
   * Saves the last acknowledged batch's models and checkpoint, if not saved yet: at once, or in slices
   * while folding and serving go on. While a save in slices is being made nothing else is saved; when it
   * ends, what was acknowledged meanwhile is scheduled.
   */
  private saveCheckpoint(options: { inSlices?: boolean } = {}): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const unsaved = this.unsaved;
    if (unsaved === undefined || this.saving || this.abandoned || this.publisherState === 'failed') return;
    this.unsaved = undefined;
    const { info, models } = unsaved;
    const entries = MODEL_NAMES.map((name) => ({ name: `${this.checkpointName}/${name}`, model: models[name], position: info.toPosition }));
    const saved = (busyMs: number) => {
      this.saved = info.toPosition;
      this.lastSavedAt = performance.now();
      this.options.onCheckpoint?.({ ...info, durationMs: info.durationMs + busyMs });
      this.waiters.settle(this.saved);
    };
    if (options.inSlices) {
      const proceed = () => !this.abandoned && this.publisherState !== 'failed';
      this.saving = this.options.readModels
        .saveInSlices(entries, { sliceMs: SAVE_SLICE_MS, proceed })
        .then(({ written, busyMs }) => {
          if (written) saved(busyMs);
        })
        .catch((error: unknown) => this.fail(error))
        .finally(() => {
          this.saving = undefined;
          this.scheduleSave();
        });
      return;
    }
    const started = performance.now();
    try {
      this.options.readModels.save(entries);
    } catch (error) {
      this.fail(error);
      return;
    }
    saved(performance.now() - started);
  }

  /** Sends the batch in requests of at most maxRequestBytes, in order; retries a refused request until stop() gives up. */
  private async sendUntilAcknowledged(batch: Batch): Promise<boolean> {
    for (const request of this.requestsOf(batch)) {
      for (let attempt = 1; ; attempt += 1) {
        if (this.abandoned) return false;
        try {
          await this.producer!.sendBatch({ topicMessages: request, acks: -1 });
          break;
        } catch (error) {
          if (this.abandoned) return false;
          const delay = Math.min(200 * 2 ** Math.min(attempt - 1, 6), 10_000);
          this.logger.warn({
            msg: 'kafka publisher: a batch was not acknowledged; retrying',
            attempt,
            retryInMs: delay,
            fromPosition: batch.first?.toString(),
            toPosition: batch.last?.toString(),
            error: (error as Error).message,
          });
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay);
            this.wakeRetry = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wakeRetry = undefined;
        }
      }
    }
    return true;
  }

  /** Splits a batch into produce requests; a topic's messages keep their order across requests. */
  private requestsOf(batch: Batch): TopicMessages[][] {
    const requests: TopicMessages[][] = [];
    let current = new Map<string, Message[]>();
    let bytes = 0;
    const close = () => {
      if (current.size > 0) requests.push([...current].map(([topic, messages]) => ({ topic, messages })));
      current = new Map();
      bytes = 0;
    };
    for (const kind of TOPIC_KINDS) {
      for (const message of batch.messages[kind]) {
        const size = (message.value as string).length + String(message.key).length;
        if (bytes > 0 && bytes + size > this.maxRequestBytes) close();
        const topic = this.topics[kind];
        const list = current.get(topic) ?? [];
        list.push(message);
        current.set(topic, list);
        bytes += size;
      }
    }
    close();
    return requests;
  }

  /**
   * Stops following the store, sends what was folded and saves its checkpoint. If Kafka does not
   * acknowledge within `stopTimeoutMs` the last batches are given up (not saved: re-sent after the
   * restart). Safe to call twice.
   */
  async stop(): Promise<void> {
    if (this.publisherState === 'new' || this.publisherState === 'stopped') {
      this.publisherState = 'stopped';
      return;
    }
    this.stopping = true;
    if (this.publisherState === 'starting') {
      // Nothing is folded or sent before the start completes: no need to wait for a Kafka that does
      // not answer. The start notices `stopping` at its next step, releases what it holds and fails.
      this.publisherState = 'stopped';
      this.waiters.rejectAll(new PublisherStoppedError('the kafka publisher was stopped while starting'));
      this.logger.log({ msg: 'kafka publisher stopped while starting', checkpoint: this.saved?.toString() });
      return;
    }
    if ((this.publisherState as PublisherState) === 'stopped') return;
    await this.subscription?.close().catch(() => undefined);
    const flushed = (async () => {
      await this.loop;
      this.handOver();
      await this.chain;
    })();
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      flushed.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.stopTimeoutMs))),
    ]);
    clearTimeout(timer);
    await this.saving;
    if (done) this.saveCheckpoint();
    if (!done) {
      this.abandoned = true;
      this.wakeRetry?.();
      this.logger.warn({
        msg: 'kafka publisher: Kafka did not acknowledge the last batch in time; it will be sent again after the restart',
        checkpoint: this.saved?.toString(),
        folded: this.folded?.toString(),
      });
    }
    this.cancelBatchClose?.();
    clearTimeout(this.saveTimer);
    const failed = this.publisherState === 'failed';
    this.publisherState = 'stopped';
    this.waiters.rejectAll(this.error ?? new PublisherStoppedError('the kafka publisher was stopped'));
    await Promise.race([this.producer?.disconnect().catch(() => undefined), sleep(this.stopTimeoutMs)]);
    this.logger.log({ msg: 'kafka publisher stopped', checkpoint: this.saved?.toString(), failed });
  }

  /** Resolves once everything in the store when called is published and checkpointed. */
  async caughtUp(timeoutMs = this.waitTimeoutMs): Promise<void> {
    const head = await lastPosition(this.options.store);
    if (head === undefined) return this.healthy();
    return this.waitForCheckpoint(head, timeoutMs);
  }

  /** Resolves once the saved checkpoint is at or past `position`; rejects on timeout, failure or stop. */
  waitForCheckpoint(position: bigint, timeoutMs = this.waitTimeoutMs): Promise<void> {
    // Acknowledged and not saved yet: a caller waits for it, so save now rather than at the next period.
    if (this.unsaved !== undefined && this.unsaved.info.toPosition >= position) this.saveCheckpoint();
    if (this.saved !== undefined && this.saved >= position) return this.healthy();
    if (this.publisherState !== 'running' && this.publisherState !== 'starting') {
      return Promise.reject(this.error ?? new PublisherStoppedError(`the kafka publisher is ${this.publisherState}`));
    }
    this.waiting += 1;
    return this.waiters
      .wait(
        position,
        timeoutMs,
        () => new PublisherWaitTimeoutError(`kafka publisher did not reach position ${position} within ${timeoutMs} ms (at ${this.saved ?? 'start'})`),
      )
      .finally(() => (this.waiting -= 1));
  }

  private healthy(): Promise<void> {
    return this.error ? Promise.reject(this.error) : Promise.resolve();
  }

  private fail(cause: unknown): void {
    if (this.publisherState !== 'running') return;
    const error = cause instanceof Error ? cause : new Error(String(cause));
    this.publisherState = 'failed';
    this.error = error;
    this.cancelBatchClose?.();
    void this.subscription?.close().catch(() => undefined);
    this.waiters.rejectAll(error);
    this.logger.error({ msg: 'kafka publisher stopped on an error; the last checkpoint stands', error: error.message, checkpoint: this.saved?.toString() });
    this.options.onError?.(error);
  }
}
