import { Inject, Injectable, Logger } from '@nestjs/common';
import { conflict, Decider, DomainEvent, isRejection } from '@app/domain';
import {
  CurrentRevision,
  EventStore,
  JsonObject,
  NO_STREAM,
  ProposedEvent,
  WrongExpectedVersionError,
} from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE } from '../event-store/event-store.token';
import { LedgerMetrics } from '../metrics/ledger-metrics';
import { CommandContext, eventMetadata } from './command-context';
import { RejectionError } from './rejection-error';

/** Enough for any honest contention on one stream; beyond it the caller retries later. */
const MAX_ATTEMPTS = 10;

/** Streams whose state is remembered (least recently used first out); a busy lot's state is the one that matters. */
const MAX_REMEMBERED_STREAMS = 10_000;

interface RememberedState {
  readonly decider: Decider<never, never, unknown>;
  readonly state: unknown;
  readonly revision: CurrentRevision;
  readonly position: bigint | undefined;
}

export interface LoadedAggregate<S> {
  state: S;
  /** Revision of the stream's last event: the expected revision of the next append. */
  revision: CurrentRevision;
  /** Global position of the stream's last event; undefined while the stream is empty. */
  position: bigint | undefined;
}

export interface ExecutionResult<E, S> extends LoadedAggregate<S> {
  /** The events decided and appended; empty when the command changed nothing. */
  events: readonly E[];
}

export interface ExecuteOptions<E> {
  /**
   * Deterministic event ids (e.g. derived from a bank reference) make a repeated append a no-op in
   * the store; by default every attempt gets fresh random ids.
   */
  eventId?: (event: E, index: number) => string;
}

/**
 * Runs commands against event-sourced aggregates: read the stream, decide, append with optimistic
 * concurrency. Commands on one stream run one after the other inside this process, so concurrent
 * requests for a busy stream (a lot receiving many credits, the virtual-account registry) queue
 * instead of failing each other's expected revision; the retry is left for writers in other processes.
 * So a buildCommand must never execute on its own stream: it would wait for itself.
 *
 * States are remembered per stream (empty streams too), so a load reads only the events appended since
 * (by anyone: another replica's appends are read, never assumed absent) instead of replaying a busy lot
 * from its first event on every credit, and a command appends without reading at all when its expected
 * revision proves the remembered state current. Deciders' states are immutable values, so sharing one is safe.
 */
@Injectable()
export class AggregateRepository {
  private readonly logger = new Logger(AggregateRepository.name);
  private readonly streamQueues = new Map<string, Promise<unknown>>();
  private readonly remembered = new Map<string, RememberedState>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: LedgerMetrics,
  ) {}

  async load<C, E extends DomainEvent, S>(stream: string, decider: Decider<C, E, S>): Promise<LoadedAggregate<S>> {
    const start = this.recall(stream, decider);
    let { state, revision, position } = start ?? { state: decider.initialState, revision: NO_STREAM as CurrentRevision, position: undefined };
    const fromRevision = typeof revision === 'bigint' ? revision + 1n : 0n;
    for await (const recorded of this.store.readStream(stream, { fromRevision })) {
      // The stream holds only this decider's events, so its type and data are one of E.
      state = decider.evolve(state, { type: recorded.type, data: recorded.data } as unknown as E);
      revision = recorded.revision;
      position = recorded.position;
    }
    const loaded = { state, revision, position };
    this.remember(stream, decider, loaded);
    return loaded;
  }

  /** The state last seen of the stream, possibly behind another writer's appends; undefined when not remembered. */
  private recall<C, E, S>(stream: string, decider: Decider<C, E, S>): LoadedAggregate<S> | undefined {
    const known = this.remembered.get(stream);
    return known?.decider === decider ? (known as RememberedState & { state: S }) : undefined;
  }

  private remember<C, E, S>(stream: string, decider: Decider<C, E, S>, loaded: LoadedAggregate<S>): void {
    const known = this.recall(stream, decider);
    // Two loads may finish out of order; keep the later revision.
    if (known !== undefined && isLater(known.revision, loaded.revision)) return;
    this.remembered.delete(stream);
    this.remembered.set(stream, { decider: decider as unknown as RememberedState['decider'], ...loaded });
    if (this.remembered.size > MAX_REMEMBERED_STREAMS) this.remembered.delete(this.remembered.keys().next().value!);
  }

  /**
   * Decides `buildCommand(state)` on the stream's current state and appends the outcome. The command is
   * built after each read, so facts resolved from the state are fresh on every attempt; an append that
   * lost a race is retried from the read. Throws RejectionError when the decider (or buildCommand) refuses.
   */
  execute<C, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    buildCommand: (state: S) => C | Promise<C>,
    context: CommandContext,
    options: ExecuteOptions<E> = {},
  ): Promise<ExecutionResult<E, S>> {
    return this.inStreamOrder(stream, () => this.decideAndAppend(stream, decider, buildCommand, context, options));
  }

  private inStreamOrder<T>(stream: string, work: () => Promise<T>): Promise<T> {
    const previous = this.streamQueues.get(stream) ?? Promise.resolve();
    const current = previous.then(work, work);
    const settled = current.then(
      () => undefined,
      () => undefined,
    );
    this.streamQueues.set(stream, settled);
    // Forget the stream once nothing is queued behind this command, so the map stays small.
    void settled.then(() => {
      if (this.streamQueues.get(stream) === settled) this.streamQueues.delete(stream);
    });
    return current;
  }

  /**
   * The first attempt decides on the remembered state without reading: the append's expected revision
   * proves it current, and a lost race re-reads. Only a refusal or a no-op decided on a remembered state
   * is checked against a fresh read first, since another writer may have changed what it rests on.
   */
  private async decideAndAppend<C, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    buildCommand: (state: S) => C | Promise<C>,
    context: CommandContext,
    options: ExecuteOptions<E>,
  ): Promise<ExecutionResult<E, S>> {
    const remembered = this.recall(stream, decider);
    let loaded = remembered ?? (await this.load(stream, decider));
    let fresh = remembered === undefined;
    for (let lostRaces = 0; ; ) {
      const decision = decider.decide(await buildCommand(loaded.state), loaded.state);
      if (isRejection(decision) || decision.length === 0) {
        if (!fresh) {
          [loaded, fresh] = [await this.load(stream, decider), true];
          continue;
        }
        if (isRejection(decision)) throw new RejectionError(decision);
        return { ...loaded, events: [] };
      }
      try {
        const appended = await this.metrics.timeAppend('aggregate', () =>
          this.store.appendToStream(stream, toProposedEvents(decision, context, options), { expectedRevision: loaded.revision }),
        );
        this.logger.debug({ msg: 'events appended', stream, types: decision.map((event) => event.type), position: String(appended.position) });
        const after = {
          state: decision.reduce((state, event) => decider.evolve(state, event), loaded.state),
          revision: appended.nextExpectedRevision,
          position: appended.position,
        };
        this.remember(stream, decider, after);
        return { events: decision, ...after };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        lostRaces += 1;
        if (lostRaces === MAX_ATTEMPTS) {
          throw new RejectionError(
            conflict('CONCURRENT_MODIFICATION', `the record changed under each of ${MAX_ATTEMPTS} attempts; retry the request`),
          );
        }
        this.logger.debug({ msg: 'another writer appended to the stream first; deciding again', stream, lostRaces });
        [loaded, fresh] = [await this.load(stream, decider), true];
      }
    }
  }
}

/** Whether revision a is after b; no stream is before every revision. */
function isLater(a: CurrentRevision, b: CurrentRevision): boolean {
  if (typeof a !== 'bigint') return false;
  return typeof b !== 'bigint' || a > b;
}

function toProposedEvents<E extends DomainEvent>(
  events: readonly E[],
  context: CommandContext,
  { eventId = () => randomUUID() }: ExecuteOptions<E>,
): ProposedEvent[] {
  const metadata = eventMetadata(context);
  // Domain event data is JSON by convention (decimal strings, ISO dates); the store refuses anything else.
  return events.map((event, index) => ({ id: eventId(event, index), type: event.type, data: event.data as JsonObject, metadata }));
}
