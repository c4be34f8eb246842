import { Global, Module } from '@nestjs/common';

/** The time source of the service; time-driven decisions receive its readings as command facts. */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;

/**
 * When time-driven work runs (the lot clock's ticks): the other half of the clock seam, so that a test
 * that moves CLOCK's time also decides when that work runs, instead of waiting for wall time.
 */
export const TIMERS = Symbol('TIMERS');
export interface Timers {
  /** Runs `task` every `periodMs` until the returned function is called. */
  every(periodMs: number, task: () => Promise<void>): () => void;
}

/** Wall time and Node's timers: what the service runs on. */
export const wallClock: Clock = () => new Date();
export const nodeTimers: Timers = {
  every(periodMs, task) {
    const timer = setInterval(() => void task(), periodMs);
    return () => clearInterval(timer);
  },
};

/** The service's one time source, for the write side (lot clock, life cycle) and the queries ("today"). */
@Global()
@Module({
  providers: [
    { provide: CLOCK, useValue: wallClock },
    { provide: TIMERS, useValue: nodeTimers },
  ],
  exports: [CLOCK, TIMERS],
})
export class ClockModule {}
