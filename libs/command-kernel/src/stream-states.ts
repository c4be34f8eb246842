import type { StoredEventFold } from '@app/domain';
import type { CurrentRevision } from '@app/event-store';

/**
 * How a stream's stored events fold into the state a command decides on: the domain's fold of the stream
 * (`lotStoredFold`, …), which decodes each event before its aggregate's evolve; a bare decider does not fit.
 */
export type Fold<S> = StoredEventFold<S>;

/** A stream's state at a revision (NO_STREAM: empty), as read or as left by this process's own appends. */
export interface StreamState<S> {
  readonly state: S;
  readonly revision: CurrentRevision;
}

interface Remembered {
  readonly fold: Fold<unknown>;
  readonly state: unknown;
  readonly revision: CurrentRevision;
}

/**
 * States remembered per stream, least recently used first out, so a busy lot is not replayed from its
 * first event on every credit. A state is remembered only as read or as left by an append that
 * succeeded, so it is always the state at its revision, though maybe behind other writers' appends;
 * whoever uses it either reads what was appended since, or appends with its revision as the expected
 * one, which the store refuses if it is behind. States are immutable values, so sharing one is safe.
 */
export class StreamStates {
  private readonly remembered = new Map<string, Remembered>();

  constructor(private readonly maxStreams: number) {}

  recall<S>(stream: string, fold: Fold<S>): StreamState<S> | undefined {
    const known = this.remembered.get(stream);
    return known?.fold === fold ? (known as StreamState<S>) : undefined;
  }

  remember<S>(stream: string, fold: Fold<S>, known: StreamState<S>): void {
    const previous = this.recall(stream, fold);
    // Two reads may finish out of order; keep the later revision.
    if (previous !== undefined && isLater(previous.revision, known.revision)) return;
    this.remembered.delete(stream);
    this.remembered.set(stream, { fold: fold as Fold<unknown>, state: known.state, revision: known.revision });
    if (this.remembered.size > this.maxStreams) this.remembered.delete(this.remembered.keys().next().value!);
  }
}

/** Whether revision a is after b; no stream is before every revision. */
export function isLater(a: CurrentRevision, b: CurrentRevision): boolean {
  if (typeof a !== 'bigint') return false;
  return typeof b !== 'bigint' || a > b;
}
