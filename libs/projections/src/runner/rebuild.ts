import type { EventStore } from '@app/event-store';
import type { Checkpointed, Projection, ProjectionEvent } from '../projection';
import { ProjectionFailedError } from './errors';

/**
 * Any projection, whatever its model: a runner holds several of different model types, and
 * `Projection<M>` is invariant in M (M is both read and returned by `apply`).
 */
export type AnyProjection = Projection<any>;

/** Read models by projection name. */
export type ReadModels = { readonly [name: string]: Checkpointed };

/** Refuses two projections with one name: their snapshots would overwrite each other. */
export function assertDistinctNames(projections: readonly AnyProjection[]): void {
  const seen = new Set<string>();
  for (const { name } of projections) {
    if (typeof name !== 'string' || name === '') throw new TypeError('every projection needs a name');
    if (seen.has(name)) throw new TypeError(`two projections are named ${name}`);
    seen.add(name);
  }
}

/**
 * Folds one event into every model (in place in `models`), naming the projection that throws. Used by
 * `rebuild`, by benchmarks and by tests; the runner keeps its own per-projection checkpoints.
 */
export function applyToAll(projections: readonly AnyProjection[], models: Checkpointed[], event: ProjectionEvent): void {
  // An index loop: `entries()` would make an iterator and a pair per projection and event.
  for (let i = 0; i < projections.length; i++) {
    const projection = projections[i]!;
    const model = models[i];
    if (model === undefined) throw new RangeError(`no model given for projection ${projection.name}`);
    try {
      models[i] = projection.apply(model, event);
    } catch (cause) {
      throw new ProjectionFailedError(projection.name, event, cause);
    }
  }
}

/**
 * The read models as a fold of the whole log from position zero (`readAll()` forwards): what an
 * auditor's replay gives, and what a live runner's models must equal. Nothing is stored.
 */
export async function rebuild(store: Pick<EventStore, 'readAll'>, projections: readonly AnyProjection[]): Promise<ReadModels> {
  assertDistinctNames(projections);
  const models: Checkpointed[] = projections.map((projection) => projection.initial);
  for await (const event of store.readAll()) applyToAll(projections, models, event);
  // One model per projection, made above.
  return Object.fromEntries(projections.map((projection, index) => [projection.name, models[index]!]));
}
