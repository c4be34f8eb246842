import type { Kafka } from 'kafkajs';
import { PBOC_DEMAND_SCHEDULE, bondIdFor } from '@app/domain';
import type { SqliteEventStore } from '@app/event-store';
import { ReadModelStore } from '@app/projections/runner';
import { LedgerHarness } from '../../projections/test/ledger-harness';
import { ALICE, BANK_A, CENTER, L1_TERMS, M1, PREFIX_A } from '../../projections/test/scenario';
import { KafkaPublisher } from '../src/kafka-publisher';
import { appendLog } from './support/histories';
import { decode, deleteTopics, openStore, readTopics, tempFolder, testKafka, topicNames, uniquePrefix } from './support/kafka';

/**
 * Art. 57 (issue #14, item 7): a RefundOverdue reaches the refunds topic of the real broker (tools/kafka)
 * as an `overdue-refund` message keyed by the bond.
 */
describe('KafkaPublisher: overdue refunds', () => {
  let files: ReturnType<typeof tempFolder>;
  let store: SqliteEventStore;
  let readModels: ReadModelStore;
  let kafka: Kafka;
  const prefix = uniquePrefix('overdue');

  beforeAll(() => {
    files = tempFolder('ledger-overdue-');
    store = openStore(files.path('events.db'));
    readModels = ReadModelStore.open({ path: files.path('read-models.db') });
    kafka = testKafka(`overdue-int-${process.pid}`);
  });

  afterAll(async () => {
    await deleteTopics(kafka, topicNames(prefix));
    await store.close();
    readModels.close();
    files.remove();
  });

  it('publishes the overdue refund on the refunds topic, keyed by its bond', async () => {
    const h = new LedgerHarness(BANK_A);
    h.registerCenter(CENTER);
    h.openMasterAccount(CENTER, BANK_A, M1, PREFIX_A);
    h.defineSchedule(PBOC_DEMAND_SCHEDULE);
    h.declareBasicAccount('alice', ALICE);
    h.registerLot(L1_TERMS);
    const va = h.issueVirtualAccount('L1', M1);
    h.receive({ bankRef: 'A001', receivedAt: '2026-12-01T10:00:00+08:00', valueDate: '2026-12-01', amount: '50000.00', payer: ALICE, payeeAccountNo: va });
    h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-10T09:31:00+08:00' });
    h.lot('L1', { type: 'AwardLot', winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T15:00:00+08:00' });
    h.lot('L1', { type: 'RecordTimePassed', now: '2026-12-26T00:00:01+08:00' });
    await appendLog(store, h.log);

    const publisher = new KafkaPublisher({ store, readModels, kafka, topicPrefix: prefix, maxBatchEvents: 7, maxBatchMs: 20 });
    await publisher.start();
    await publisher.caughtUp();
    await publisher.stop();

    const bond = bondIdFor('L1', 'alice', ALICE.bankCode, ALICE.accountNo);
    const messages = decode(await readTopics(kafka, [topicNames(prefix).refunds])).filter((message) => message.key === bond);
    expect(messages.map((message) => message.envelope)).toEqual([
      expect.objectContaining({
        entity: 'overdue-refund',
        key: bond,
        sourceEventType: 'RefundOverdue',
        state: expect.objectContaining({ lotId: 'L1', bondId: bond, refundDueBy: '2026-12-25', bondStatus: 'REFUND_DUE', open: true }),
      }),
    ]);
  }, 90_000);
});
