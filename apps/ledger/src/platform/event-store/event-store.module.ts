import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { EventStore, EventStoreConfig, openEventStore } from '@app/event-store';
import { describeEventStore } from './describe-event-store';
import { EVENT_STORE } from './event-store.token';

/**
 * Opens the one event store of the process and provides it under EVENT_STORE. Global, because every
 * feature module of the ledger reads or writes events.
 */
@Global()
@Module({})
export class EventStoreModule implements OnApplicationShutdown {
  private static readonly logger = new Logger(EventStoreModule.name);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: EventStoreConfig): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore => {
            const store = openEventStore(config);
            EventStoreModule.logger.log({ msg: 'using event store', store: describeEventStore(config) });
            return store;
          },
        },
      ],
      exports: [EVENT_STORE],
    };
  }

  /** The last shutdown step, after the HTTP server stopped taking requests that could still need the store. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    EventStoreModule.logger.log({ msg: 'event store closed', store: { kind: this.store.kind } });
  }
}
