import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { LotRegistered, instantMs } from '@app/domain';
import type { EventStore, Subscription } from '@app/event-store';
import { LedgerCommands } from './ledger-commands';
import { EVENT_STORE } from '../platform/event-store/event-store.token';
import { CLOCK, Clock } from '../platform/clock.module';

export const LOT_CLOCK_TICK_MS = Symbol('LOT_CLOCK_TICK_MS');

interface Pending {
  depositDeadlineMs: number;
  bidOpeningMs: number;
  depositsClosed: boolean;
  bidsOpened: boolean;
}

const WATCHED = ['LotRegistered', 'DepositsClosed', 'BidsOpened'];
const CONTEXT = { correlationId: 'lot-clock', causationId: 'lot-clock', actor: 'system:lot-clock' };

/**
 * Records "deposits closed" and "bids opened" as events when their time comes, so a replay shows when
 * a lot's bonds became visible. It follows the lot events from the start of the log, so times that
 * passed while the service was down are recorded at the first tick after start.
 */
@Injectable()
export class LotClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LotClock.name);
  private readonly pending = new Map<string, Pending>();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: LedgerCommands,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOT_CLOCK_TICK_MS) private readonly tickMs: number,
  ) {}

  onApplicationBootstrap(): void {
    const subscription = this.store.subscribeToAll({ filter: { eventTypes: WATCHED } });
    this.subscription = subscription;
    void this.follow(subscription);
    this.timer = setInterval(() => void this.tick(), this.tickMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
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
      for await (const event of subscription) {
        const lotId = String(event.data.lotId);
        if (event.type === 'LotRegistered') {
          const terms = event.data as unknown as LotRegistered['data'];
          this.pending.set(lotId, {
            depositDeadlineMs: instantMs(terms.depositDeadline),
            bidOpeningMs: instantMs(terms.bidOpeningTime),
            depositsClosed: false,
            bidsOpened: false,
          });
        }
        const lot = this.pending.get(lotId);
        if (lot && event.type === 'DepositsClosed') lot.depositsClosed = true;
        if (lot && event.type === 'BidsOpened') this.pending.delete(lotId);
      }
    } catch (error) {
      this.logger.error({ msg: 'lot clock stopped following lot events', error: (error as Error).message });
    }
  }

  private async recordDue(): Promise<void> {
    const now = this.clock();
    const nowMs = now.getTime();
    for (const [lotId, lot] of this.pending) {
      const due = (!lot.depositsClosed && nowMs >= lot.depositDeadlineMs) || (!lot.bidsOpened && nowMs >= lot.bidOpeningMs);
      if (!due) continue;
      try {
        await this.commands.recordTimePassed(lotId, now, CONTEXT);
      } catch (error) {
        this.logger.error({ msg: 'could not record a lot transition', lotId, error: (error as Error).message });
      }
    }
  }
}
