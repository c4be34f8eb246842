/**
 * A read model is a pure left fold over the global event log: `apply(model, event)` returns the next
 * model and touches nothing else (no I/O, no clock, no randomness, no mutation of its arguments). A
 * runner folds `$all` into it and checkpoints the global position; storage and HTTP are its business.
 *
 * Every model is plain JSON (strings, numbers, booleans, arrays, plain objects; no bigint, no Map, no
 * `undefined` values): it can be stored and read back unchanged. Each model carries the global
 * position of the last event it has seen (`position`, a decimal string): an event at or below it is a
 * redelivery and leaves the model as it is, so an at-least-once runner cannot count an event twice.
 */

/** One recorded event as the runner hands it over; `RecordedEvent` of `@app/event-store` fits. */
export interface ProjectionEvent {
  readonly type: string;
  /** The event's JSON data, as the domain wrote it. */
  readonly data: unknown;
  readonly streamName: string;
  /** Global position in the log; grows with every event. */
  readonly position: bigint;
  /** Revision in the event's stream. */
  readonly revision: bigint;
  /** The store's metadata: `recordedAt` is when the event was appended (absent where a caller builds events itself). */
  readonly metadata?: { readonly recordedAt?: string };
}

/** What every model has: the position of the last event folded into it, absent before the first. */
export interface Checkpointed {
  readonly position?: string;
}

export interface Projection<M extends Checkpointed> {
  /** A stable name, e.g. for the runner's checkpoint record. */
  readonly name: string;
  readonly initial: M;
  apply(model: M, event: ProjectionEvent): M;
}

/**
 * Builds a projection from a handler that only deals with the events it cares about (returning the
 * model unchanged for the others); the position bookkeeping and redelivery guard are added here.
 * `at(model, position)` is the model with another position, built as an object literal that names each
 * field (see `objects.ts` for why not a spread).
 */
export function defineProjection<M extends Checkpointed>(
  name: string,
  initial: M,
  handle: (model: M, event: ProjectionEvent) => M,
  at: (model: M, position: string) => M,
): Projection<M> {
  return {
    name,
    initial,
    apply(model, event) {
      const position = positionText(event);
      if (model.position !== undefined && !isAfter(position, model.position)) return model;
      return at(handle(model, event), position);
    },
  };
}

/** The last event `positionText` wrote, and its text: every projection of a runner is given the same event in turn. */
let lastEvent: ProjectionEvent | undefined;
let lastText = '';

/** `event.position` as decimal text, written once per event object rather than once per projection. */
function positionText(event: ProjectionEvent): string {
  if (event !== lastEvent) {
    lastText = event.position.toString();
    lastEvent = event;
  }
  return lastText;
}

/**
 * `a > b` for positions written by `bigint.toString()` (no sign, no leading zeros): a longer one is
 * larger, else the text order is the numeric order. Cheaper than parsing a BigInt per event and projection.
 */
function isAfter(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

/** Folds events into a projection from its initial model (or from `from`, a stored model). */
export function foldEvents<M extends Checkpointed>(
  projection: Projection<M>,
  events: Iterable<ProjectionEvent>,
  from: M = projection.initial,
): M {
  let model = from;
  for (const event of events) model = projection.apply(model, event);
  return model;
}

/** The position to resume a subscription after: the last one folded, or undefined to start from the beginning. */
export function checkpointOf(model: Checkpointed): bigint | undefined {
  return model.position === undefined ? undefined : BigInt(model.position);
}
