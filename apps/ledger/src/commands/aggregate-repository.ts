import { Inject, Injectable, Logger } from '@nestjs/common';
import { conflict, Decider, DomainEvent, isRejection, replay } from '@app/domain';
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
 */
@Injectable()
export class AggregateRepository {
  private readonly logger = new Logger(AggregateRepository.name);
  private readonly streamQueues = new Map<string, Promise<unknown>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: LedgerMetrics,
  ) {}

  async load<C, E extends DomainEvent, S>(stream: string, decider: Decider<C, E, S>): Promise<LoadedAggregate<S>> {
    const history: E[] = [];
    let revision: CurrentRevision = NO_STREAM;
    let position: bigint | undefined;
    for await (const recorded of this.store.readStream(stream)) {
      // The stream holds only this decider's events, so its type and data are one of E.
      history.push({ type: recorded.type, data: recorded.data } as unknown as E);
      revision = recorded.revision;
      position = recorded.position;
    }
    return { state: replay(decider, history), revision, position };
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

  private async decideAndAppend<C, E extends DomainEvent, S>(
    stream: string,
    decider: Decider<C, E, S>,
    buildCommand: (state: S) => C | Promise<C>,
    context: CommandContext,
    options: ExecuteOptions<E>,
  ): Promise<ExecutionResult<E, S>> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const loaded = await this.load(stream, decider);
      const decision = decider.decide(await buildCommand(loaded.state), loaded.state);
      if (isRejection(decision)) throw new RejectionError(decision);
      if (decision.length === 0) return { ...loaded, events: [] };
      try {
        const appended = await this.metrics.timeAppend('aggregate', () =>
          this.store.appendToStream(stream, toProposedEvents(decision, context, options), { expectedRevision: loaded.revision }),
        );
        this.logger.debug({ msg: 'events appended', stream, types: decision.map((event) => event.type), position: String(appended.position) });
        return {
          events: decision,
          state: decision.reduce((state, event) => decider.evolve(state, event), loaded.state),
          revision: appended.nextExpectedRevision,
          position: appended.position,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        this.logger.debug({ msg: 'another writer appended to the stream first; deciding again', stream, attempt });
      }
    }
    throw new RejectionError(
      conflict('CONCURRENT_MODIFICATION', `the record changed under each of ${MAX_ATTEMPTS} attempts; retry the request`),
    );
  }
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
