/**
 * The shape of every aggregate of the ledger: a decider. `decide` answers a command against the
 * current state with the events that record what happened, or a rejection that changes nothing;
 * `evolve` folds one event into the state. Both are pure: no clock, no randomness, no I/O. Whatever
 * a decision needs from outside the aggregate (the time, another aggregate's facts) comes in the
 * command, resolved by the command handler.
 */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  readonly type: TType;
  readonly data: TData;
}

/** How a rejection maps to the HTTP contract: 404, 409 or 422 (400 is the transport's business). */
export type RejectionKind = 'NOT_FOUND' | 'CONFLICT' | 'BUSINESS_RULE';

export interface Rejection {
  readonly rejected: true;
  readonly kind: RejectionKind;
  /** Machine-readable, UPPER_SNAKE, as listed in docs/api-contract.md or docs/api.md. */
  readonly code: string;
  readonly message: string;
  /** The request field at fault, in the wire's dotted form, e.g. `payer.accountNo`. */
  readonly field?: string;
}

/** A refusal that is itself a fact: `recorded` is appended, then the refusal answered (a probe of a sealed lot, seal.ts). */
export interface RecordedRejection<TEvent> extends Rejection {
  readonly recorded: readonly TEvent[];
}

export type Decision<TEvent> = readonly TEvent[] | Rejection | RecordedRejection<TEvent>;

export interface Decider<TCommand, TEvent, TState> {
  readonly initialState: TState;
  decide(command: TCommand, state: TState): Decision<TEvent>;
  evolve(state: TState, event: TEvent): TState;
}

export function reject(kind: RejectionKind, code: string, message: string, field?: string): Rejection {
  return field === undefined ? { rejected: true, kind, code, message } : { rejected: true, kind, code, message, field };
}

export const notFound = (code: string, message: string, field?: string) => reject('NOT_FOUND', code, message, field);
export const conflict = (code: string, message: string, field?: string) => reject('CONFLICT', code, message, field);
export const ruleBroken = (code: string, message: string, field?: string) => reject('BUSINESS_RULE', code, message, field);

export function isRejection<TEvent>(decision: Decision<TEvent>): decision is Rejection | RecordedRejection<TEvent> {
  return !Array.isArray(decision);
}

/** What a decision records even when it refuses: nothing, or a recorded rejection's events. */
export function recordedBy<TEvent>(rejection: Rejection | RecordedRejection<TEvent>): readonly TEvent[] {
  return 'recorded' in rejection ? rejection.recorded : [];
}

/** The refusal alone, as the caller is answered (no events in an error body). */
export function refusalOf(rejection: Rejection): Rejection {
  return reject(rejection.kind, rejection.code, rejection.message, rejection.field);
}

/** The state after a history: what a command handler does after reading a stream. */
export function replay<TEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
  events: Iterable<TEvent>,
): TState {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}

/** The exhaustive end of a switch over a union: it fails to compile when a member is not handled. */
export function unreachable(value: never): never {
  throw new RangeError(`unexpected ${JSON.stringify(value)}`);
}
