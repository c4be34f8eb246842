import type { Finding } from '../findings';
import type { ExpectedMessage } from './expected-publication';
import type { LatestMessage } from './read-latest';

/** The Kafka-side facts of a finding about a message that has no event in the replayed log to name. */
export interface UnexpectedMessage {
  readonly topic: string;
  readonly key: string;
  readonly message: LatestMessage;
}

/**
 * The latest message of every key against the publisher's derivation from the rebuilt models, byte
 * for byte (the envelope is canonical JSON, a re-send is identical). Findings for a missing key or a
 * different value name the ledger event the entity's state follows; keys Kafka has and the ledger
 * would not publish are returned apart, for the caller to look their source events up in the store.
 */
export function comparePublication(
  expected: ReadonlyMap<string, ReadonlyMap<string, ExpectedMessage>>,
  actual: ReadonlyMap<string, ReadonlyMap<string, LatestMessage>>,
): { findings: Finding[]; unexpected: UnexpectedMessage[]; compared: number } {
  const findings: Finding[] = [];
  const unexpected: UnexpectedMessage[] = [];
  let compared = 0;
  for (const [topic, keys] of expected) {
    const published = actual.get(topic) ?? new Map<string, LatestMessage>();
    for (const [key, wanted] of keys) {
      compared += 1;
      const got = published.get(key);
      if (!got) {
        findings.push({ check: 'kafka', code: 'NOT_PUBLISHED', message: `${topic} has no message for key ${key}`, event: wanted.event, details: { topic, key } });
      } else if (got.value !== wanted.value) {
        findings.push({
          check: 'kafka',
          code: 'STATE_DIFFERS',
          message: `the latest message of key ${key} on ${topic} is not the state the ledger publishes after this event`,
          event: wanted.event,
          details: { topic, key, partition: String(got.partition), offset: got.offset, published: got.value ?? 'null (tombstone)', expected: wanted.value },
        });
      }
    }
    for (const [key, message] of published) if (!keys.has(key)) unexpected.push({ topic, key, message });
  }
  return { findings, unexpected, compared };
}
