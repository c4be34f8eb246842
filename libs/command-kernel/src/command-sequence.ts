import type { Plan, Rejection, StreamWrite } from '@app/domain';
import { RejectionError } from './rejection-error';
import type { KernelCommand, ReadOptions, StreamReader } from './command-kernel';
import type { Fold } from './stream-states';

/** One command of a sequence: what a `KernelCommand` decides with, without its caller's context. */
export type SequencedCommand<A> = Pick<KernelCommand<A>, 'streams' | 'decide'>;

/** Each command's own result in a sequence: its answer (with whether it recorded anything), or its refusal. */
export type SequencedOutcome<A> = { readonly answer: A; readonly created: boolean } | { readonly rejection: Rejection };

/** More than any honest decision needs to finish half-done work: each round writes what was left. */
const MAX_ROUNDS = 10;

/**
 * Many commands run as one kernel command (POST /v1/inbound-credit-batches): each is decided exactly as
 * it would be alone, on the states the commands before it leave (their events are not yet appended),
 * and all their writes are appended together — on an atomic store in one transaction, with the
 * expected revision of every stream as first read, so a lost race decides the whole sequence again.
 * Each keeps its own answer or refusal; a refusal does not stop the others. An entry that is already a
 * `Rejection` (refused before it could be decided: a malformed item) keeps its place as one.
 */
export function inSequence<A>(commands: ReadonlyArray<SequencedCommand<A> | Rejection>): SequencedCommand<Array<SequencedOutcome<A>>> {
  return {
    streams: [...new Set(commands.flatMap((command) => ('streams' in command ? command.streams : [])))],
    decide: async (reader) => {
      const session = new SequenceReader(reader);
      const writes: StreamWrite[] = [];
      const outcomes: Array<SequencedOutcome<A>> = [];
      for (const command of commands) {
        if (!('decide' in command)) {
          outcomes.push({ rejection: command });
          continue;
        }
        const { plan, written } = await decideInSequence(command, session);
        writes.push(...written);
        const created = written.some((write) => write.events.length > 0);
        outcomes.push('rejection' in plan ? { rejection: plan.rejection } : { answer: plan.answer, created });
      }
      return { writes, answer: outcomes };
    },
  };
}

/** One command's decision, its half-done work finished first as the kernel would (`decideAgain`). */
async function decideInSequence<A>(
  command: SequencedCommand<A>,
  session: SequenceReader,
): Promise<{ plan: Exclude<Plan<A>, { decideAgain: true }>; written: StreamWrite[] }> {
  const written: StreamWrite[] = [];
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    let plan: Plan<A>;
    try {
      plan = await command.decide(session);
    } catch (error) {
      // Refused while gathering facts (a thrown rejection): this command's refusal, not the sequence's.
      if (!(error instanceof RejectionError)) throw error;
      return { plan: { writes: [], rejection: error.rejection }, written };
    }
    const writes = plan.writes.filter((write) => write.events.length > 0);
    session.apply(writes);
    written.push(...writes);
    if (!('decideAgain' in plan)) return { plan, written };
  }
  throw new Error(`a sequenced command was still finishing other work after ${MAX_ROUNDS} rounds`);
}

/** The kernel's reader, with each stream's state advanced by the events the sequence has decided so far. */
class SequenceReader implements StreamReader {
  private readonly known = new Map<string, { readonly fold: Fold<unknown>; state: unknown }>();

  constructor(private readonly reader: StreamReader) {}

  async read<S>(stream: string, fold: Fold<S>, options?: ReadOptions): Promise<S> {
    const known = this.known.get(stream);
    if (known) {
      if (known.fold !== fold) throw new Error(`stream ${stream} read with two folds in one command`);
      return known.state as S;
    }
    const state = await this.reader.read(stream, fold, options);
    this.known.set(stream, { fold: fold as Fold<unknown>, state });
    return state;
  }

  apply(writes: readonly StreamWrite[]): void {
    for (const { stream, events } of writes) {
      const known = this.known.get(stream);
      if (!known) throw new Error(`a sequenced command writes stream ${stream}, which it did not read`);
      known.state = events.reduce((state, event) => known.fold.evolve(state, event), known.state);
    }
  }
}
