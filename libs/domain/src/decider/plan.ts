import type { DomainEvent, Rejection } from './decider';

/** Events for one stream, in the order they are written. */
export interface StreamWrite {
  readonly stream: string;
  readonly events: readonly DomainEvent[];
}

/**
 * The whole outcome of a command that may touch several streams, decided by one pure function from
 * the states and facts it was given: the events for every stream, and the answer.
 *
 * `writes` are in protocol order: where a store cannot commit several streams at once, they are written
 * one after the other in this order (a claim before money moves, money before the record of where it
 * went), and a decision made again after a partial write sees that write and decides only what is left.
 * An atomic store commits them all at once.
 *
 * - `answer`: what the caller is told once the writes are committed (a no-op when there are none).
 * - `rejection`: the command is refused; `writes`, usually none, are committed first (work another
 *   request left half done, which the refusal rests on).
 * - `decideAgain`: the writes only finish work another request left half done; the command is decided
 *   again on the states after them.
 */
export type Plan<A> =
  | { readonly writes: readonly StreamWrite[]; readonly answer: A }
  | { readonly writes: readonly StreamWrite[]; readonly rejection: Rejection }
  | { readonly writes: readonly StreamWrite[]; readonly decideAgain: true };

/** Drops writes without events, so a plan lists only what it appends. */
export function writesOf(...writes: ReadonlyArray<StreamWrite | undefined>): StreamWrite[] {
  return writes.filter((write): write is StreamWrite => write !== undefined && write.events.length > 0);
}
