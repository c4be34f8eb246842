/**
 * The event store port. Its semantics are EventStoreDB's, so the embedded SQLite adapter and the
 * EventStoreDB adapter are interchangeable behind it and one contract suite checks both.
 *
 * Revisions and positions are bigints, as in EventStoreDB: a stream's first event has revision 0n;
 * a global position orders every event of the store and only grows.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What a writer says about why an event exists. The store adds `recordedAt` and `chain` on append. */
export interface EventMetadataInput {
  /** Ties together everything one outside request caused. */
  correlationId: string;
  /** The id of the command or event that directly caused this one. */
  causationId: string;
  /** Who asked: a role and subject such as `esb:BANK1` or `system:scheduler`. */
  actor: string;
  [extra: string]: JsonValue;
}

/** The tamper-evidence link of a stored event to the previous event of its stream (`hash-chain.ts`). */
export type ChainLink = {
  /** Hex SHA-256 of the previous event of the stream; 64 zeros at revision 0. */
  prev: string;
  /** Hex SHA-256 of `prev`, a newline and this event's canonical content. */
  hash: string;
};

/**
 * Stored metadata. Besides `recordedAt` the store sets `chain` (a `ChainLink`) on every append; it is
 * left to the index signature because it is absent on events written before the chain existed, and
 * whoever checks it must treat it as untrusted input anyway (`hash-chain.ts` does).
 */
export interface EventMetadata extends EventMetadataInput {
  /** ISO-8601 instant at which the store accepted the append. Same for every event of one append. */
  recordedAt: string;
}

export interface ProposedEvent {
  /** A UUID chosen by the writer; re-appending the same ids is how a retry stays idempotent. */
  id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadataInput;
}

export interface RecordedEvent {
  id: string;
  type: string;
  streamName: string;
  revision: bigint;
  position: bigint;
  data: JsonObject;
  metadata: EventMetadata;
}

export const NO_STREAM = 'no_stream' as const;
export const ANY = 'any' as const;
export const STREAM_EXISTS = 'stream_exists' as const;

/** The condition an append checks against the stream before writing anything. */
export type ExpectedRevision = typeof NO_STREAM | typeof ANY | typeof STREAM_EXISTS | bigint;

/** What a stream currently is, as reported in a conflict. */
export type CurrentRevision = typeof NO_STREAM | bigint;

export interface AppendResult {
  /** Revision of the last event appended; pass it as the expected revision of the next append. */
  nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  position: bigint;
}

/** One append of an `appendToStreams` call: what `appendToStream` takes, as one value. */
export interface StreamAppend {
  streamName: string;
  events: ProposedEvent[];
  expectedRevision: ExpectedRevision;
}

/** How `appendToStreams` commits: all appends in one transaction, or one after the other. */
export type MultiStreamAppend = 'atomic' | 'sequential';

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  direction?: Direction;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromPosition?: bigint;
  direction?: Direction;
  maxCount?: number;
}

/** Either filter narrows a subscription; prefixes and types are each matched by any one entry. */
export type SubscriptionFilter = { streamNamePrefixes: string[] } | { eventTypes: string[] };

export const START = 'start' as const;

export interface SubscribeToAllOptions {
  /** `start`, or the position of the last event already handled (a checkpoint): delivery resumes after it. */
  fromPosition?: typeof START | bigint;
  filter?: SubscriptionFilter;
}

/**
 * A catch-up subscription: history first, then live events, all in global order. Iterate it with
 * `for await`; leaving the loop or calling `close()` ends it.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export type StoreKind = 'sqlite' | 'eventstoredb';

export interface EventStore {
  readonly kind: StoreKind;

  /**
   * How this store commits `appendToStreams`: 'atomic' commits every append of the call in one
   * transaction or none; 'sequential' (EventStoreDB 6.x has no multi-stream transaction) appends them
   * in the order given, each committed on its own, and stops at the first refusal: the appends
   * before it stay written.
   */
  readonly multiStreamAppend: MultiStreamAppend;

  /** Appends all events or none, if the stream satisfies `expectedRevision`. */
  appendToStream(
    streamName: string,
    events: ProposedEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;

  /**
   * Appends to several streams, in the order given; the same stream may appear more than once, its
   * later appends' expected revisions following its earlier ones. Each append is checked and
   * de-duplicated exactly as `appendToStream` checks it (a whole earlier append repeated with the same
   * event ids is answered with its original result). Resolves with one result per append, in order.
   * Rejects with the error of the first append refused (WrongExpectedVersionError,
   * IdempotencyMismatchError), with `appendIndex` set on it: its index in `appends`; nothing of the
   * call is written on an atomic store, the appends before `appendIndex` are on a sequential one.
   * Invalid input (InvalidAppendError: an empty list, more than 4,096 appends, any append invalid) is
   * refused before anything is written, on both kinds.
   */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]>;

  /** A stream that does not exist reads as empty. */
  readStream(streamName: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;

  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  subscribeToAll(options?: SubscribeToAllOptions): Subscription;

  /**
   * The store's identity: a random UUID recorded when the store was created, the same for every
   * process and connection on the store, across restarts, and kept by a copy or backup of it; two
   * stores created apart have different ones. Whatever is derived from the store (the read-model file)
   * records it, to tell its own store from another. SQLite keeps it in the file (`store_meta`);
   * EventStoreDB in the first event of the stream `ledger-store-identity` (`EventStoreIdentified`),
   * appended by the first call that finds none. Rejects when the store cannot say (a read-only SQLite
   * file from before identities, a server that does not answer).
   */
  identity(): Promise<string>;

  /** Resolves when the store answers; rejects with the reason otherwise. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  /** Set by `appendToStreams`: the index of the refused append in its `appends`; absent otherwise. */
  declare appendIndex?: number;
  constructor(
    readonly streamName: string,
    readonly expected: ExpectedRevision,
    readonly actual: CurrentRevision,
  ) {
    super(`stream ${streamName}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** Some but not all of an append's event ids are already in the stream: neither a retry nor new work. */
export class IdempotencyMismatchError extends Error {
  override readonly name = 'IdempotencyMismatchError';
  /** Set by `appendToStreams`: the index of the refused append in its `appends`; absent otherwise. */
  declare appendIndex?: number;
  constructor(
    readonly streamName: string,
    readonly eventIds: string[],
  ) {
    super(`stream ${streamName}: append repeats only part of an earlier append (${eventIds.join(', ')})`);
  }
}

export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}
