import type { EventStore } from '@app/event-store';
import { topicNames } from '@app/messaging';
import type { Kafka } from 'kafkajs';
import type { AsOf } from './as-of';
import { type Finding, eventRef } from './findings';
import { type UnexpectedMessage, comparePublication } from './kafka/compare-publication';
import { readLatestPerKey } from './kafka/read-latest';
import { type AuditReport, type KafkaSummary, buildReport } from './report';
import { replayLedger } from './replay';

export interface KafkaAuditOptions {
  readonly kafka: Kafka;
  /** Named in the report. */
  readonly brokers: readonly string[];
  /** Default `ledger.`, the service's. */
  readonly topicPrefix?: string;
  /** Bound of the read of all topics (default 120 s). */
  readonly timeoutMs?: number;
}

export interface AuditOptions {
  /** What the report says was audited: the store's kind and its file or hosts (never credentials). */
  readonly store: AuditReport['store'];
  readonly asOf?: AsOf | undefined;
  readonly kafka?: KafkaAuditOptions | undefined;
  readonly clock?: () => Date;
}

export class KafkaWithAsOfError extends Error {
  override readonly name = 'KafkaWithAsOfError';
  constructor() {
    super('the Kafka topics hold the latest state: compare them with a replay of the whole log, not with an as-of cut');
  }
}

/** Replays the store, compares Kafka when asked, and reports every finding. Reads only. */
export async function auditLedger(eventStore: EventStore, options: AuditOptions): Promise<AuditReport> {
  if (options.kafka && options.asOf) throw new KafkaWithAsOfError();
  const clock = options.clock ?? (() => new Date());
  const auditedAt = clock();
  const topics = options.kafka ? topicNames(options.kafka.topicPrefix) : undefined;
  const replay = await replayLedger(eventStore, { asOf: options.asOf, publication: topics });
  const findings: Finding[] = [...replay.findings];
  let kafka: KafkaSummary | undefined;

  if (options.kafka && topics && replay.publication) {
    const names = Object.values(topics);
    const read = await readLatestPerKey(options.kafka.kafka, names, options.kafka.timeoutMs ?? 120_000);
    const compared = comparePublication(replay.publication.expected(replay.publisherModels), read.latest);
    findings.push(...compared.findings);
    for (const unexpected of compared.unexpected) findings.push(await unexpectedKeyFinding(eventStore, unexpected));
    replay.checked.kafka = compared.compared + compared.unexpected.length;
    kafka = {
      brokers: options.kafka.brokers,
      topicPrefix: options.kafka.topicPrefix ?? 'ledger.',
      topics: names,
      missingTopics: read.missingTopics,
      messagesRead: read.messages,
      keysCompared: replay.checked.kafka,
    };
  }
  return buildReport({ replay, findings, store: options.store, asOf: options.asOf, kafka, auditedAt });
}

/** A key the ledger would not publish: named by the event its envelope claims as source, found in the store. */
async function unexpectedKeyFinding(eventStore: EventStore, { topic, key, message }: UnexpectedMessage): Promise<Finding> {
  const details = { topic, key, partition: String(message.partition), offset: message.offset, published: message.value ?? 'null (tombstone)' };
  const base = { check: 'kafka' as const, code: 'UNEXPECTED_KEY', message: `${topic} has key ${key}, which the ledger does not publish`, details };
  let claimed: { position?: unknown; sourceEventId?: unknown } = {};
  try {
    claimed = JSON.parse(message.value ?? 'null') ?? {};
  } catch {
    return base;
  }
  if (typeof claimed.position !== 'string' || !/^\d+$/.test(claimed.position)) return base;
  for await (const event of eventStore.readAll({ fromPosition: BigInt(claimed.position), maxCount: 1 })) {
    if (event.position === BigInt(claimed.position) && event.id === claimed.sourceEventId) return { ...base, event: eventRef(event) };
  }
  return base;
}
