import { type DomainEvent, type Plan, type StreamWrite, conflict } from '@app/domain';
import {
  type AppendResult,
  type CurrentRevision,
  type EventStore,
  IdempotencyMismatchError,
  NO_STREAM,
  type ProposedEvent,
  type StreamAppend,
  WrongExpectedVersionError,
} from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { type CommandContext, proposedEvent } from './command-context';
import { IdempotencyLog, type IdempotencyRequest, type IdempotencyState, type ResponseRecord } from './idempotency';
import { RejectionError } from './rejection-error';
import { type Fold, type StreamState, StreamStates } from './stream-states';
import { StreamQueues } from './stream-queues';

/** Enough for any honest contention on one stream; beyond it the caller retries later. */
const MAX_ATTEMPTS = 10;

export interface ReadOptions {
  /**
   * Read what was appended since the remembered state: for a fact the command only reads (who declared
   * an account). Without it a remembered state is used as it is, which is right for a stream the command
   * writes: the append's expected revision proves it current.
   */
  fresh?: boolean;
  /**
   * A stream never seen is taken as empty without reading it: for a stream the command usually creates
   * (a new bank reference's anchor, a new Idempotency-Key), whose NO_STREAM append proves it new.
   */
  expectNew?: boolean;
}

/** How a command's decision reads streams: every read is remembered with its revision for the append. */
export interface StreamReader {
  read<S>(stream: string, fold: Fold<S>, options?: ReadOptions): Promise<S>;
}

export interface KernelCommand<A> {
  /** The command's name, in logs. */
  readonly name: string;
  readonly context: CommandContext;
  /** Streams the command expects to write: commands on any of them queue behind each other in this process. */
  readonly streams: readonly string[];
  /** Reads what the decision needs and decides it with one pure domain function; called again after a lost race. */
  decide(reader: StreamReader): Promise<Plan<A>>;
  /** The caller's Idempotency-Key, already scoped and hashed, and the request's fingerprint. */
  readonly idempotency?: IdempotencyRequest | undefined;
}

export interface KernelAnswer<A> {
  readonly answer: A;
  /** The command recorded something (HTTP 201); false when it was already done (200). */
  readonly created: boolean;
  /** The answer is an Idempotency-Key's first answer again: nothing ran now. */
  readonly replayed: boolean;
}

/** What the kernel reports; the service measures and logs with it. */
export interface KernelObserver {
  timeAppend<T>(writer: 'aggregate' | 'idempotency', append: () => Promise<T>): Promise<T>;
  /** A command's plan was appended: each stream with its event types and the position of its last event. */
  appended?(command: string, appends: ReadonlyArray<{ stream: string; types: string[]; position: bigint }>): void;
  /** A command lost an expected-revision race and is decided again. */
  lostRace?(command: string, lostRaces: number): void;
}

export interface KernelOptions {
  /** The version of each event type's data shape (docs/events.md), stamped in its metadata. */
  schemaVersionOf: (type: string) => number;
  observer?: KernelObserver;
  /** Streams whose state is remembered; default 10,000. */
  rememberedStreams?: number;
  /** The id of each event appended; a seam for a ledger written twice alike (the audit's example). Default: random UUIDs. */
  eventId?: () => string;
}

interface Read {
  readonly fold: Fold<unknown>;
  readonly state: unknown;
  readonly revision: CurrentRevision;
  /** Read from the store now, rather than recalled or assumed empty. */
  readonly fresh: boolean;
}

/** One attempt's reads. After a lost race, `allFresh` makes every read go to the store. */
class ReadSession implements StreamReader {
  readonly reads = new Map<string, Read>();

  constructor(
    private readonly kernel: CommandKernel,
    private readonly allFresh: boolean,
  ) {}

  async read<S>(stream: string, fold: Fold<S>, options: ReadOptions = {}): Promise<S> {
    const known = this.reads.get(stream);
    if (known) {
      if (known.fold !== fold) throw new Error(`stream ${stream} read with two folds in one command`);
      return known.state as S;
    }
    const read = await this.kernel.stateOf(stream, fold, this.allFresh ? { fresh: true } : options);
    this.reads.set(stream, { fold: fold as Fold<unknown>, ...read });
    return read.state;
  }
}

/**
 * Runs commands against the event store: read, decide with one pure function, append what it decided to
 * every stream at once with the expected revision of each as it was read, and on a lost race read again
 * and decide again. Knows nothing of HTTP or Nest.
 *
 * - A decision may rest on remembered states only for streams it writes (the append checks them); any
 *   other remembered or assumed state it read is read fresh and the command decided again, and so is a
 *   refusal or a no-op, which writes nothing.
 * - An atomic store commits a command's appends in one transaction. A sequential store (EventStoreDB)
 *   writes them one by one in the plan's order; the domain's decisions are resumable, so after a
 *   partial write the next decision — this command's next attempt, or any later command on the same
 *   streams — finishes the work as it began.
 * - With an Idempotency-Key the first answer is recorded with the command's events (idempotency.ts).
 */
export class CommandKernel {
  private readonly states: StreamStates;
  private readonly queues = new StreamQueues();
  private readonly idempotency: IdempotencyLog;
  private readonly eventId: () => string;

  constructor(
    private readonly store: EventStore,
    private readonly options: KernelOptions,
  ) {
    this.states = new StreamStates(options.rememberedStreams ?? 10_000);
    this.eventId = options.eventId ?? randomUUID;
    this.idempotency = new IdempotencyLog(this.eventId);
  }

  /** A stream's current state, read from the store (caught up from what is remembered). */
  async read<S>(stream: string, fold: Fold<S>): Promise<S> {
    return (await this.stateOf(stream, fold, { fresh: true })).state;
  }

  async run<A>(command: KernelCommand<A>): Promise<KernelAnswer<A>> {
    const streams = command.idempotency ? [...command.streams, this.idempotency.streamOf(command.idempotency)] : command.streams;
    return this.queues.run(streams, () => this.attempt(command));
  }

  /** @internal The session's read: remembered, assumed empty, or caught up from the store. */
  async stateOf<S>(stream: string, fold: Fold<S>, options: ReadOptions): Promise<StreamState<S> & { fresh: boolean }> {
    const remembered = this.states.recall(stream, fold);
    if (remembered && !options.fresh) return { ...remembered, fresh: false };
    if (!remembered && options.expectNew && !options.fresh) return { state: fold.initialState, revision: NO_STREAM, fresh: false };
    let { state, revision } = remembered ?? { state: fold.initialState, revision: NO_STREAM as CurrentRevision };
    const fromRevision = typeof revision === 'bigint' ? revision + 1n : 0n;
    for await (const recorded of this.store.readStream(stream, { fromRevision })) {
      state = fold.evolve(state, recorded);
      revision = recorded.revision;
    }
    this.states.remember(stream, fold, { state, revision });
    return { state, revision, fresh: true };
  }

  private async attempt<A>(command: KernelCommand<A>): Promise<KernelAnswer<A>> {
    const key = command.idempotency;
    const keyStream = key ? this.idempotency.streamOf(key) : undefined;
    /** Claims this request made under its key (sequential stores): finishing one is running, not replaying. */
    const ownClaims = new Set<string>();
    let allFresh = false;
    for (let lostRaces = 0; ; ) {
      const session = new ReadSession(this, allFresh);
      let keyState: IdempotencyState | undefined;
      if (key) {
        keyState = await session.read(keyStream!, this.idempotency.fold, { expectNew: true });
        const earlier = this.idempotency.earlierAnswer<A>(keyState, key, ownClaims);
        if (earlier) return earlier;
        if (this.idempotency.pendingPlan(keyState)) {
          const finished = await this.finishClaim<A>(key, keyState, command.context);
          if (finished) return { ...finished, replayed: !ownClaims.has(keyState.claim!.claimId) };
          allFresh = true;
          continue;
        }
      }

      const plan = await command.decide(session);
      const writes = plan.writes.filter((write) => write.events.length > 0);
      const record = key && 'answer' in plan ? { key, answer: plan.answer, created: writes.length > 0 } : undefined;
      // The key's stream is checked by the append that records the answer; a refusal records nothing.
      const written = new Set([...writes.map((write) => write.stream), ...(record ? [keyStream] : [])]);
      const unchecked = [...session.reads].some(([stream, read]) => !read.fresh && !written.has(stream));
      if (unchecked && !allFresh) {
        // The decision rests on a state no append of it checks: read everything fresh and decide again.
        allFresh = true;
        continue;
      }

      try {
        if (writes.length > 0 || record) await this.append(command, session, writes, record && { record, state: keyState!, ownClaims });
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError || error instanceof IdempotencyMismatchError)) throw error;
        lostRaces += 1;
        this.options.observer?.lostRace?.(command.name, lostRaces);
        if (lostRaces === MAX_ATTEMPTS) {
          throw new RejectionError(conflict('CONCURRENT_MODIFICATION', `the record changed under each of ${MAX_ATTEMPTS} attempts; retry the request`));
        }
        allFresh = true;
        continue;
      }
      if ('decideAgain' in plan) continue;
      if ('rejection' in plan) throw new RejectionError(plan.rejection);
      return { answer: plan.answer, created: writes.length > 0, replayed: false };
    }
  }

  /**
   * Appends a plan's writes with the expected revision of each stream as the session read it (a stream
   * written twice: its second write follows its first). An atomic store gets one call with each stream
   * once; a sequential one the writes in plan order, after the Idempotency-Key's claim when there is one.
   */
  private async append<A>(
    command: KernelCommand<A>,
    session: ReadSession,
    writes: readonly StreamWrite[],
    key: { record: ResponseRecord; state: IdempotencyState; ownClaims: Set<string> } | undefined,
  ): Promise<void> {
    const atomic = this.store.multiStreamAppend === 'atomic';
    const next = new Map<string, CurrentRevision>();
    const appends: StreamAppend[] = (atomic ? mergeByStream(writes) : writes).map((write) => {
      const read = session.reads.get(write.stream);
      if (!read) throw new Error(`command ${command.name} writes stream ${write.stream}, which it did not read`);
      const expectedRevision = next.get(write.stream) ?? read.revision;
      next.set(write.stream, advance(expectedRevision, write.events.length));
      return { streamName: write.stream, events: this.proposed(write.events, command.context), expectedRevision };
    });
    let all = appends;
    if (key) {
      const around = this.idempotency.appendsFor(key.record, key.state, atomic ? [] : appends, command.context);
      if (around.claimId) key.ownClaims.add(around.claimId);
      all = [...around.before, ...appends, ...around.after];
    }
    const writer = appends.length > 0 ? 'aggregate' : 'idempotency';
    const [only, ...more] = all;
    const results = await this.observe(writer, () =>
      only !== undefined && more.length === 0 ? this.store.appendToStream(only.streamName, only.events, only).then((result) => [result]) : this.store.appendToStreams(all),
    );
    this.rememberAfter(session, all, results);
    this.options.observer?.appended?.(
      command.name,
      // One result per append, in order: the port's contract.
      all.map((append, index) => ({ stream: append.streamName, types: append.events.map((event) => event.type), position: results[index]!.position })),
    );
  }

  /**
   * Appends again the plan a request under the same key claimed and did not answer, then records its
   * answer; undefined when a stream moved on without the plan's events (it never ran and never can), after
   * releasing the key so the command is decided again.
   */
  private async finishClaim<A>(key: IdempotencyRequest, keyState: IdempotencyState, context: CommandContext): Promise<{ answer: A; created: boolean } | undefined> {
    const { appends, release, record } = this.idempotency.finishing(key, keyState, context);
    let next = record;
    try {
      await this.observe('aggregate', () => this.store.appendToStreams(appends));
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError || error instanceof IdempotencyMismatchError)) throw error;
      next = release;
    }
    await this.observe('idempotency', () => this.store.appendToStream(next.streamName, next.events, next)).catch((raced: unknown) => {
      // Another request under the key recorded or released first; the next attempt reads which.
      if (!(raced instanceof WrongExpectedVersionError)) throw raced;
    });
    return next === record ? this.idempotency.recordedAnswer<A>(keyState) : undefined;
  }

  private proposed(events: readonly DomainEvent[], context: CommandContext): ProposedEvent[] {
    return events.map((event) => proposedEvent(this.eventId(), event, context, this.options.schemaVersionOf(event.type)));
  }

  /** The states after a successful append: each written stream's read state evolved by what was appended. */
  private rememberAfter(session: ReadSession, appends: readonly StreamAppend[], results: readonly AppendResult[]): void {
    const after = new Map<string, { fold: Fold<unknown>; state: unknown; revision: CurrentRevision }>();
    appends.forEach((append, index) => {
      const read = after.get(append.streamName) ?? session.reads.get(append.streamName);
      if (!read) return;
      const state = append.events.reduce((folded, event) => read.fold.evolve(folded, event), read.state);
      after.set(append.streamName, { fold: read.fold, state, revision: results[index]!.nextExpectedRevision }); // one result per append
    });
    for (const [stream, known] of after) this.states.remember(stream, known.fold, known);
  }

  private observe<T>(writer: 'aggregate' | 'idempotency', append: () => Promise<T>): Promise<T> {
    return this.options.observer ? this.options.observer.timeAppend(writer, append) : append();
  }
}

/** The writes of each stream as one, in the order streams first appear: an atomic store needs no order between them. */
function mergeByStream(writes: readonly StreamWrite[]): StreamWrite[] {
  const merged = new Map<string, DomainEvent[]>();
  for (const write of writes) merged.set(write.stream, [...(merged.get(write.stream) ?? []), ...write.events]);
  return [...merged].map(([stream, events]) => ({ stream, events }));
}

/** The revision a stream is at after `count` more events. */
function advance(revision: CurrentRevision | bigint, count: number): bigint {
  return (typeof revision === 'bigint' ? revision : -1n) + BigInt(count);
}
