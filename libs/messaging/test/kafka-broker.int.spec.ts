import { randomUUID } from 'node:crypto';
import { at } from '../../event-store/test/event-store.contract';

import {
  Admin,
  Consumer,
  ConfigResourceTypes,
  Kafka,
  logCreator,
  logLevel,
  Partitioners,
  Producer,
} from 'kafkajs';

/**
 * Proves that kafkajs 2.2.4 works against the pinned Apache Kafka broker (tools/kafka/pom.xml), started
 * by tools/kafka/jest-global-setup.ts or given with KAFKA_BROKERS: admin (create a compacted topic,
 * describe its config, list offsets, fetch committed offsets, delete), an idempotent producer with keyed
 * messages, and a consumer group that reads them back in order per key and commits its offsets.
 */
const BROKERS = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter((b) => b.length > 0);

const PARTITIONS = 3;
const KEYS = ['lot-A', 'lot-B', 'lot-C', 'lot-D'] as const;
const MESSAGES_PER_KEY = 5;
const CONSUME_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = 60_000;

interface Received {
  key: string;
  seq: number;
  partition: number;
  offset: string;
}

/**
 * kafkajs logs every error response at ERROR before it retries it; on a fresh broker the first
 * InitProducerId and FindCoordinator calls meet "coordinator is loading / not available" while the
 * internal topics are created. Those retried responses are dropped here (if retries run out, the
 * call itself throws); every other warning and error is printed.
 */
const quietRetriedResponses: logCreator =
  () =>
  ({ namespace, level, log }) => {
    if (namespace === 'Connection' && log.message.startsWith('Response ')) return;
    const line = JSON.stringify({ level: logLevel[level], namespace, ...log });
    if (level <= logLevel.ERROR) console.error(line);
    else console.warn(line);
  };

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kafkajs against the test broker', () => {
  const runId = randomUUID().slice(0, 8);
  const topic = `it.kafka-broker.compacted.${runId}`;
  const groupId = `it.kafka-broker.group.${runId}`;

  let kafka: Kafka;
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;

  beforeAll(() => {
    if (BROKERS.length === 0) {
      throw new Error(
        'KAFKA_BROKERS is not set: run jest with globalSetup tools/kafka/jest-global-setup.ts ' +
          '(it starts a broker) or point KAFKA_BROKERS at one',
      );
    }
    kafka = new Kafka({
      clientId: `kafka-broker-int-${runId}`,
      brokers: BROKERS,
      connectionTimeout: 5_000,
      requestTimeout: 10_000,
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
      logLevel: logLevel.WARN,
      logCreator: quietRetriedResponses,
    });
  });

  afterAll(async () => {
    // Every client is disconnected even if one disconnect fails; the topic is removed last.
    await Promise.allSettled([consumer?.disconnect(), producer?.disconnect()]);
    if (admin) {
      await admin.deleteTopics({ topics: [topic], timeout: 10_000 }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it(
    'creates a compacted topic, produces idempotently, consumes in order per key and commits offsets',
    async () => {
      admin = kafka.admin();
      await admin.connect();

      const created = await admin.createTopics({
        topics: [
          {
            topic,
            numPartitions: PARTITIONS,
            replicationFactor: 1,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
        waitForLeaders: true,
        timeout: 10_000,
      });
      expect(created).toBe(true);

      const described = await admin.describeConfigs({
        resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
        includeSynonyms: false,
      });
      expect(at(described.resources, 0).configEntries).toEqual([
        expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact' }),
      ]);

      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        // An idempotent producer must not give up on a retriable error (kafkajs warns otherwise);
        // the test's own timeout bounds it.
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
      });
      await producer.connect();
      // Interleave the keys; one awaited send per round fixes the order within each key.
      for (let seq = 0; seq < MESSAGES_PER_KEY; seq++) {
        const results = await producer.send({
          topic,
          acks: -1,
          messages: KEYS.map((key) => ({ key, value: JSON.stringify({ key, seq }) })),
        });
        for (const result of results) expect(result.errorCode).toBe(0);
      }

      const received: Received[] = [];
      consumer = kafka.consumer({
        groupId,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        // Bounds each fetch long-poll, and with it consumer.stop(), which waits for the one in flight.
        maxWaitTimeInMs: 250,
        retry: { retries: 5 },
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const value = JSON.parse(message.value?.toString('utf8') ?? 'null') as { key: string; seq: number };
          expect(message.key?.toString('utf8')).toBe(value.key);
          received.push({ key: value.key, seq: value.seq, partition, offset: message.offset });
        },
      });

      const total = KEYS.length * MESSAGES_PER_KEY;
      await waitUntil(() => received.length >= total, CONSUME_TIMEOUT_MS, `${total} messages`);
      expect(received).toHaveLength(total);

      for (const key of KEYS) {
        const forKey = received.filter((r) => r.key === key);
        // Every message of a key lands on one partition, and comes back in the order it was sent.
        expect(new Set(forKey.map((r) => r.partition)).size).toBe(1);
        expect(forKey.map((r) => r.seq)).toEqual([...Array(MESSAGES_PER_KEY).keys()]);
      }

      // Commit the next offset to read on every partition that had messages, then read it back.
      const nextOffsets = new Map<number, bigint>();
      for (const r of received) {
        const next = BigInt(r.offset) + 1n;
        if (next > (nextOffsets.get(r.partition) ?? 0n)) nextOffsets.set(r.partition, next);
      }
      await consumer.commitOffsets(
        [...nextOffsets].map(([partition, offset]) => ({ topic, partition, offset: offset.toString() })),
      );

      const highWatermarks = await admin.fetchTopicOffsets(topic);
      const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committedByPartition = new Map(
        at(committed, 0).partitions.map((p) => [p.partition, p.offset] as const),
      );
      expect(highWatermarks).toHaveLength(PARTITIONS);
      for (const { partition, high } of highWatermarks) {
        // Committed = next offset to read; with no transactions (no control records) that is the high
        // watermark. A partition that got no message has no committed offset (-1).
        const expected = nextOffsets.get(partition)?.toString() ?? '-1';
        expect(committedByPartition.get(partition)).toBe(expected);
        if (expected !== '-1') expect(high).toBe(expected);
      }

      await consumer.stop();
    },
    TEST_TIMEOUT_MS,
  );
});
