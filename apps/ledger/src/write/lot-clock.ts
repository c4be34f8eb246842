import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type LotState, TIME_PASSED_RESTS_ON, isRejection, lotAwaitsTime, lotDecider, lotEvents, nextTimeDueMs } from '@app/domain';
import type { EventStore, Subscription } from '@app/event-store';
import { LedgerCommands } from './ledger-commands';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { CLOCK, type Clock, TIMERS, type Timers } from '../platform/clock.module';

export const LOT_CLOCK_TICK_MS = Symbol('LOT_CLOCK_TICK_MS');

/** The lot events a time-driven decision (RecordTimePassed) rests on, as the domain names them. */
const WATCHED: ReadonlySet<string> = new Set(TIME_PASSED_RESTS_ON);

/**
 * A lot the clock follows, folded from its watched events, and the first instant time records something
 * for it: worked out at the next tick, not per event (it looks at every bond; a busy lot takes many credits a tick).
 */
interface FollowedLot {
  readonly lot: LotState;
  due?: { readonly ms: number | undefined };
}

const CONTEXT = { correlationId: 'lot-clock', causationId: 'lot-clock', actor: 'system:lot-clock' };

/**
 * Records "deposits closed", "bids opened" and overdue refunds (Art. 57) as events when their time
 * comes, so a replay shows when a lot's bonds became visible and when a refund became late. It follows
 * the lot events from the start of the log, so times that passed while the service was down are
 * recorded at the first tick after start. Whether a lot has something due is the lot decider's answer
 * to RecordTimePassed, asked of the lot as the clock folded it, once the lot's next instant
 * (`nextTimeDueMs`) has come. A lot that owes nothing (`lotAwaitsTime`) leaves the clock's memory; an
 * event of it after that (a late credit) brings it back, folded again from its stream.
 */
@Injectable()
export class LotClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LotClock.name);
  /** The lots not yet opened or still owing a bond, folded from their watched events only. */
  private readonly followed = new Map<string, FollowedLot>();
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
        const before = this.followed.get(lotId)?.lot;
        const lot =
          before !== undefined || event.type === 'LotRegistered'
            ? lotDecider.evolve(before ?? lotDecider.initialState, event)
            : await this.foldStream(recorded.streamName, recorded.revision);
        if (lotAwaitsTime(lot)) this.followed.set(lotId, { lot });
        else this.followed.delete(lotId);
      }
    } catch (error) {
      this.logger.error({ msg: 'lot clock stopped following lot events', error: (error as Error).message });
    }
  }

  private async recordDue(): Promise<void> {
    const now = this.clock();
    const command = { type: 'RecordTimePassed', now: now.toISOString() } as const;
    for (const [lotId, followed] of this.followed) {
      const lot = followed.lot;
      followed.due ??= { ms: nextTimeDueMs(lot) };
      if (followed.due.ms === undefined || followed.due.ms > now.getTime()) continue;
      const decision = lotDecider.decide(command, lot);
      if (isRejection(decision) || decision.length === 0) continue;
      try {
        await this.commands.recordTimePassed(lotId, now, CONTEXT);
      } catch (error) {
        this.logger.error({ msg: 'could not record a lot transition', lotId, error: (error as Error).message });
      }
    }
  }

  /** A lot that had left the clock, folded again from its stream's watched events up to `revision`. */
  private async foldStream(streamName: string, revision: bigint): Promise<LotState> {
    let lot: LotState = lotDecider.initialState;
    for await (const recorded of this.store.readStream(streamName, { maxCount: Number(revision) + 1 })) {
      if (WATCHED.has(recorded.type)) lot = lotDecider.evolve(lot, lotEvents.decode(recorded));
    }
    return lot;
  }
}
