import type { Scheduler } from 'fast-check';
import {
  type AppendResult,
  type EventStore,
  appendSequentially,
  type ProposedEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type SubscribeToAllOptions,
  type Subscription,
} from '@app/event-store';

/**
 * The real store with every call cut in two by fast-check's scheduler: when the call reaches the store,
 * and when its answer reaches the caller. The scheduler releases those points in an order the run's seed
 * chooses, so concurrent commands interleave differently on every run and the same seed replays one
 * interleaving. The store itself (the SQLite file, its revision checks, its transactions) is the real one.
 *
 * On a sequential store the appends of one `appendToStreams` are separate calls here too, each cut in
 * two, so other commands can run between the streams of one plan, as they can between EventStoreDB calls.
 */
export class ScheduledEventStore implements EventStore {
  readonly kind;
  readonly multiStreamAppend;

  constructor(
    private readonly inner: EventStore,
    private readonly scheduler: Scheduler,
    private readonly who: string,
  ) {
    this.kind = inner.kind;
    this.multiStreamAppend = inner.multiStreamAppend;
  }

  private async point<T>(what: string, value: T): Promise<T> {
    return this.scheduler.schedule(Promise.resolve(value), `${this.who}: ${what}`);
  }

  async appendToStream(streamName: string, events: ProposedEvent[], options: { expectedRevision: ExpectedRevisionOf }): Promise<AppendResult> {
    await this.point(`append ${streamName} @${String(options.expectedRevision)}`, undefined);
    const result = await this.inner.appendToStream(streamName, events, options).catch((error: unknown) => this.point(`refused ${streamName}`, undefined).then(() => Promise.reject(error)));
    return this.point(`appended ${streamName}`, result);
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (this.multiStreamAppend === 'atomic') {
      const streams = appends.map((append) => append.streamName).join(' + ');
      await this.point(`append ${streams}`, undefined);
      const results = await this.inner.appendToStreams(appends).catch((error: unknown) => this.point(`refused ${streams}`, undefined).then(() => Promise.reject(error)));
      return this.point(`appended ${streams}`, results);
    }
    return appendSequentially(appends, (append) => this.appendToStream(append.streamName, append.events, append));
  }

  async *readStream(streamName: string, options?: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
    await this.point(`read ${streamName}`, undefined);
    yield* this.inner.readStream(streamName, options);
  }

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  identity(): Promise<string> {
    return this.inner.identity();
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  /** The inner store is the test's to close. */
  async close(): Promise<void> {}
}

type ExpectedRevisionOf = Parameters<EventStore['appendToStream']>[2]['expectedRevision'];
