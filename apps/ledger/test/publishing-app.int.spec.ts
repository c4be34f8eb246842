import { randomUUID } from 'node:crypto';
import { INestApplication, Logger } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import request from 'supertest';
import { ReadModelStore, lastPosition } from '@app/projections/runner';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { EVENT_STORE } from '../src/platform/event-store/event-store.token';
import { createLedgerApp } from '../src/ledger-app';
import { KafkaPublishingService } from '../src/read/publishing/kafka-publishing.service';
import { KafkaPublishingOff } from '../src/read/publishing/publishing.module';
import { bearer } from './support/access-tokens';
import { freePort, within } from './support/ledger-process';
import { metricsText } from './support/metrics-scrape';
import { startEventStoreDbStandIn } from '../../../libs/event-store/test/eventstoredb-stand-in/stand-in-server';
import { openStore, readTopics, tempFolder, testBrokers, testKafka, topicNames } from '../../../libs/messaging/test/support/kafka';

/**
 * The ledger app's wiring of the publisher (apps/ledger/src/read/publishing): off without brokers (no Kafka
 * client at all), on with KAFKA_BROKERS (in a thread of its own: starts after boot, flushes and checkpoints
 * on shutdown, is started again when its thread dies).
 * kafkajs's Kafka class is wrapped only to count the clients made.
 */
jest.mock('kafkajs', () => {
  const actual = jest.requireActual('kafkajs');
  return { ...actual, Kafka: jest.fn().mockImplementation((config: unknown) => new actual.Kafka(config)) };
});
const KafkaClass = Kafka as unknown as jest.Mock;

const TEST_TIMEOUT_MS = 60_000;
let files: ReturnType<typeof tempFolder>;
let app: INestApplication | undefined;

beforeEach(() => {
  files = tempFolder('ledger-publishing-app-');
  KafkaClass.mockClear();
});

afterEach(async () => {
  await app?.close().catch(() => undefined);
  app = undefined;
  jest.restoreAllMocks();
  files.remove();
});

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The app with KAFKA_BROKERS (on the embedded store unless `env` says otherwise), once its publisher runs. */
async function publishingApp(env: Record<string, string> = { LEDGER_DB_PATH: files.path('ledger.db') }): Promise<KafkaPublishingService> {
  app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', READ_MODEL_DB_PATH: files.path('read-models.db'), KAFKA_BROKERS: testBrokers().join(','), ...env }));
  const service = app.get(KafkaPublishingService);
  await waitFor(() => service.publisher?.state === 'running', 30_000, 'the publisher to run');
  return service;
}

const postCenter = () =>
  request(app!.getHttpServer()).post('/v1/tender-centers').set(bearer('operator')).set('Content-Type', 'application/json').send({ centerId: `C-${randomUUID().slice(0, 8)}`, name: 'Center' }).expect(201);

it(
  'is off when no brokers are configured: the app boots and serves, no Kafka client is created',
  async () => {
    const logged = jest.spyOn(Logger.prototype, 'log');
    const readModelDbPath = files.path('read-models.db');
    app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: files.path('ledger.db'), READ_MODEL_DB_PATH: readModelDbPath }));
    await request(app.getHttpServer()).get('/health').expect(200);
    await request(app.getHttpServer()).post('/v1/tender-centers').set(bearer('operator')).set('Content-Type', 'application/json').send({ centerId: 'C1', name: 'Center' }).expect(201);

    expect(KafkaClass).not.toHaveBeenCalled();
    expect(app.get(KafkaPublishingOff)).toBeInstanceOf(KafkaPublishingOff);
    expect(() => app!.get(KafkaPublishingService)).toThrow();
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ msg: expect.stringContaining('kafka publishing off') }));
    await app.close();
    app = undefined;
    // The query side keeps its read models in the file; the publisher wrote nothing there.
    const readModels = ReadModelStore.open({ path: readModelDbPath });
    try {
      expect(readModels.names().filter((name) => name.startsWith('kafka-publisher/'))).toEqual([]);
    } finally {
      readModels.close();
    }
    expect(KafkaClass).not.toHaveBeenCalled();
  },
  TEST_TIMEOUT_MS,
);

it(
  'is on with KAFKA_BROKERS: publishes after boot, and on shutdown sends the rest and saves its checkpoint',
  async () => {
    const run = randomUUID().slice(0, 8);
    const lotId = `APP-${run}`;
    const centerId = `CAPP-${run}`;
    const masterAccountNo = `62170${String(Date.now()).slice(-10)}`;
    const ledgerDbPath = files.path('ledger.db');
    const readModelDbPath = files.path('read-models.db');
    const config = loadLedgerConfig({
      LOG_LEVEL: 'silent',
      LEDGER_DB_PATH: ledgerDbPath,
      READ_MODEL_DB_PATH: readModelDbPath,
      KAFKA_BROKERS: testBrokers().join(','),
    });
    app = await createLedgerApp(config);
    const service = app.get(KafkaPublishingService);
    await waitFor(() => service.publisher?.state === 'running', 30_000, 'the publisher to run');
    // The publisher, its Kafka client included, lives in its own thread: the request thread makes none.
    expect(KafkaClass).not.toHaveBeenCalled();

    const post = (path: string, body: object) =>
      request(app!.getHttpServer())
        .post(path)
        .set(bearer(path === '/v1/inbound-credits' ? 'esb' : 'operator'))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
    await post('/v1/tender-centers', { centerId, name: 'App test center' }).expect(201);
    await post(`/v1/tender-centers/${centerId}/master-accounts`, { bankCode: '102100099996', accountNo: masterAccountNo, accountName: 'Bid bonds' }).expect(201);
    await post('/v1/lots', {
      lotId,
      centerId,
      projectCode: 'PRJ-APP',
      name: 'App lot',
      estimatedPrice: '5000000.00',
      bondAmount: '50000.00',
      depositDeadline: '2099-06-01T09:00:00+08:00',
      bidOpeningTime: '2099-06-01T09:30:00+08:00',
      basicAccountPolicy: 'OFF',
      rateScheduleId: 'PBOC-DEMAND',
    }).expect(201);
    const issued = await post(`/v1/lots/${lotId}/virtual-accounts`, { masterAccountNo }).expect(201);
    const payer = { accountNo: `6222${run.replace(/[^0-9]/g, '7').padEnd(12, '3')}`, name: `Secret Payer ${run}`, bankCode: '103100000026' };
    await post('/v1/inbound-credits', {
      bankRef: `APP${run}`,
      channel: 'HVPS',
      receivedAt: '2026-12-01T10:00:00+08:00',
      valueDate: '2026-12-01',
      amount: '49876.54',
      currency: 'CNY',
      payer,
      payeeAccountNo: issued.body.virtualAccountNo,
    }).expect(201);

    // Shut down right away: the publisher's last batch goes out and its checkpoint is saved.
    await app.close();
    app = undefined;
    const store = openStore(ledgerDbPath);
    const head = await lastPosition(store);
    await store.close();
    const readModels = ReadModelStore.open({ path: readModelDbPath });
    try {
      expect(readModels.names()).toEqual(expect.arrayContaining(['kafka-publisher/balances', 'kafka-publisher/lots']));
      expect(readModels.load('kafka-publisher/balances')!.position).toBe(head);
    } finally {
      readModels.close();
    }

    // The default topics carry this lot, sealed, and this master account's total; not the payer.
    const topics = topicNames();
    const messages = (await readTopics(testKafka(`publishing-app-${run}`), Object.values(topics))).filter((m) =>
      m.value.toString('utf8').includes(run),
    );
    const lot = messages.filter((m) => m.topic === topics.lots && m.key.toString() === lotId).map((m) => JSON.parse(m.value.toString()));
    expect(lot.map((m) => [m.sourceEventType, m.state.status, m.state.sealed])).toEqual([
      ['LotRegistered', 'OPEN', true],
      ['VirtualAccountIssued', 'OPEN', true],
    ]);
    // Keyed by bank and number (ledger.balances.v2); the lot is sealed, so its credit is in no total (docs/topics.md).
    const master = messages.filter((m) => m.topic === topics.balances && m.key.toString() === `master-account:102100099996:${masterAccountNo}`).map((m) => JSON.parse(m.value.toString()));
    expect(master.map((m) => m.sourceEventType)).toEqual(['MasterAccountOpened']);
    expect(master[master.length - 1].state).toMatchObject({ centerId, bankCode: '102100099996', subAccountsBalance: '0.00' });
    expect(messages.filter((m) => m.value.includes(payer.name) || m.value.includes(payer.accountNo))).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);

it(
  'is off with KAFKA_PUBLISHER=off even with brokers (an API replica): no Kafka client, no publisher metrics',
  async () => {
    const logged = jest.spyOn(Logger.prototype, 'log');
    app = await createLedgerApp(
      loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: files.path('ledger.db'), READ_MODEL_DB_PATH: files.path('read-models.db'), KAFKA_BROKERS: testBrokers().join(','), KAFKA_PUBLISHER: 'off' }),
    );
    await request(app.getHttpServer()).post('/v1/tender-centers').set(bearer('operator')).set('Content-Type', 'application/json').send({ centerId: 'C1', name: 'Center' }).expect(201);
    expect(app.get(KafkaPublishingOff)).toBeInstanceOf(KafkaPublishingOff);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ msg: 'kafka publishing off: KAFKA_PUBLISHER=off; another replica publishes' }));
    expect(await metricsText(app)).not.toContain('ledger_kafka_publisher_');
    expect(KafkaClass).not.toHaveBeenCalled();
  },
  TEST_TIMEOUT_MS,
);

it(
  'reports on /metrics that the publisher runs and how far its checkpoint is behind the store',
  async () => {
    const service = await publishingApp();
    const publisherMetrics = async () => (await metricsText(app!)).split('\n').filter((line) => line.startsWith('ledger_kafka_publisher_'));
    await postCenter();
    await service.publisher!.caughtUp();
    expect(await publisherMetrics()).toEqual(['ledger_kafka_publisher_running 1', 'ledger_kafka_publisher_lag_positions 0']);
    expect(service.publisher!.checkpoint).toBe(await lastPosition(app!.get(EVENT_STORE)));
  },
  TEST_TIMEOUT_MS,
);

it(
  'starts its thread again when it dies, and the new publisher goes on from the saved checkpoint',
  async () => {
    const service = await publishingApp();
    await postCenter();
    await service.publisher!.caughtUp();
    const before = service.publisher!.checkpoint!;

    await (service as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(service.publisher).toBeUndefined();
    await postCenter();
    await waitFor(() => service.publisher?.state === 'running', 30_000, 'the publisher to run again');
    await service.publisher!.caughtUp();
    const head = await lastPosition(app!.get(EVENT_STORE));
    expect(head).toBeGreaterThan(before);
    expect(service.publisher!.checkpoint).toBe(head);
  },
  TEST_TIMEOUT_MS,
);

it(
  'on EventStoreDB (the wire-level stand-in), its thread follows the store through a client of its own',
  async () => {
    const standIn = await startEventStoreDbStandIn();
    try {
      const service = await publishingApp({ EVENTSTORE_CONNECTION_STRING: standIn.connectionString });
      await postCenter();
      // A thread cannot use the request thread's client: the publisher read the node through its own.
      await service.publisher!.caughtUp();
      expect(service.publisher!.checkpoint).toBe(await lastPosition(app!.get(EVENT_STORE)));
      await app!.close();
      app = undefined;
    } finally {
      await standIn.close();
    }
  },
  TEST_TIMEOUT_MS,
);

it(
  'serves while Kafka cannot be reached, and shuts down without waiting out the Kafka client\'s retries',
  async () => {
    const nobody = `127.0.0.1:${await freePort()}`; // nothing listens there
    app = await createLedgerApp(
      loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: files.path('ledger.db'), READ_MODEL_DB_PATH: files.path('read-models.db'), KAFKA_BROKERS: nobody }),
    );
    await postCenter();
    expect(app.get(KafkaPublishingService).publisher?.state).not.toBe('running');
    // The thread's first start is still retrying (kafkajs gives up after ~10 s): the stop must not wait for it.
    const closing = app.close();
    app = undefined;
    await within(closing, 5_000, 'the app to close');
  },
  TEST_TIMEOUT_MS,
);
