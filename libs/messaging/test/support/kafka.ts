import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EventStore, type RecordedEvent, SqliteEventStore } from '@app/event-store';
import type { Kafka } from 'kafkajs';
import { kafkaMessageOf } from '../../src/envelope';
import { createKafkaClient } from '../../src/kafka-client';
import { type PublisherModels, allPublished, applyEvent, changesOf, initialModels } from '../../src/published-state';
import { TOPIC_KINDS, TOPIC_OF_ENTITY, type TopicKind, type TopicNames, topicNames } from '../../src/topics';

/** The brokers jest's globalSetup started (tools/kafka), or the ones given in KAFKA_BROKERS. */
export function testBrokers(): string[] {
  const brokers = (process.env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  if (brokers.length === 0) {
    throw new Error('KAFKA_BROKERS is not set: run jest with globalSetup tools/kafka/jest-global-setup.ts (it starts a broker) or point KAFKA_BROKERS at one');
  }
  return brokers;
}

/** A client for one test; kafkajs warnings and errors (but retried responses) go to the console. */
export function testKafka(clientId: string): Kafka {
  return createKafkaClient({ brokers: testBrokers(), clientId });
}

/** A topic prefix no other run or test shares: `it-<run>-<name>.` */
export function uniquePrefix(name: string): string {
  return `it-${randomUUID().slice(0, 8)}-${name}.`;
}

export function tempFolder(prefix: string): { path: (name: string) => string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  return { path: (name) => join(folder, name), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

export function openStore(path: string): SqliteEventStore {
  return SqliteEventStore.open({ path, pollIntervalMs: 10 });
}

export interface RawMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: { readonly [name: string]: Buffer };
}

/**
 * Every message of the topics, byte for byte as the broker hands them out, in offset order per
 * partition: high watermarks first, then a consumer (own group) reads from the beginning until it has
 * reached them all. Bounded by `timeoutMs`.
 */
export async function readTopics(kafka: Kafka, topics: readonly string[], timeoutMs = 20_000): Promise<RawMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  try {
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition}`, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([id]) => id));
  const received: RawMessage[] = [];
  if (pending.size === 0) return received;
  const consumer = kafka.consumer({ groupId: `it-reader-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const offset = BigInt(message.offset);
        const id = `${topic}/${partition}`;
        if (offset >= ends.get(id)!) return;
        const headers: { [name: string]: Buffer } = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = Buffer.isBuffer(value) ? value : Buffer.from(String(value));
        }
        received.push({ topic, partition, offset, key: message.key ?? Buffer.alloc(0), value: message.value ?? Buffer.alloc(0), headers });
        if (offset + 1n >= ends.get(id)!) pending.delete(id);
        if (pending.size === 0) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`readTopics: still waiting for ${[...pending].join(', ')} after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return received.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0)));
}

export async function deleteTopics(kafka: Kafka, topics: TopicNames): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const mine = Object.values(topics).filter((topic) => existing.has(topic));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
  } catch {
    // best effort: a run's topics have a unique prefix and die with the test broker
  } finally {
    await admin.disconnect();
  }
}

export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

export interface ExpectedMessage {
  readonly topic: string;
  readonly key: string;
  readonly position: bigint;
  readonly value: string;
}

/**
 * What the publisher must have sent for the store's log, computed without Kafka: the pure fold of
 * `published-state.ts` over the recorded events, each change as its envelope. Also the models.
 */
export async function expectedMessages(store: EventStore, topics: TopicNames): Promise<{ messages: ExpectedMessage[]; models: PublisherModels }> {
  let models = initialModels();
  const messages: ExpectedMessage[] = [];
  for (const event of await allEvents(store)) {
    const next = applyEvent(models, event);
    for (const change of changesOf(event, models, next)) {
      messages.push({
        topic: topics[TOPIC_OF_ENTITY[change.entity]],
        key: change.key,
        position: event.position,
        value: kafkaMessageOf(change, event).value as string,
      });
    }
    models = next;
  }
  return { messages, models };
}

/** Each key's messages in the order they were received (the topic's order: one key, one partition). */
export function byKey<M extends { topic: string; key: string }>(messages: readonly M[]): Map<string, M[]> {
  const map = new Map<string, M[]>();
  for (const message of messages) {
    const id = `${message.topic} ${message.key}`;
    const list = map.get(id);
    if (list) list.push(message);
    else map.set(id, [message]);
  }
  return map;
}

export interface Decoded {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly position: bigint;
  readonly value: string;
  readonly envelope: { entity: string; key: string; position: string; sourceEventType: string; sourceEventId: string; state: unknown; schemaVersion: number };
}

export function decode(raw: readonly RawMessage[]): Decoded[] {
  return raw.map((message) => {
    const value = message.value.toString('utf8');
    const envelope = JSON.parse(value) as Decoded['envelope'];
    return { topic: message.topic, partition: message.partition, key: message.key.toString('utf8'), position: BigInt(envelope.position), value, envelope };
  });
}

/** The final state a compacted topic must converge to: the published state of every entity after the whole log. */
export function finalStates(models: PublisherModels, topics: TopicNames): Map<string, string> {
  return new Map(allPublished(models).map((p) => [`${topics[TOPIC_OF_ENTITY[p.entity]]} ${p.key}`, p.stateJson]));
}

export { TOPIC_KINDS, topicNames, type TopicKind };
