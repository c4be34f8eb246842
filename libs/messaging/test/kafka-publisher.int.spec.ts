import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { ReadModelStore, lastPosition } from '@app/projections/runner';
import { at } from '../../event-store/test/event-store.contract';
import type { SqliteEventStore } from '@app/event-store';
import { KafkaPublisher, type KafkaPublisherOptions, PublisherAheadOfStoreError } from '../src/kafka-publisher';
import type { PublishedLot } from '../src/published-state';
import type { RefundInstruction } from '../src/refund-instructions.projection';
import { BANK_A, BANK_B, SEALED_BIDDERS, SHARED_NUMBER, appendLog, buildSealedLotHistory, buildSharedNumberHistory } from './support/histories';
import {
  type Decoded,
  type RawMessage,
  TOPIC_KINDS,
  byKey,
  decode,
  deleteTopics,
  expectedMessages,
  finalStates,
  openStore,
  readTopics,
  tempFolder,
  testKafka,
  topicNames,
  uniquePrefix,
} from './support/kafka';

/**
 * The publisher against the real broker (tools/kafka, started by jest's globalSetup), on a SQLite
 * event store in a temp folder filled with a history made by the real deciders.
 */
const TEST_TIMEOUT_MS = 90_000;
const history = buildSealedLotHistory();

let files: ReturnType<typeof tempFolder>;
let store: SqliteEventStore;
let readModels: ReadModelStore;
let kafka: Kafka;
let prefix: string;
let publishers: KafkaPublisher[];

beforeEach(() => {
  files = tempFolder('ledger-messaging-');
  store = openStore(files.path('events.db'));
  readModels = ReadModelStore.open({ path: files.path('read-models.db') });
  kafka = testKafka(`publisher-int-${process.pid}`);
  prefix = uniquePrefix(expect.getState().currentTestName?.split(' ').slice(-1)[0]?.replace(/[^a-z]/gi, '') ?? 'test');
  publishers = [];
});

afterEach(async () => {
  for (const publisher of publishers) await publisher.stop().catch(() => undefined);
  await deleteTopics(kafka, topicNames(prefix));
  await store.close();
  readModels.close();
  files.remove();
});

function publisher(options: Partial<KafkaPublisherOptions> = {}): KafkaPublisher {
  const created = new KafkaPublisher({ store, readModels, kafka, topicPrefix: prefix, maxBatchEvents: 7, maxBatchMs: 20, ...options });
  publishers.push(created);
  return created;
}

const topics = () => topicNames(prefix);
const readAll = async () => readTopics(kafka, Object.values(topics()));
const stateOf = <S>(message: Decoded) => message.envelope.state as S;

describe('KafkaPublisher', () => {
  it(
    "publishes a lot's life cycle: the expected messages in order per key; a clean stop and restart re-sends nothing",
    async () => {
      const half = history.beforeOpening - 12;
      await appendLog(store, history.log.slice(0, half));
      const first = publisher();
      await first.start();
      await first.caughtUp();
      await first.stop();
      expect(readModels.names()).toEqual(first.modelRowNames().sort());

      await appendLog(store, history.log.slice(half));
      const second = publisher();
      await second.start();
      await second.caughtUp();
      await second.stop();

      const received = decode(await readAll());
      const { messages: expected, models } = await expectedMessages(store, topics());

      // Exactly the expected messages, each once, in order per key (the clean stop saved its checkpoint).
      const receivedByKey = byKey(received);
      const expectedByKey = byKey(expected);
      expect([...receivedByKey.keys()].sort()).toEqual([...expectedByKey.keys()].sort());
      for (const [id, list] of expectedByKey) {
        expect({ id, values: receivedByKey.get(id)!.map((m) => m.value) }).toEqual({ id, values: list.map((m) => m.value) });
        expect(new Set(receivedByKey.get(id)!.map((m) => m.partition)).size).toBe(1);
      }
      // The last message of every key is the entity's state after the whole log.
      const final = finalStates(models, topics());
      for (const [id, list] of receivedByKey) expect(JSON.stringify(at(list, -1).envelope.state)).toBe(JSON.stringify(JSON.parse(final.get(id)!)));

      // By hand: lot S1, sealed until opening.
      const lot = receivedByKey.get(`${topics().lots} S1`)!;
      expect(lot.map((m) => [m.envelope.sourceEventType, stateOf<PublishedLot>(m).status, stateOf<PublishedLot>(m).sealed])).toEqual([
        ['LotRegistered', 'OPEN', true],
        ['VirtualAccountIssued', 'OPEN', true],
        ['DepositsClosed', 'DEPOSITS_CLOSED', true],
        ['BidsOpened', 'BIDS_OPENED', false],
        ['LotAwarded', 'AWARDED', false],
        ['RefundInstructed', 'REFUNDING', false],
        ['RefundSettled', 'SETTLED', false],
      ]);
      const positions = lot.map((m) => m.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);

      // A bond from opening on: x won, y's refund failed once and was retried, u was refunded before opening.
      const bond = (tag: keyof typeof history.bondIds) =>
        receivedByKey.get(`${topics().bonds} ${history.bondIds[tag]}`)!.map((m) => [m.envelope.sourceEventType, (m.envelope.state as { status: string }).status]);
      expect(bond('x')).toEqual([
        ['BidsOpened', 'HELD'],
        ['LotAwarded', 'REFUND_DUE'],
        ['RefundInstructed', 'REFUND_PENDING'],
        ['RefundSettled', 'REFUNDED'],
      ]);
      expect(bond('y')).toEqual([
        ['BidsOpened', 'HELD'],
        ['LotAwarded', 'REFUND_DUE'],
        ['RefundInstructed', 'REFUND_PENDING'],
        ['RefundFailed', 'REFUND_DUE'],
        ['RefundInstructed', 'REFUND_PENDING'],
        ['RefundSettled', 'REFUNDED'],
      ]);
      expect(bond('u')).toEqual([['BidsOpened', 'REFUNDED']]);
      expect(bond('w')).toEqual([
        ['BidsOpened', 'HELD'],
        ['LotAwarded', 'REFUND_DUE'],
      ]);
      // y's own virtual account: appears at opening, emptied by the refund, refilled by its failure, emptied again.
      const perBidder = receivedByKey.get(`${topics().balances} virtual:${history.perBidderAccount}`)!;
      expect(perBidder.map((m) => [m.envelope.sourceEventType, (m.envelope.state as { balance: string }).balance])).toEqual([
        ['BidsOpened', '-79001.11'],
        ['RefundInstructed', '0.00'],
        ['RefundFailed', '-79001.11'],
        ['RefundInstructed', '0.00'],
      ]);
      // The ESB's instruction for u went out before opening; its settlement followed.
      const u = SEALED_BIDDERS.find((b) => b.tag === 'u')!;
      const esb = received.filter((m) => m.topic === topics().refundInstructions && stateOf<RefundInstruction>(m).payTo.accountNo === u.payer.accountNo);
      expect(esb.map((m) => [m.envelope.sourceEventType, stateOf<RefundInstruction>(m).status])).toEqual([
        ['RefundInstructed', 'INSTRUCTED'],
        ['RefundSettled', 'SETTLED'],
      ]);
      expect(at(esb, 0).position).toBeLessThan(at(lot, 3).position);
      expect(stateOf<RefundInstruction>(at(esb, 0))).toMatchObject({ payTo: u.payer, currency: 'CNY', principal: '80999.99', payFromBankCode: '102100099996' });

      // The wire: key = entity id, envelope version 1, routing headers, compacted topics of 3 partitions.
      const raw = await readAll();
      for (const message of raw) {
        const envelope = JSON.parse(message.value.toString('utf8')) as { key: string; schemaVersion: number; entity: string };
        expect(message.key.toString('utf8')).toBe(envelope.key);
        expect(envelope.schemaVersion).toBe(1);
        expect(message.headers['schema-version']?.toString()).toBe('1');
        expect(message.headers.entity?.toString()).toBe(envelope.entity);
      }
      const admin = kafka.admin();
      await admin.connect();
      try {
        const described = await admin.describeConfigs({
          resources: Object.values(topics()).map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
          includeSynonyms: false,
        });
        for (const resource of described.resources) expect(resource.configEntries[0]).toMatchObject({ configName: 'cleanup.policy', configValue: 'compact' });
        const metadata = await admin.fetchTopicMetadata({ topics: Object.values(topics()) });
        for (const topic of metadata.topics) expect(topic.partitions).toHaveLength(3);
      } finally {
        await admin.disconnect();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keys master accounts by bank and number on ledger.balances.v2: one number at two banks is two keys, each with its own total',
    async () => {
      const shared = buildSharedNumberHistory();
      await appendLog(store, shared.log);
      const running = publisher();
      await running.start();
      await running.caughtUp();
      await running.stop();

      expect(topics().balances).toBe(`${prefix}balances.v2`);
      const received = decode(await readTopics(kafka, [topics().balances]));
      const masters = byKey(received.filter((m) => m.envelope.entity === 'master-account'));
      const keyOf = (bankCode: string) => `master-account:${bankCode}:${SHARED_NUMBER}`;
      expect([...masters.keys()].sort()).toEqual([BANK_A, BANK_B].map((bank) => `${topics().balances} ${keyOf(bank)}`).sort());
      for (const bankCode of [BANK_A, BANK_B]) {
        const list = masters.get(`${topics().balances} ${keyOf(bankCode)}`)!;
        // Every message of the key: its own bank's account, the key on the wire and in the envelope alike.
        for (const message of list) {
          expect(message.envelope.key).toBe(keyOf(bankCode));
          expect(message.envelope.state).toMatchObject({ accountNo: SHARED_NUMBER, bankCode, centerId: shared.centers[bankCode] });
        }
        expect(new Set(list.map((m) => m.partition)).size).toBe(1);
        expect(at(list, -1).envelope.state).toMatchObject({ subAccountsBalance: shared.totals[bankCode] });
      }
      // Exactly what the pure fold derives, message for message.
      const { messages: expected } = await expectedMessages(store, topics());
      expect(received.map((m) => `${m.key} ${m.value}`).sort()).toEqual(expected.filter((m) => m.topic === topics().balances).map((m) => `${m.key} ${m.value}`).sort());
      // Nothing under the number alone (v1's key).
      expect(received.filter((m) => m.key === `master-account:${SHARED_NUMBER}`)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'puts nothing confidential on any topic before opening: every byte of every topic scanned',
    async () => {
      await appendLog(store, history.log.slice(0, history.beforeOpening));
      const running = publisher();
      await running.start();
      await running.caughtUp();

      const u = SEALED_BIDDERS.find((b) => b.tag === 'u')!;
      const secretsOf = (bidders: typeof SEALED_BIDDERS) =>
        bidders.flatMap((b) => [
          ...(b.bidderId === undefined ? [] : [b.bidderId]),
          b.payer.accountNo,
          b.payer.name,
          ...b.amounts,
          ...(b.principal === '0.00' ? [] : [b.principal]),
          history.bondIds[b.tag],
        ]);
      const allSecrets = [...new Set([...secretsOf(SEALED_BIDDERS), history.perBidderAccount])];
      const notForTheEsb = [...secretsOf(SEALED_BIDDERS.filter((b) => b !== u)), history.perBidderAccount, u.bidderId!, history.bondIds.u, ...SEALED_BIDDERS.map((b) => b.bidderId ?? 'bidder-')];
      const found = (messages: readonly RawMessage[], secrets: readonly string[]) =>
        secrets
          .map((secret) => ({
            secret,
            in: messages
              .filter((m) => [m.key, m.value, ...Object.keys(m.headers).map((h) => Buffer.from(h)), ...Object.values(m.headers)].some((bytes) => bytes.includes(Buffer.from(secret, 'utf8'))))
              .map((m) => `${m.topic}#${m.offset}`),
          }))
          .filter((hit) => hit.in.length > 0);

      const before = await readAll();
      const reporting = before.filter((m) => m.topic !== topics().refundInstructions);
      const esb = before.filter((m) => m.topic === topics().refundInstructions);
      // The publisher did publish meanwhile (lot P1 is open: its bonds, refunds, accounts; bank totals).
      for (const kind of TOPIC_KINDS) expect({ kind, count: before.filter((m) => m.topic === topics()[kind]).length > 0 }).toEqual({ kind, count: true });
      expect(reporting.length).toBeGreaterThan(20);

      expect(found(reporting, allSecrets)).toEqual([]);
      expect(found(esb, notForTheEsb)).toEqual([]);
      // The ESB topic has P1's two refunds and u's, nothing else of S1.
      const esbStates = decode(esb).map((m) => stateOf<RefundInstruction>(m));
      expect(esbStates.filter((s) => s.lotId === 'S1').map((s) => [s.payTo.accountNo, s.status])).toEqual([
        [u.payer.accountNo, 'INSTRUCTED'],
        [u.payer.accountNo, 'SETTLED'],
      ]);
      // How many paid: S1 shows only as three messages of its lot key, whatever happened in it.
      const s1 = decode(reporting).filter((m) => m.key === 'S1' || m.key.endsWith('-S1'));
      expect(s1.map((m) => [m.topic, m.envelope.sourceEventType])).toEqual([
        [topics().lots, 'LotRegistered'],
        [topics().lots, 'VirtualAccountIssued'],
        [topics().lots, 'DepositsClosed'],
      ]);
      expect(decode(reporting).filter((m) => m.key.startsWith('virtual:') && (m.envelope.state as { lotId: string }).lotId === 'S1')).toEqual([]);

      // The check can see secrets: after opening, the same scan finds each of them (but w's reversed
      // credit: a bond shows the tranches it holds, and the bank took that one back).
      await appendLog(store, history.log.slice(history.beforeOpening));
      await running.caughtUp();
      const after = (await readAll()).filter((m) => m.topic !== topics().refundInstructions);
      const reversed = SEALED_BIDDERS.find((b) => b.tag === 'w')!.amounts;
      expect(found(after, allSecrets).map((hit) => hit.secret).sort()).toEqual(allSecrets.filter((s) => !reversed.includes(s)).sort());
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends an event of a quiet ledger at once, not after the batch timer, and batches what arrives while a batch is in flight',
    async () => {
      // Up to the opening: the events after it publish (before it, a bidder's credit publishes nothing, and
      // a batch without messages is never in flight).
      const opening = history.beforeOpening;
      await appendLog(store, history.log.slice(0, opening));
      const batches: Array<{ events: number; messages: number }> = [];
      const running = publisher({ maxBatchMs: 60_000, maxBatchEvents: 500, onBatchSent: (batch) => batches.push(batch) });
      await running.start();
      await running.caughtUp(10_000);
      batches.length = 0;

      // One event on a quiet ledger: checkpointed long before the 60 s timer (caughtUp gives up at 10 s).
      await appendLog(store, history.log.slice(opening, opening + 1));
      await running.caughtUp(10_000);
      expect(batches.map((batch) => batch.events)).toEqual([1]);

      // Kafka held until every event is folded: what is appended while a batch is in flight goes in one
      // batch right after it, not after the 60 s timer. (Held by the test, not by a delay: with a fixed
      // delay, appends slower than it on a loaded machine made more batches.)
      const producer = (running as unknown as { producer: { sendBatch: (...args: unknown[]) => Promise<unknown> } }).producer;
      const send = producer.sendBatch.bind(producer);
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      producer.sendBatch = async (...args) => {
        await released;
        return send(...args);
      };
      batches.length = 0;
      const six = history.log.slice(opening + 1, opening + 7);
      expect(six).toHaveLength(6);
      for (const event of six) await appendLog(store, [event]);
      const head = await lastPosition(store);
      const folded = () => (running as unknown as { folded: bigint | undefined }).folded;
      while (folded() !== head && running.state === 'running') await new Promise((resolve) => setImmediate(resolve));
      release();
      await running.caughtUp(10_000);
      // Six events in at most two batches: the first, sent at once (with the second event if it was
      // folded before the send) and held, then all the others together as soon as Kafka answered.
      expect(batches[0]!.messages).toBeGreaterThan(0);
      expect(batches.reduce((sum, batch) => sum + batch.events, 0)).toBe(6);
      expect(batches.length).toBeLessThanOrEqual(2);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses a checkpoint beyond the end of the event store (read models of another store)',
    async () => {
      await appendLog(store, history.log.slice(0, 10));
      const running = publisher();
      await running.start();
      await running.caughtUp();
      await running.stop();
      const other = openStore(files.path('other-events.db'));
      try {
        await appendLog(other, history.log.slice(0, 5));
        const wrong = new KafkaPublisher({ store: other, readModels, kafka, topicPrefix: prefix });
        publishers.push(wrong);
        await expect(wrong.start()).rejects.toThrow(PublisherAheadOfStoreError);
        expect(wrong.state).toBe('stopped');
      } finally {
        await other.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'is at least once without Kafka acknowledging: stop() gives up on an unacknowledged batch and does not save it',
    async () => {
      await appendLog(store, history.log.slice(0, 20));
      const running = publisher({ stopTimeoutMs: 1_000 });
      await running.start();
      await running.caughtUp();
      const checkpoint = running.checkpoint!;
      // Kafka "stops acknowledging": every produce request fails from here.
      const producer = (running as unknown as { producer: { sendBatch: () => Promise<never> } }).producer;
      producer.sendBatch = () => Promise.reject(new Error('broker unreachable (simulated)'));
      await appendLog(store, history.log.slice(20, 30));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const started = Date.now();
      await running.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(readModels.load(at(running.modelRowNames(), 0))!.position).toBe(checkpoint);

      // The next publisher resumes after the saved checkpoint: the lost batch is sent then.
      const next = publisher();
      await next.start();
      await next.caughtUp();
      await next.stop();
      const { messages: expected } = await expectedMessages(store, topics());
      const received = decode(await readAll());
      expect(received.map((m) => m.value).sort()).toEqual(expected.map((m) => m.value).sort());
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'saves its checkpoint at most every checkpointEveryMs while batches follow each other, at once for a caller waiting on it, and on stop',
    async () => {
      const sent: bigint[] = [];
      const saved: bigint[] = [];
      const running = publisher({ checkpointEveryMs: 60_000, onBatchSent: (batch) => sent.push(batch.toPosition), onCheckpoint: (batch) => saved.push(batch.toPosition) });
      await running.start();
      const half = history.beforeOpening;
      await appendLog(store, history.log.slice(0, half));
      // Batches of 7 events follow each other; within the minute only the first batch is saved.
      while (sent.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(saved.length).toBeLessThanOrEqual(1);
      expect(running.checkpoint === undefined || running.checkpoint < sent.at(-1)!).toBe(true);

      await running.caughtUp();
      const head = await store.readAll({ direction: 'backwards', maxCount: 1 }).next();
      expect(running.checkpoint).toBe(head.value!.position);
      expect(saved.length).toBeLessThan(sent.length);

      await appendLog(store, history.log.slice(half));
      const last = (await store.readAll({ direction: 'backwards', maxCount: 1 }).next()).value!.position;
      while (sent.at(-1) !== last) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(running.checkpoint).toBeLessThan(last);
      await running.stop();
      // The clean stop saved the last acknowledged batch: a restart re-sends nothing.
      expect(saved.at(-1)).toBe(last);
      const restarted = publisher();
      await restarted.start();
      expect(restarted.checkpoint).toBe(last);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'saves periodic checkpoints in slices, and a caller waiting meanwhile gets the checkpoint once that save is done',
    async () => {
      // The first save in slices is held until the whole log is acknowledged and a caller waits.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const saveInSlices = readModels.saveInSlices.bind(readModels);
      const inSlices = jest.spyOn(readModels, 'saveInSlices').mockImplementationOnce(async (entries, options) => {
        await held;
        return saveInSlices(entries, options);
      });
      const sent: bigint[] = [];
      const saved: bigint[] = [];
      const running = publisher({ checkpointEveryMs: 1, onBatchSent: (batch) => sent.push(batch.toPosition), onCheckpoint: (batch) => saved.push(batch.toPosition) });
      await running.start();
      await appendLog(store, history.log);
      const head = (await store.readAll({ direction: 'backwards', maxCount: 1 }).next()).value!.position;
      while (sent.at(-1) !== head) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(inSlices).toHaveBeenCalledTimes(1);
      const waited = running.caughtUp(10_000);
      release();
      await waited;
      expect(running.checkpoint).toBe(head);
      expect(saved.at(-1)).toBe(head);
      await running.stop();
      const restarted = publisher();
      await restarted.start();
      expect(restarted.checkpoint).toBe(head);
    },
    TEST_TIMEOUT_MS,
  );
});
