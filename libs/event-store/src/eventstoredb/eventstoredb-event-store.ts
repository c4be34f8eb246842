/*
 * The EventStoreDB adapter of the event store port. Everything that knows the client library lives in
 * this file, so moving to its successor (@kurrent/kurrentdb-client) changes this file only.
 */
import {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  Filter,
  NotLeaderError,
  Position,
  ResolvedEvent,
  START as FROM_START,
  StreamNotFoundError,
  StreamingRead,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
} from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import {
  ANY,
  AppendResult,
  CurrentRevision,
  Direction,
  EventMetadata,
  EventMetadataInput,
  EventStore,
  ExpectedRevision,
  IdempotencyMismatchError,
  JsonObject,
  NO_STREAM,
  ProposedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  STREAM_EXISTS,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
  SubscriptionFilter,
  WrongExpectedVersionError,
} from '../event-store.port';
import { canonicalJson } from '../canonical-json';
import { GENESIS_HASH, chainLinkOfCanonicalData, legacyTip } from '../hash-chain';
import { appendSequentially } from '../multi-stream-append';
import { assertValidAppend, toJsonText } from '../proposed-events';

/**
 * The stream whose first event records the store's identity (`identity()`): a stream of the port's own
 * names, as `$` names are reserved to the server. Its event type is not one of the domain's, so
 * projections, the Kafka publisher and the audit pass over it (docs/events.md).
 */
export const STORE_IDENTITY_STREAM = 'ledger-store-identity';
export const STORE_IDENTIFIED_EVENT_TYPE = 'EventStoreIdentified';

/** Largest valid log position; a server without a position for an event sends all ones instead. */
const MAX_POSITION = 2n ** 63n - 1n;

export interface EventStoreDbOptions {
  /**
   * How long one append attempt may take: passed to the client as the append's deadline, and the
   * adapter's own bound on waiting for the answer (plus 1 s for the server's Timeout answer), since the
   * client enforces none on BatchAppend. Default 10 s, the client's default deadline.
   */
  appendDeadlineMs?: number;
  /**
   * Retries after a transient failure (connection lost or refused, UNAVAILABLE, deadline or server
   * timeout, not-leader): an append is repeated as it was (same ids, same expected revision, so a stored
   * one is answered with its original result), a subscription resumes after the last event it received.
   * `attempts` retries, the first after `initialDelayMs`, doubling up to `maxDelayMs`; a subscription
   * counts attempts since its last event. Default 6, 100 ms, 2 s (about 5 s of waiting in all).
   */
  retry?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
}

type RetryPolicy = Required<NonNullable<EventStoreDbOptions['retry']>>;

/** An event of an append as sent: JSON copies of what was given, and its data's canonical form (hashed into the chain). */
type GivenEvent = { id: string; type: string; data: JsonObject; metadata: EventMetadataInput; canonicalData: string };

/** The adapter gave up waiting for an append's answer (see `appendDeadlineMs`): its outcome is unknown. */
export class EventStoreDbNoAnswerError extends Error {
  override readonly name = 'EventStoreDbNoAnswerError';
}

/**
 * Failures after which an append may or may not have been written, or a subscription's call is gone,
 * while the server itself may answer again: a connection dropped or refused (UNAVAILABLE), a deadline or
 * server timeout, a call cancelled by the server, a leader change. The client reconnects on the next call.
 */
function isTransient(error: unknown): boolean {
  return (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    error instanceof TimeoutError ||
    error instanceof CancelledError ||
    error instanceof NotLeaderError ||
    error instanceof EventStoreDbNoAnswerError
  );
}

function retryDelay(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.initialDelayMs * 2 ** failures, policy.maxDelayMs);
}

/** Resolves after `ms`, or as soon as `cut` does. */
function sleep(ms: number, cut: Promise<void> = new Promise(() => undefined)): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), cut]).finally(() => clearTimeout(timer));
}

/** The client's promise, or EventStoreDbNoAnswerError after `ms`. */
function answeredWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const noAnswer = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EventStoreDbNoAnswerError(`EventStoreDB did not answer an append within ${ms} ms`)), ms);
  });
  return Promise.race([promise, noAnswer]).finally(() => clearTimeout(timer));
}

/**
 * Our global position is the commit position. An event appended over gRPC is its own implicit
 * transaction, so its commit and prepare positions are both its log position and the pair is exact.
 */
function toClientPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

function toClientDirection(direction: Direction): typeof FORWARDS | typeof BACKWARDS {
  return direction === 'forwards' ? FORWARDS : BACKWARDS;
}

/** Exact event types become an anchored alternation; the server matches filters with .NET regexes. */
function toClientFilter(filter: SubscriptionFilter | undefined): Filter {
  if (!filter) return excludeSystemEvents();
  if ('streamNamePrefixes' in filter) return streamNameFilter({ prefixes: filter.streamNamePrefixes });
  const escaped = filter.eventTypes.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return eventTypeFilter({ regex: `^(${escaped.join('|')})$` });
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/**
 * Stream reads carry positions only on servers from 22.6 on; without them this adapter cannot keep
 * the port's promise, so it says so rather than invent one.
 */
function commitPositionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): bigint {
  const commit = resolved.commitPosition ?? resolved.event?.position?.commit;
  if (commit === undefined || commit > MAX_POSITION) {
    throw new Error(`EventStoreDB sent no position for event ${resolved.event?.id} (server older than 22.6?)`);
  }
  return commit;
}

/**
 * The port's view of a read event, or undefined for what no append through the port can have written:
 * system events (type or stream starting with `$`, links included) and events without JSON bodies.
 */
function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson || event.type.startsWith('$') || event.streamId.startsWith('$')) return undefined;
  if (!isJsonObject(event.data) || !isJsonObject(event.metadata)) return undefined;
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: event.revision,
    position: commitPositionOf(resolved),
    data: event.data as JsonObject,
    metadata: event.metadata as EventMetadata,
  };
}

/**
 * Iterates a client read. When the consumer stops at a yield the gRPC call is cancelled and the rest of
 * the read is drained, not destroyed: the client forgets a call only once it has seen it end, and a call
 * the server had already completed (a one-event read usually has) cannot be cancelled any more, so a
 * destroyed read left it buffered for ever, in the client's set of open calls, which `dispose()` then
 * waited on without end (a leak per append, and a `close()` that never returned; found with the stand-in).
 */
async function* consume<T>(read: StreamingRead<T>): AsyncGenerator<T> {
  let consumerStopped = false;
  try {
    for await (const item of read.iterator({ destroyOnReturn: false }) as AsyncIterable<T>) {
      consumerStopped = true;
      yield item;
      consumerStopped = false;
    }
  } finally {
    if (consumerStopped) {
      read.on('error', () => undefined);
      await read.cancel();
      read.resume();
    }
  }
}

/**
 * A subscription that outlives its gRPC call: when the call fails transiently (connection cut, node
 * restarting, UNAVAILABLE) or ends though nobody closed it, a new one starts after the position of the
 * last event received, so delivery goes on without a gap or a duplicate (positions are exact in
 * EventStoreDB). It gives up after `retry.attempts` failures in a row without an event in between.
 */
class EventStoreDbSubscription implements Subscription {
  private source: AllStreamSubscription;
  private closing?: Promise<void>;
  private closed!: () => void;
  private readonly closedSignal = new Promise<void>((resolve) => (this.closed = resolve));
  private lastPosition: bigint | undefined;
  private events?: AsyncGenerator<RecordedEvent>;

  constructor(
    private readonly open: (from: typeof START | bigint) => AllStreamSubscription,
    private readonly from: typeof START | bigint,
    private readonly retry: RetryPolicy,
  ) {
    this.source = open(from);
  }

  /**
   * One loop over the client's stream however often iteration starts (a `take` helper called twice, say).
   * A second loop would be a second reader of the same stream, blind to a failure the first had seen: it
   * waited for ever instead of resuming or failing.
   */
  [Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    this.events ??= this.deliver();
    return this.events;
  }

  private async *deliver(): AsyncGenerator<RecordedEvent> {
    let failures = 0;
    try {
      for (;;) {
        try {
          for await (const resolved of this.source) {
            failures = 0;
            this.lastPosition = resolved.commitPosition ?? resolved.event?.position?.commit ?? this.lastPosition;
            const event = toRecordedEvent(resolved);
            if (event) yield event;
          }
          if (this.closing) return;
          throw new UnavailableError(undefined, 'EventStoreDB ended the subscription');
        } catch (error) {
          // close() destroys the source under a waiting loop, which surfaces as a premature close: an end.
          if (this.closing) return;
          if (!isTransient(error) || failures >= this.retry.attempts) throw error;
          await sleep(retryDelay(this.retry, failures), this.closedSignal);
          failures += 1;
          if (this.closing) return;
          this.source.destroy();
          this.source = this.open(this.lastPosition ?? this.from);
        }
      }
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    this.closed();
    const source = this.source;
    this.closing ??= source
      .unsubscribe()
      // A subscription whose call never started has nothing to cancel.
      .catch(() => undefined)
      // Cancelling the call does not end the client's Node stream; destroying it releases a waiting loop.
      .then(() => void source.destroy());
    return this.closing;
  }
}

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  /** EventStoreDB 6.x has no transaction across streams (its gRPC append takes one stream). */
  readonly multiStreamAppend = 'sequential' as const;

  private readonly appendDeadlineMs: number;
  private readonly retry: RetryPolicy;
  /** The identity once known (or being found out): asked for once per adapter; a failure is not kept. */
  private knownIdentity: Promise<string> | undefined;

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbOptions,
  ) {
    this.appendDeadlineMs = options.appendDeadlineMs ?? 10_000;
    this.retry = { attempts: 6, initialDelayMs: 100, maxDelayMs: 2_000, ...options.retry };
  }

  /** Connects lazily, on the first call; `ping()` proves the server answers. */
  static connect(connectionString: string, options: EventStoreDbOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  /**
   * A transient failure (see `isTransient`) leaves the outcome unknown: the events may be stored with the
   * answer lost. The whole append is then repeated, the same ids at the same expected revision, which
   * EventStoreDB answers with the original result if it stored them (idempotent re-append) and writes
   * otherwise; the chain link is read again, so a repeat that does write links to the stream as it is.
   * After `retry.attempts` the last failure is thrown: the outcome is still unknown, and the caller's
   * repeat of the same call is answered the same way.
   */
  async appendToStream(
    streamName: string,
    events: ProposedEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const expectedRevision = options?.expectedRevision;
    assertValidAppend(streamName, events, expectedRevision);
    // JSON copies made before the first await: what is hashed and what is sent are the events as given.
    const given = events.map((event, index): GivenEvent => {
      const data = JSON.parse(toJsonText(event.data, `event ${index} data`)) as JsonObject;
      const metadata = JSON.parse(toJsonText(event.metadata, `event ${index} metadata`)) as EventMetadataInput;
      return { id: event.id, type: event.type, data, metadata, canonicalData: canonicalJson(data) };
    });
    for (let failures = 0; ; failures += 1) {
      try {
        return await this.appendOnce(streamName, events, expectedRevision, given);
      } catch (error) {
        if (!isTransient(error) || failures >= this.retry.attempts) throw error;
        await sleep(retryDelay(this.retry, failures));
      }
    }
  }

  private async appendOnce(
    streamName: string,
    events: ProposedEvent[],
    expectedRevision: ExpectedRevision,
    given: GivenEvent[],
  ): Promise<AppendResult> {
    const previous = await this.chainHead(streamName, expectedRevision);
    const recordedAt = new Date().toISOString();
    let prev = previous.hash;
    const proposed = given.map((event, index) => {
      const metadata = { ...event.metadata, recordedAt };
      const content = { streamName, revision: previous.nextRevision + BigInt(index), id: event.id, type: event.type, metadata };
      const chain = chainLinkOfCanonicalData(prev, content, event.canonicalData);
      prev = chain.hash;
      return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: { ...metadata, chain } });
    });

    // The port's expected-revision values are the client's own literals.
    const result = await answeredWithin(
      this.client.appendToStream(streamName, proposed, { expectedRevision, deadline: this.appendDeadlineMs }),
      this.appendDeadlineMs + 1_000,
    ).catch((error: unknown) => {
      throw error instanceof ClientWrongExpectedVersionError
        ? this.conflict(streamName, events, expectedRevision, error.actualVersion)
        : error;
    });

    // A retry of a stored append succeeds without writing. Recent servers then report the stored last
    // event's log position, which is its commit position; older ones report none, so read it back.
    const position = result.position
      ? result.position.commit
      : await this.positionAt(streamName, result.nextExpectedRevision);
    return { nextExpectedRevision: result.nextExpectedRevision, position };
  }

  /** Every append checked first, then one `appendToStream` after the other; see the port. */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    return appendSequentially(appends, ({ streamName, events, expectedRevision }) =>
      this.appendToStream(streamName, events, { expectedRevision }),
    );
  }

  /**
   * The event the new ones link to: the one at the expected revision, or the stream's last for ANY and
   * STREAM_EXISTS. Read before the append, not inside it (EventStoreDB has no such transaction), so
   * concurrent ANY appends can both link to the same event: the chain forks and the audit reports it.
   * With an exact revision or NO_STREAM a concurrent append fails the revision check instead.
   */
  private async chainHead(streamName: string, expected: ExpectedRevision): Promise<{ hash: string; nextRevision: bigint }> {
    if (expected === NO_STREAM) return { hash: GENESIS_HASH, nextRevision: 0n };
    const options: ReadStreamOptions = typeof expected === 'bigint' ? { fromRevision: expected, maxCount: 1 } : { direction: 'backwards', maxCount: 1 };
    for await (const event of this.readStream(streamName, options)) {
      const link = event.metadata.chain as { hash?: unknown } | undefined;
      const hash = typeof link?.hash === 'string' ? link.hash : legacyTip(await this.collectStream(streamName, event.revision));
      return { hash, nextRevision: event.revision + 1n };
    }
    // No such event: a new stream under ANY; otherwise the server refuses the expected revision.
    return { hash: GENESIS_HASH, nextRevision: 0n };
  }

  private async collectStream(streamName: string, upTo: bigint): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of this.readStream(streamName, { maxCount: Number(upTo) + 1 })) events.push(event);
    return events;
  }

  /**
   * EventStoreDB also answers "wrong expected version" when an append repeats only part of a stored one
   * (corrupted idempotency). With a revision or NO_STREAM the port calls that a conflict too. With ANY,
   * or STREAM_EXISTS on an existing stream, nothing else can cause it: the ids clash with stored ones.
   * The client reports a missing stream as `no_stream` or, defensively here, as a negative revision.
   */
  private conflict(
    streamName: string,
    events: ProposedEvent[],
    expected: ExpectedRevision,
    actualVersion: CurrentRevision,
  ): Error {
    const actual = typeof actualVersion === 'bigint' && actualVersion >= 0n ? actualVersion : NO_STREAM;
    if (expected === ANY || (expected === STREAM_EXISTS && actual !== NO_STREAM)) {
      return new IdempotencyMismatchError(streamName, events.map((event) => event.id));
    }
    return new WrongExpectedVersionError(streamName, expected, actual);
  }

  private async positionAt(streamName: string, revision: bigint): Promise<bigint> {
    for await (const event of this.readStream(streamName, { fromRevision: revision, maxCount: 1 })) {
      if (event.revision === revision) return event.position;
    }
    throw new Error(`stream ${streamName}: revision ${revision} reported as appended but not found`);
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncGenerator<RecordedEvent> {
    const { direction = 'forwards', fromRevision, maxCount } = options;
    if (maxCount !== undefined && maxCount <= 0) return;
    const read = this.client.readStream(streamName, {
      direction: toClientDirection(direction),
      fromRevision: fromRevision ?? (direction === 'forwards' ? FROM_START : END),
      ...(maxCount === undefined ? {} : { maxCount }),
    });
    try {
      for await (const resolved of consume(read)) {
        const event = toRecordedEvent(resolved);
        if (event) yield event;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    const { direction = 'forwards', fromPosition } = options;
    // Counted here, not by the server, whose count includes the system events skipped below.
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    for await (const resolved of this.readAllResolved(direction, fromPosition)) {
      const event = toRecordedEvent(resolved);
      if (!event) continue;
      yield event;
      remaining -= 1;
      if (remaining <= 0) return;
    }
  }

  private async *readAllResolved(
    direction: Direction,
    fromPosition: bigint | undefined,
  ): AsyncGenerator<AllStreamResolvedEvent> {
    if (fromPosition === undefined) {
      yield* consume(
        this.client.readAll({
          direction: toClientDirection(direction),
          fromPosition: direction === 'forwards' ? FROM_START : END,
        }),
      );
      return;
    }
    if (direction === 'backwards') {
      // EventStoreDB reads backwards from strictly before a position; the port includes the event at it.
      const atPosition = this.client.readAll({
        direction: FORWARDS,
        fromPosition: toClientPosition(fromPosition),
        maxCount: 1,
      });
      for await (const resolved of consume(atPosition)) {
        if (commitPositionOf(resolved) === fromPosition) yield resolved;
      }
    }
    yield* consume(
      this.client.readAll({ direction: toClientDirection(direction), fromPosition: toClientPosition(fromPosition) }),
    );
  }

  /**
   * EventStoreDB starts a subscription after the given position, which is the port's checkpoint rule,
   * and the rule by which a dropped subscription resumes after the last event it received.
   */
  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const open = (from: typeof START | bigint) =>
      this.client.subscribeToAll({
        fromPosition: from === START ? FROM_START : toClientPosition(from),
        filter: toClientFilter(options.filter),
      });
    return new EventStoreDbSubscription(open, options.fromPosition ?? START, this.retry);
  }

  /**
   * The data of the first event of STORE_IDENTITY_STREAM. A store without one gets it now: an
   * EventStoreIdentified event appended with NO_STREAM, so of two processes racing to record it, one
   * wins and the other reads the winner's. Kept for the adapter's life.
   */
  identity(): Promise<string> {
    this.knownIdentity ??= this.readOrRecordIdentity().catch((error: unknown) => {
      this.knownIdentity = undefined;
      throw error;
    });
    return this.knownIdentity;
  }

  private async readOrRecordIdentity(): Promise<string> {
    const recorded = await this.recordedIdentity();
    if (recorded !== undefined) return recorded;
    const identity = randomUUID();
    const eventId = randomUUID();
    const event: ProposedEvent = {
      id: eventId,
      type: STORE_IDENTIFIED_EVENT_TYPE,
      data: { identity },
      metadata: { correlationId: eventId, causationId: eventId, actor: 'system:event-store' },
    };
    try {
      await this.appendToStream(STORE_IDENTITY_STREAM, [event], { expectedRevision: NO_STREAM });
      return identity;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      // Another process recorded one first: that one is the store's.
      const winner = await this.recordedIdentity();
      if (winner === undefined) throw error;
      return winner;
    }
  }

  private async recordedIdentity(): Promise<string | undefined> {
    for await (const event of this.readStream(STORE_IDENTITY_STREAM, { maxCount: 1 })) {
      const identity = event.data.identity;
      if (event.type !== STORE_IDENTIFIED_EVENT_TYPE || typeof identity !== 'string' || identity === '') {
        throw new Error(`stream ${STORE_IDENTITY_STREAM} does not start with an ${STORE_IDENTIFIED_EVENT_TYPE} event naming an identity`);
      }
      return identity;
    }
    return undefined;
  }

  async ping(): Promise<void> {
    await this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }).toArray();
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
