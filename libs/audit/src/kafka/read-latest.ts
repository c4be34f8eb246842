import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';

/** The latest message of one key, as the broker holds it. */
export interface LatestMessage {
  readonly partition: number;
  readonly offset: string;
  /** UTF-8; null for a tombstone. */
  readonly value: string | null;
}

export interface TopicsRead {
  /** Topic → key → its latest message. A topic that does not exist reads as empty. */
  readonly latest: Map<string, Map<string, LatestMessage>>;
  readonly messages: number;
  readonly missingTopics: string[];
}

/**
 * Reads the topics from the beginning up to the end offsets they had when the read began (so a live
 * publisher cannot keep the read going), keeping the latest message of every key: what a compacted
 * topic converges to. A consumer group of its own, never committed, so no other reader is disturbed.
 */
export async function readLatestPerKey(kafka: Kafka, topics: readonly string[], timeoutMs: number): Promise<TopicsRead> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, bigint>();
  const missingTopics: string[] = [];
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics) {
      if (!existing.has(topic)) missingTopics.push(topic);
      else for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${partition}`, BigInt(high));
    }
  } finally {
    await admin.disconnect();
  }
  const latest = new Map<string, Map<string, LatestMessage>>(topics.map((topic) => [topic, new Map()]));
  const pending = new Set([...ends].filter(([, high]) => high > 0n).map(([id]) => id));
  let messages = 0;
  if (pending.size === 0) return { latest, messages, missingTopics };

  const consumer = kafka.consumer({ groupId: `ledger-audit-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: topics.filter((topic) => !missingTopics.includes(topic)), fromBeginning: true });
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        const id = `${topic}/${partition}`;
        const offset = BigInt(message.offset);
        const end = ends.get(id) ?? 0n;
        if (offset >= end) return;
        messages += 1;
        // Offsets grow within a partition and a key lives on one partition: a later offset is the later message.
        latest.get(topic)!.set(message.key?.toString('utf8') ?? '', { partition, offset: message.offset, value: message.value?.toString('utf8') ?? null });
        if (offset + 1n >= end) pending.delete(id);
        if (pending.size === 0) finish();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Kafka: still reading ${[...pending].join(', ')} after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return { latest, messages, missingTopics };
}
