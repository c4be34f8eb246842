import { PositionWaiters } from './position-waiters';
import { type EventStore, type RecordedEvent, START, type Subscription } from '@app/event-store';
import type { Checkpointed } from '../projection';
import {
  ProjectionFailedError,
  ProjectionRunnerStoppedError,
  ProjectionWaitTimeoutError,
  ReadModelsAheadOfStoreError,
} from './errors';
import type { ReadModelStore } from './read-model-store';
import { type AnyProjection, assertDistinctNames } from './rebuild';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  readonly readModels: ReadModelStore;
  readonly projections: readonly AnyProjection[];
  /** Snapshot after this many events since the last one. Default 50,000. */
  readonly snapshotEveryEvents?: number;
  /** Snapshot when events have been applied and this long has passed since the last one. Default 5,000 ms. */
  readonly snapshotEveryMs?: number;
  /**
   * A snapshot writes the table entries changed since the previous snapshot or load (`ReadModelStore`),
   * so its cost follows the events folded since, not the size of the models. After a snapshot
   * that took d ms the next periodic one waits at least d / maxSnapshotShare ms, so snapshots take at
   * most this share of the runner's time. Default 0.1; Infinity turns the limit off. A crash then loses
   * at most the events folded in the last max(snapshotEveryMs, duration of the last snapshot /
   * maxSnapshotShare) ms, which a restart folds again from the snapshot.
   */
  readonly maxSnapshotShare?: number;
  /** Default bound of `caughtUp` / `waitForPosition`. Default 30,000 ms. */
  readonly waitTimeoutMs?: number;
  /** During a long catch-up, give the event loop a turn at least this often. Default 20 ms. */
  readonly yieldEveryMs?: number;
  /** Told once when the runner stops on an error (a projection threw, the store or the snapshot failed). */
  readonly onError?: (error: Error) => void;
  /** Told after every snapshot written (for metrics and tests). */
  readonly onSnapshot?: (snapshot: SnapshotInfo) => void;
  /**
   * A periodic snapshot serialises the models in slices of about this many ms, folding and serving
   * between them (`ReadModelStore.saveInSlices`); only its write runs at once. Default 4 ms.
   */
  readonly snapshotSliceMs?: number;
}

export interface SnapshotInfo {
  /** Each projection's checkpoint as written. */
  readonly positions: { readonly [name: string]: bigint | undefined };
  /** Events applied since the previous snapshot. */
  readonly events: number;
  /** Time the snapshot ran on the event loop (serialising the models included), its slices summed. */
  readonly durationMs: number;
  /** `stop()`'s final snapshot. */
  readonly final: boolean;
}

export type ProjectionRunnerState = 'new' | 'starting' | 'running' | 'failed' | 'stopped';

interface Slot {
  readonly projection: AnyProjection;
  model: Checkpointed;
  /** Position of the last event folded into `model` (equal to or past the model's own `position`). */
  checkpoint: bigint | undefined;
}

/**
 * Keeps read models current: folds the store's catch-up subscription into every projection, serves the
 * models from memory, and checkpoints them.
 *
 * Exactly once, across restarts: each projection's snapshot row holds its model and the position of the
 * last event folded into it, written together in one transaction (`ReadModelStore.save`), all projections
 * at once. On start the runner loads them and subscribes after the LOWEST checkpoint (from the start
 * when a projection has none); an event at or below a projection's own checkpoint is not given to it.
 * A crash loses at most the events since the last snapshot, and those are folded again from the
 * snapshot they are missing from: nothing skipped, nothing applied twice.
 *
 * A projection that throws (e.g. balances on an unbalanced posting set) stops the runner: it reports
 * the error (`onError`, `failure`, rejected waits) and writes nothing more, so the last snapshot stands
 * and a restart meets the same event again. No event is ever skipped.
 */
export class ProjectionRunner {
  private readonly store: EventStore;
  private readonly readModels: ReadModelStore;
  private readonly slots: Slot[];
  private readonly byName = new Map<string, Slot>();
  private readonly snapshotEveryEvents: number;
  private readonly snapshotEveryMs: number;
  private readonly waitTimeoutMs: number;
  private readonly yieldEveryMs: number;
  private readonly maxSnapshotShare: number;
  private readonly snapshotSliceMs: number;
  /** No periodic snapshot before this (performance.now()), from the last snapshot's cost. */
  private nextSnapshotNotBefore = 0;
  /** The periodic snapshot being made, if one is. */
  private snapshotting: Promise<void> | undefined;

  private runnerState: ProjectionRunnerState = 'new';
  private error: Error | undefined;
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private starting: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** The position of the last event the runner handled (every projection has it, or had it already). */
  private handled: bigint | undefined;
  /** The store's last position when the runner started: `caughtUp` waits for it. */
  private startHead: bigint | undefined;
  private sinceSnapshot = 0;
  private lastSnapshotAt = 0;
  private readonly waiters = new PositionWaiters();

  constructor(private readonly options: ProjectionRunnerOptions) {
    assertDistinctNames(options.projections);
    this.store = options.store;
    this.readModels = options.readModels;
    this.slots = options.projections.map((projection) => ({ projection, model: projection.initial, checkpoint: undefined }));
    for (const slot of this.slots) this.byName.set(slot.projection.name, slot);
    this.snapshotEveryEvents = positive(options.snapshotEveryEvents ?? 50_000, 'snapshotEveryEvents');
    this.snapshotEveryMs = positive(options.snapshotEveryMs ?? 5_000, 'snapshotEveryMs');
    this.waitTimeoutMs = positive(options.waitTimeoutMs ?? 30_000, 'waitTimeoutMs');
    this.yieldEveryMs = positive(options.yieldEveryMs ?? 20, 'yieldEveryMs');
    this.maxSnapshotShare = positive(options.maxSnapshotShare ?? 0.1, 'maxSnapshotShare');
    this.snapshotSliceMs = positive(options.snapshotSliceMs ?? 4, 'snapshotSliceMs');
  }

  get state(): ProjectionRunnerState {
    return this.runnerState;
  }

  /** Why the runner stopped on its own; undefined while it is healthy. */
  get failure(): Error | undefined {
    return this.error;
  }

  /** The position of the last event handled, undefined before the first (or when started from nothing). */
  get position(): bigint | undefined {
    return this.handled;
  }

  /** Loads the snapshots, reads where the store ends, and starts following the subscription. */
  start(): Promise<void> {
    if (this.runnerState !== 'new') return Promise.reject(new Error(`the runner is ${this.runnerState}; a runner starts once`));
    this.runnerState = 'starting';
    this.starting = this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    try {
      for (const slot of this.slots) {
        const stored = this.readModels.load<Checkpointed>(slot.projection.name);
        if (stored) {
          slot.model = stored.model;
          slot.checkpoint = stored.position;
        }
      }
      this.startHead = await lastPosition(this.store);
      if (this.stopping) throw new ProjectionRunnerStoppedError('the projection runner was stopped while starting');
      for (const slot of this.slots) {
        if (slot.checkpoint !== undefined && (this.startHead === undefined || slot.checkpoint > this.startHead)) {
          throw new ReadModelsAheadOfStoreError(slot.projection.name, slot.checkpoint, this.startHead);
        }
      }
      const from = this.lowestCheckpoint();
      this.handled = from;
      this.subscription = this.store.subscribeToAll({ fromPosition: from ?? START });
    } catch (error) {
      this.runnerState = 'stopped';
      throw error;
    }
    this.lastSnapshotAt = performance.now();
    this.timer = setInterval(() => this.onTimer(), Math.max(10, Math.floor(this.snapshotEveryMs / 4)));
    this.timer.unref();
    this.runnerState = 'running';
    this.loop = this.follow(this.subscription);
  }

  /**
   * Ends the subscription, writes a final snapshot (unless the runner failed: then the last good
   * snapshot stands) and rejects whatever still waits. Safe to call twice.
   */
  async stop(): Promise<void> {
    if (this.runnerState === 'new' || this.runnerState === 'stopped') {
      this.runnerState = 'stopped';
      return;
    }
    this.stopping = true;
    if (this.runnerState === 'starting') await this.starting?.catch(() => undefined);
    if ((this.runnerState as ProjectionRunnerState) === 'stopped') return;
    clearInterval(this.timer);
    await this.subscription?.close();
    await this.loop;
    await this.snapshotting;
    const failed = this.runnerState === 'failed';
    this.runnerState = 'stopped';
    this.waiters.rejectAll(this.error ?? new ProjectionRunnerStoppedError('the projection runner was stopped'));
    if (!failed && this.sinceSnapshot > 0) this.finalSnapshot();
  }

  /** The current model of a projection (shared, immutable: never mutate it). */
  current<M extends Checkpointed = Checkpointed>(name: string): M {
    const slot = this.byName.get(name);
    if (!slot) throw new RangeError(`no projection named ${name}`);
    return slot.model as M;
  }

  /** Each projection's checkpoint: the position of the last event folded into its model. */
  checkpoints(): { [name: string]: bigint | undefined } {
    return Object.fromEntries(this.slots.map((slot) => [slot.projection.name, slot.checkpoint]));
  }

  /** Resolves once everything that was in the store when the runner started has been applied. */
  caughtUp(timeoutMs = this.waitTimeoutMs): Promise<void> {
    if (this.runnerState === 'new' || this.runnerState === 'starting') {
      return Promise.reject(new Error('caughtUp: start the runner first'));
    }
    return this.startHead === undefined ? this.healthy() : this.waitForPosition(this.startHead, timeoutMs);
  }

  /**
   * Resolves once every event up to `position` has been applied (e.g. the position an append returned);
   * rejects after `timeoutMs`, or when the runner fails or stops first.
   */
  waitForPosition(position: bigint, timeoutMs = this.waitTimeoutMs): Promise<void> {
    if (this.handled !== undefined && this.handled >= position) return this.healthy();
    if (this.runnerState !== 'running') {
      return Promise.reject(this.error ?? new ProjectionRunnerStoppedError(`the projection runner is ${this.runnerState}`));
    }
    return this.waiters.wait(position, timeoutMs, () => new ProjectionWaitTimeoutError(position, this.handled, timeoutMs));
  }

  private healthy(): Promise<void> {
    return this.error ? Promise.reject(this.error) : Promise.resolve();
  }

  private lowestCheckpoint(): bigint | undefined {
    let lowest: bigint | undefined;
    for (const { checkpoint } of this.slots) {
      if (checkpoint === undefined) return undefined;
      if (lowest === undefined || checkpoint < lowest) lowest = checkpoint;
    }
    return lowest;
  }

  private async follow(subscription: Subscription): Promise<void> {
    let lastYield = performance.now();
    let count = 0;
    try {
      for await (const event of subscription) {
        if (this.stopping || this.runnerState !== 'running') break;
        this.fold(event);
        if (this.snapshotDue()) this.snapshot();
        if (this.waiters.size > 0) this.waiters.settle(this.handled);
        count += 1;
        if ((count & 255) === 0 && performance.now() - lastYield >= this.yieldEveryMs) {
          // A catch-up reads whole pages without waiting: let timers, HTTP and stop() have a turn.
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
      if (!this.stopping && this.runnerState === 'running') throw new Error('the event store subscription ended');
    } catch (error) {
      this.fail(error);
    }
  }

  /** Gives the event to every projection that does not have it yet. */
  private fold(event: RecordedEvent): void {
    const position = event.position;
    for (const slot of this.slots) {
      if (slot.checkpoint !== undefined && position <= slot.checkpoint) continue;
      let next: Checkpointed;
      try {
        next = slot.projection.apply(slot.model, event);
      } catch (cause) {
        throw new ProjectionFailedError(slot.projection.name, event, cause);
      }
      slot.model = next;
      slot.checkpoint = position;
    }
    this.handled = position;
    this.sinceSnapshot += 1;
  }

  private snapshotDue(): boolean {
    if (this.sinceSnapshot === 0 || this.snapshotting) return false;
    const now = performance.now();
    if (now < this.nextSnapshotNotBefore) return false;
    return this.sinceSnapshot >= this.snapshotEveryEvents || now - this.lastSnapshotAt >= this.snapshotEveryMs;
  }

  /** Every model as it is now, with its checkpoint. */
  private captured() {
    const models = this.slots.map((slot) => ({ name: slot.projection.name, model: slot.model, position: slot.checkpoint }));
    const events = this.sinceSnapshot;
    this.sinceSnapshot = 0;
    this.lastSnapshotAt = performance.now();
    return { models, events, positions: this.checkpoints() };
  }

  /**
   * Every model with its checkpoint as they are now, in one transaction, serialised in slices while
   * folding goes on. A runner that fails meanwhile writes nothing (its last good snapshot stands).
   */
  private snapshot(): void {
    const { models, events, positions } = this.captured();
    const proceed = () => this.runnerState === 'running';
    this.snapshotting = this.readModels
      .saveInSlices(models, { sliceMs: this.snapshotSliceMs, proceed })
      .then(({ written, busyMs }) => {
        this.nextSnapshotNotBefore = performance.now() + busyMs / this.maxSnapshotShare;
        if (written) this.options.onSnapshot?.({ positions, events, durationMs: busyMs, final: false });
      })
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.snapshotting = undefined));
  }

  /** `stop()`'s snapshot, at once. */
  private finalSnapshot(): void {
    const started = performance.now();
    const { models, events, positions } = this.captured();
    this.readModels.save(models);
    this.options.onSnapshot?.({ positions, events, durationMs: performance.now() - started, final: true });
  }

  /** Idle time: write what was applied since the last snapshot once `snapshotEveryMs` has passed. */
  private onTimer(): void {
    if (this.runnerState !== 'running' || this.stopping || !this.snapshotDue()) return;
    this.snapshot();
  }

  private fail(cause: unknown): void {
    if (this.runnerState !== 'running') return;
    const error = cause instanceof Error ? cause : new Error(String(cause));
    this.runnerState = 'failed';
    this.error = error;
    clearInterval(this.timer);
    void this.subscription?.close().catch(() => undefined);
    this.waiters.rejectAll(error);
    this.options.onError?.(error);
  }
}

function positive(value: number, name: string): number {
  if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  return value;
}

/** The position of the store's last event, undefined when it is empty. */
export async function lastPosition(store: Pick<EventStore, 'readAll'>): Promise<bigint | undefined> {
  for await (const event of store.readAll({ direction: 'backwards', maxCount: 1 })) return event.position;
  return undefined;
}
