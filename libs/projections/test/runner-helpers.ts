import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, SqliteEventStore } from '@app/event-store';
import { at } from './at';
import { balancesProjection } from '../src/balances/balances.projection';
import { bondsProjection } from '../src/bonds/bonds.projection';
import { lotSummaryProjection } from '../src/lots/lot-summary.projection';
import type { Checkpointed, Projection } from '../src/projection';
import { rateSchedulesProjection } from '../src/rate-schedules/rate-schedules.projection';
import { refundQueueProjection } from '../src/refunds/refund-queue.projection';
import { type AnyProjection, type ReadModels, applyToAll } from '../src/runner';
import { suspenseProjection } from '../src/suspense/suspense.projection';

/** The product's projections. */
export const PRODUCT_PROJECTIONS: readonly AnyProjection[] = [
  balancesProjection,
  bondsProjection,
  lotSummaryProjection,
  refundQueueProjection,
  suspenseProjection,
  rateSchedulesProjection,
];

export interface CountModel extends Checkpointed {
  readonly count: number;
  /** Sum of the positions folded: a skipped or doubled event changes it. */
  readonly positionSum: string;
}

/**
 * A projection WITHOUT the redelivery guard of `defineProjection`: it counts every event it is given.
 * If the runner handed it an event twice (or skipped one), its count would differ from the log's length.
 */
export const naiveCounter: Projection<CountModel> = {
  name: 'naive-counter',
  initial: { count: 0, positionSum: '0' },
  apply: (model, event) => ({
    count: model.count + 1,
    positionSum: (BigInt(model.positionSum) + event.position).toString(),
    position: event.position.toString(),
  }),
};

export const ALL_PROJECTIONS: readonly AnyProjection[] = [...PRODUCT_PROJECTIONS, naiveCounter];

export function tempFolder(prefix: string): { path: (name: string) => string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  return { path: (name) => join(folder, name), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export function openStore(path: string): SqliteEventStore {
  return SqliteEventStore.open({ path, pollIntervalMs: 10 });
}

/** The models folded from the store's events up to `position` (inclusive), or from none. */
export async function foldUpTo(store: EventStore, projections: readonly AnyProjection[], position: bigint | undefined): Promise<ReadModels> {
  const models: Checkpointed[] = projections.map((projection) => projection.initial);
  if (position !== undefined) {
    for await (const event of store.readAll()) {
      if (event.position > position) break;
      applyToAll(projections, models, event);
    }
  }
  return Object.fromEntries(projections.map((projection, index) => [projection.name, at(models, index)]));
}

/** Every event of the store, counted, and the sum of their positions (what `naiveCounter` must show). */
export async function logTotals(store: EventStore): Promise<{ count: number; positionSum: string; last: bigint | undefined }> {
  let count = 0;
  let sum = 0n;
  let last: bigint | undefined;
  for await (const event of store.readAll()) {
    count += 1;
    sum += event.position;
    last = event.position;
  }
  return { count, positionSum: sum.toString(), last };
}
