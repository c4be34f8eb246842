import { conflict, eventDecoder, eventTypes, storedEventFold } from '@app/domain';
import {
  type CurrentRevision,
  type EventMetadataInput,
  type ExpectedRevision,
  type JsonObject,
  type JsonValue,
  NO_STREAM,
  type StreamAppend,
} from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { type CommandContext, proposedEvent } from './command-context';
import { RejectionError } from './rejection-error';
import type { KernelAnswer } from './command-kernel';

/** A request's Idempotency-Key, scoped to its caller and hashed, and what makes two requests the same. */
export interface IdempotencyRequest {
  /** sha256 hex of the caller and the key: keys are the caller's own and stay out of stream names. */
  readonly keyHash: string;
  /** sha256 hex of the route's canonical path and the parsed body. */
  readonly fingerprint: string;
}

export const IDEMPOTENCY_KEY_CLAIMED = 'IdempotencyKeyClaimed' as const;
export const IDEMPOTENCY_KEY_RELEASED = 'IdempotencyKeyReleased' as const;
export const IDEMPOTENT_RESPONSE_RECORDED = 'IdempotentResponseRecorded' as const;

/** The idempotency streams' event types and their data versions. */
export const IDEMPOTENCY_EVENT_VERSIONS: { readonly [type in IdempotencyEvent['type']]: number } = {
  [IDEMPOTENCY_KEY_CLAIMED]: 1,
  [IDEMPOTENCY_KEY_RELEASED]: 1,
  [IDEMPOTENT_RESPONSE_RECORDED]: 2,
};

/** An append as recorded in a claim: everything needed to make exactly the same append again. */
interface RecordedAppend {
  streamName: string;
  /** `no_stream`, or a revision as a decimal string. */
  expectedRevision: string;
  events: Array<{ id: string; type: string; data: JsonObject; metadata: EventMetadataInput }>;
}

interface ClaimData {
  keyHash: string;
  fingerprint: string;
  /** Random per claiming attempt: tells a request its own claim from another's. */
  claimId: string;
  plan: RecordedAppend[];
  answer: JsonValue;
  created: boolean;
}

/** Version 2; version 1 (before 2026-12) recorded the HTTP `status` and `body` instead of `created` and `answer`. */
interface ResponseData {
  keyHash: string;
  fingerprint: string;
  created?: boolean;
  answer?: JsonValue;
  status?: number;
  body?: JsonValue;
}

export interface IdempotencyState {
  /** Events folded: the revision the stream's next event gets. */
  readonly version: number;
  readonly claim?: ClaimData;
  readonly response?: { fingerprint: string; created: boolean; answer: JsonValue };
}

type IdempotencyEvent =
  | { type: typeof IDEMPOTENCY_KEY_CLAIMED; data: ClaimData }
  | { type: typeof IDEMPOTENCY_KEY_RELEASED; data: { keyHash: string } }
  | { type: typeof IDEMPOTENT_RESPONSE_RECORDED; data: ResponseData };

const idempotencyEvents = eventDecoder<IdempotencyEvent>(
  'an Idempotency-Key',
  eventTypes<IdempotencyEvent>(IDEMPOTENCY_EVENT_VERSIONS),
);

const INITIAL_STATE: IdempotencyState = { version: 0 };

function evolve(state: IdempotencyState, event: IdempotencyEvent): IdempotencyState {
  const version = state.version + 1;
  switch (event.type) {
    case IDEMPOTENCY_KEY_CLAIMED:
      return { version, claim: event.data };
    case IDEMPOTENCY_KEY_RELEASED:
      return { version };
    case IDEMPOTENT_RESPONSE_RECORDED: {
      const { fingerprint, created, answer, status, body } = event.data;
      return { version, ...(state.claim ? { claim: state.claim } : {}), response: { fingerprint, created: created ?? status === 201, answer: answer ?? body ?? null } };
    }
  }
}

/** A response to record under a key: the command's answer, and whether it recorded anything. */
export interface ResponseRecord {
  readonly key: IdempotencyRequest;
  readonly answer: unknown;
  readonly created: boolean;
}

function revisionOf(version: number): CurrentRevision {
  return version === 0 ? NO_STREAM : BigInt(version - 1);
}

/**
 * The records of Idempotency-Keys, one stream per key (`idempotency-{keyHash}`). They are not business
 * facts: no read model and no audit check reads them.
 *
 * On an atomic store a command's first answer is recorded in the same commit as its events, so a request
 * either ran with its answer recorded or did not run; a second request under the key waits for the first
 * (same process) or loses the expected-revision race on the key's stream (another replica), and then
 * answers the recorded answer. A sequential store cannot commit both at once, so the key is claimed
 * first with the whole plan — every append, with its event ids and expected revisions, and the answer —
 * then the plan is appended, then the answer recorded. A request finding a claim without its answer
 * (its writer stopped, or is still writing) appends the same plan again: the store takes an append it
 * already holds as done, so the plan's events are in the log once whoever writes them; when a stream has
 * moved on without them, the plan can never be written and the key is released for the command to be
 * decided again. Either way the command's effects happen once.
 */
export class IdempotencyLog {
  readonly fold = storedEventFold({ initialState: INITIAL_STATE, evolve }, idempotencyEvents);

  constructor(private readonly eventId: () => string) {}

  streamOf(key: IdempotencyRequest): string {
    return `idempotency-${key.keyHash}`;
  }

  /**
   * The first answer again, a 409 for another request under the key, or undefined: the command may run.
   * `ownClaims`: the claims this request made (a sequential store): the answer recorded for one of them
   * is this request's own, not a replay (another request may have recorded it while helping).
   */
  earlierAnswer<A>(state: IdempotencyState, key: IdempotencyRequest, ownClaims: ReadonlySet<string>): KernelAnswer<A> | undefined {
    const recorded = state.response ?? state.claim;
    if (recorded && recorded.fingerprint !== key.fingerprint) {
      throw new RejectionError(conflict('IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was already used for a different request', 'Idempotency-Key'));
    }
    if (!state.response) return undefined;
    const own = state.claim !== undefined && ownClaims.has(state.claim.claimId);
    return { answer: state.response.answer as A, created: state.response.created, replayed: !own };
  }

  /** A claim whose plan has not been answered (sequential stores only). */
  pendingPlan(state: IdempotencyState): boolean {
    return state.claim !== undefined && state.response === undefined;
  }

  /**
   * The key's appends around a command's: on an atomic store (no `plan` given) only the response, after;
   * on a sequential one the claim with the plan before it, then the response.
   */
  appendsFor(record: ResponseRecord, state: IdempotencyState, plan: readonly StreamAppend[], context: CommandContext): { before: StreamAppend[]; after: StreamAppend[]; claimId?: string } {
    const streamName = this.streamOf(record.key);
    const { keyHash, fingerprint } = record.key;
    const answer = (record.answer ?? null) as JsonValue;
    const response: IdempotencyEvent = { type: IDEMPOTENT_RESPONSE_RECORDED, data: { keyHash, fingerprint, created: record.created, answer } };
    if (plan.length === 0) {
      return { before: [], after: [{ streamName, events: [this.proposed(response, context)], expectedRevision: revisionOf(state.version) }] };
    }
    const claimId = randomUUID();
    const claim: IdempotencyEvent = {
      type: IDEMPOTENCY_KEY_CLAIMED,
      data: { keyHash, fingerprint, claimId, plan: plan.map(recordedAppend), answer, created: record.created },
    };
    return {
      before: [{ streamName, events: [this.proposed(claim, context)], expectedRevision: revisionOf(state.version) }],
      after: [{ streamName, events: [this.proposed(response, context)], expectedRevision: BigInt(state.version) }],
      claimId,
    };
  }

  /** To finish a pending claim: its plan's appends exactly as recorded, and the key's next event either way. */
  finishing(key: IdempotencyRequest, state: IdempotencyState, context: CommandContext): { appends: StreamAppend[]; release: StreamAppend; record: StreamAppend } {
    const claim = state.claim!;
    const streamName = this.streamOf(key);
    const expectedRevision = revisionOf(state.version);
    const response: IdempotencyEvent = { type: IDEMPOTENT_RESPONSE_RECORDED, data: { keyHash: key.keyHash, fingerprint: key.fingerprint, created: claim.created, answer: claim.answer } };
    return {
      appends: claim.plan.map(replayedAppend),
      release: { streamName, events: [this.proposed({ type: IDEMPOTENCY_KEY_RELEASED, data: { keyHash: key.keyHash } }, context)], expectedRevision },
      record: { streamName, events: [this.proposed(response, context)], expectedRevision },
    };
  }

  /** The answer a pending claim recorded. */
  recordedAnswer<A>(state: IdempotencyState): { answer: A; created: boolean } {
    return { answer: state.claim!.answer as A, created: state.claim!.created };
  }

  private proposed(event: IdempotencyEvent, context: CommandContext) {
    return proposedEvent(this.eventId(), event, context, IDEMPOTENCY_EVENT_VERSIONS[event.type]);
  }
}

function recordedAppend(append: StreamAppend): RecordedAppend {
  return {
    streamName: append.streamName,
    expectedRevision: String(append.expectedRevision),
    events: append.events.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
  };
}

function replayedAppend(append: RecordedAppend): StreamAppend {
  const expectedRevision: ExpectedRevision = append.expectedRevision === NO_STREAM ? NO_STREAM : BigInt(append.expectedRevision);
  return {
    streamName: append.streamName,
    expectedRevision,
    events: append.events.map((event) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata })),
  };
}
