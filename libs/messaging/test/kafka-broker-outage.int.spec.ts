import type { SqliteEventStore } from '@app/event-store';
import { ReadModelStore, lastPosition } from '@app/projections/runner';
import type { Kafka } from 'kafkajs';
import { createKafkaClient } from '../src/kafka-client';
import { KafkaPublisher } from '../src/kafka-publisher';
import { appendLog, buildLongHistory } from './support/histories';
import { decode, openStore, readTopics, tempFolder, topicNames, uniquePrefix } from './support/kafka';
import { OwnBroker } from './support/own-broker';
import { expectTopicsToMatchLog } from './support/published-log';

/**
 * The broker goes away while the publisher runs, twice: first stopped cleanly, then killed (SIGKILL),
 * each time started again on the same port and data (tools/kafka/broker.sh halt / resume). Events are
 * appended before, during and after each outage. The publisher is never restarted or told anything:
 * it must keep running, catch up by itself once the broker is back, and leave topics that hold every
 * entity's state as a rebuild from the log derives it, with nothing lost.
 */
const TEST_TIMEOUT_MS = 180_000;
const CATCH_UP_MS = 60_000;
const history = buildLongHistory(16, 6);
const cut = (share: number) => Math.floor(history.length * share);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let broker: OwnBroker | undefined;
let files: ReturnType<typeof tempFolder>;
let store: SqliteEventStore;
let readModels: ReadModelStore;
let kafka: Kafka;
let publisher: KafkaPublisher | undefined;
const kafkaErrors: string[] = [];

beforeAll(async () => {
  broker = await OwnBroker.start();
  files = tempFolder('ledger-broker-outage-');
  store = openStore(files.path('events.db'));
  readModels = ReadModelStore.open({ path: files.path('read-models.db') });
  // kafkajs's complaints while the broker is away are expected: collected, not printed.
  const collect = (entry: Record<string, unknown>) => void kafkaErrors.push(String(entry.msg));
  kafka = createKafkaClient({ brokers: [broker.brokers], clientId: 'publisher-outage', logSink: { warn: collect, error: collect } });
}, 150_000);

afterAll(async () => {
  await publisher?.stop();
  readModels?.close();
  await store?.close();
  files?.remove();
  await broker?.stop();
}, 60_000);

it(
  'keeps publishing through a stopped and a killed broker, catches up by itself and loses nothing',
  async () => {
    const prefix = uniquePrefix('outage');
    const topics = topicNames(prefix);
    const warnings: string[] = [];
    const failures: Error[] = [];
    const running = (publisher = new KafkaPublisher({
      store,
      readModels,
      kafka,
      topicPrefix: prefix,
      maxBatchEvents: 20,
      maxBatchMs: 20,
      logger: { log: () => undefined, warn: (entry) => void warnings.push(String(entry.msg)), error: (entry) => void warnings.push(String(entry.msg)) },
      onError: (error) => void failures.push(error),
    }));
    let appended = 0;
    /** Appends the history up to `share` a few events at a time, as a live ledger would. */
    const appendUpTo = async (share: number) => {
      while (appended < cut(share)) {
        const next = Math.min(appended + 7, cut(share));
        await appendLog(store, history.slice(appended, next));
        appended = next;
        await sleep(5);
      }
    };
    /** The store's head is past what Kafka acknowledged: the events of the outage wait for the broker. */
    const expectBehind = async () => expect(running.checkpoint! < (await lastPosition(store))!).toBe(true);

    await appendUpTo(0.2);
    await running.start();
    await appendUpTo(0.35);
    await running.caughtUp(CATCH_UP_MS);

    // Outage 1: the broker is stopped cleanly in the middle of live appends.
    const outages: { from: bigint; to: bigint }[] = [];
    const outageFrom = (await lastPosition(store))!;
    const stopping = broker!.halt('graceful');
    await appendUpTo(0.45);
    await stopping;
    await appendUpTo(0.6);
    await sleep(1_000); // long enough for the producer to try and fail
    await expectBehind();
    expect(running.state).toBe('running');
    outages.push({ from: outageFrom, to: (await lastPosition(store))! });
    const resuming = broker!.resume();
    await appendUpTo(0.65);
    await resuming;
    await appendUpTo(0.75);
    await running.caughtUp(CATCH_UP_MS);

    // Outage 2: the broker is killed (SIGKILL) in the middle of live appends.
    const killFrom = (await lastPosition(store))!;
    const killing = broker!.halt('kill');
    await appendUpTo(0.8);
    await killing;
    await appendUpTo(0.9);
    await sleep(1_000);
    await expectBehind();
    expect(running.state).toBe('running');
    outages.push({ from: killFrom, to: (await lastPosition(store))! });
    await broker!.resume();
    await appendUpTo(1);
    await running.caughtUp(CATCH_UP_MS);

    // It caught up by itself: never failed, never restarted, still the same running running.
    expect(failures).toEqual([]);
    expect(running.state).toBe('running');
    expect(running.checkpoint).toBe(await lastPosition(store));
    expect(kafkaErrors.length).toBeGreaterThan(0); // the outages were seen by the client
    await running.stop();

    const received = decode(await readTopics(kafka, Object.values(topics), 30_000));
    const { expected } = await expectTopicsToMatchLog(received, store, topics);
    // Events appended while the broker was away had messages to publish, and they are there (above).
    for (const { from, to } of outages) expect(expected.filter((message) => message.position > from && message.position <= to).length).toBeGreaterThan(0);
    expect(warnings.filter((message) => !message.includes('not acknowledged; retrying'))).toEqual([]);
  },
  TEST_TIMEOUT_MS,
);
