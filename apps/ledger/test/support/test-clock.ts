import { setImmediate as nextMacrotask } from 'node:timers/promises';
import type { Clock, Timers } from '../../src/platform/clock.module';

/**
 * The service's clock seam (CLOCK and TIMERS) under the test's control: time stands still until the test
 * moves it, and each move ends with one run of every repeating task (the lot clock's tick), awaited, as
 * if a period ended exactly at the new instant. So what the lot clock records at an instant is in the
 * store when `advanceTo` resolves, and no test waits for wall time or knows the production period.
 */
export class TestClock implements Timers {
  private nowMs: number;
  private readonly repeating = new Set<() => Promise<void>>();

  constructor(start: Date | number | string) {
    this.nowMs = msOf(start);
  }

  /** CLOCK's reading. */
  readonly now: Clock = () => new Date(this.nowMs);

  every(_periodMs: number, task: () => Promise<void>): () => void {
    // A new function per call: the same task armed twice is two timers, each cancelled on its own.
    const run = () => task();
    this.repeating.add(run);
    return () => this.repeating.delete(run);
  }

  /**
   * Moves time forward to `instant`, then runs the repeating tasks in the order they were armed. First it
   * lets the process deliver what is already appended to its subscriptions: the lot clock learns of a lot
   * registered a moment ago through one.
   */
  async advanceTo(instant: Date | number | string): Promise<void> {
    const target = msOf(instant);
    if (target < this.nowMs) throw new Error(`the test clock does not go back: ${new Date(target).toISOString()} < ${this.now().toISOString()}`);
    this.nowMs = target;
    await nextMacrotask();
    for (const run of [...this.repeating]) await run();
  }

  advanceBy(ms: number): Promise<void> {
    return this.advanceTo(this.nowMs + ms);
  }
}

function msOf(instant: Date | number | string): number {
  const ms = typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(instant)}`);
  return ms;
}
