import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type LotState, TIME_PASSED_EVENT_TYPES, isRejection, lotDecider, lotEvents } from '@app/domain';
import type { EventStore, Subscription } from '@app/event-store';
import { LedgerCommands } from './ledger-commands';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { CLOCK, type Clock, TIMERS, type Timers } from '../platform/clock.module';

export const LOT_CLOCK_TICK_MS = Symbol('LOT_CLOCK_TICK_MS');

/** The lot events a time-driven decision (RecordTimePassed) depends on: the terms, and what it records. */
const WATCHED = ['LotRegistered', ...TIME_PASSED_EVENT_TYPES];

const CONTEXT = { correlationId: 'lot-clock', causationId: 'lot-clock', actor: 'system:lot-clock' };

/**
 * Records "deposits closed" and "bids opened" as events when their time comes, so a replay shows when
 * a lot's bonds became visible. It follows the lot events from the start of the log, so times that
 * passed while the service was down are recorded at the first tick after start. Whether a lot has
 * something due is the lot decider's answer to RecordTimePassed, asked of the lot as the clock folded it.
 */
@Injectable()
export class LotClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LotClock.name);
  /** The lots whose bids are not open yet, folded from their watched events only. */
  private readonly waiting = new Map<string, LotState>();
  private subscription?: Subscription;
  private stopTicking?: () => void;
  private ticking: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: LedgerCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(TIMERS) private readonly timers: Timers,
    @Inject(LOT_CLOCK_TICK_MS) private readonly tickMs: number,
  ) {}

  onApplicationBootstrap(): void {
    const subscription = this.store.subscribeToAll({ filter: { eventTypes: [...WATCHED] } });
    this.subscription = subscription;
    void this.follow(subscription);
    this.stopTicking = this.timers.every(this.tickMs, () => this.tick());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopTicking?.();
    await this.subscription?.close();
    await this.ticking;
  }

  /** Records every transition due now; one tick at a time. */
  tick(): Promise<void> {
    this.ticking ??= this.recordDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async follow(subscription: Subscription): Promise<void> {
    try {
      for await (const recorded of subscription) {
        const event = lotEvents.decode(recorded);
        const lotId = event.data.lotId;
        if (event.type === 'BidsOpened') {
          this.waiting.delete(lotId);
          continue;
        }
        const lot = this.waiting.get(lotId);
        if (lot === undefined && event.type !== 'LotRegistered') continue;
        this.waiting.set(lotId, lotDecider.evolve(lot ?? lotDecider.initialState, event));
      }
    } catch (error) {
      this.logger.error({ msg: 'lot clock stopped following lot events', error: (error as Error).message });
    }
  }

  private async recordDue(): Promise<void> {
    const now = this.clock();
    const command = { type: 'RecordTimePassed', now: now.toISOString() } as const;
    for (const [lotId, lot] of this.waiting) {
      const decision = lotDecider.decide(command, lot);
      if (isRejection(decision) || decision.length === 0) continue;
      try {
        await this.commands.recordTimePassed(lotId, now, CONTEXT);
      } catch (error) {
        this.logger.error({ msg: 'could not record a lot transition', lotId, error: (error as Error).message });
      }
    }
  }
}
