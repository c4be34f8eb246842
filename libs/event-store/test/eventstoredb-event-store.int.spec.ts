import { EventStoreDbEventStore } from '@app/event-store';
import { describeEventStoreContract } from './event-store.contract';

// No EventStoreDB server runs on the development and CI machines; the suite runs wherever one is given:
//   EVENTSTORE_CONNECTION_STRING='esdb://127.0.0.1:2113?tls=false' npx jest libs/event-store
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract('EventStoreDB', async () => {
    const store = EventStoreDbEventStore.connect(connectionString);
    return { store, dispose: () => store.close() };
  });
} else {
  console.log('EventStoreDB contract suite skipped: EVENTSTORE_CONNECTION_STRING is not set');
  describe('event store contract: EventStoreDB', () => {
    it.skip('runs only when EVENTSTORE_CONNECTION_STRING names a server', () => undefined);
  });
}
