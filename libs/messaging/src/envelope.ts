import type { RecordedEvent } from '@app/event-store';
import type { Message } from 'kafkajs';
import type { PublishedChange } from './published-state';
import { ENVELOPE_SCHEMA_VERSION, type Envelope, HEADER_CONTENT_TYPE, HEADER_ENTITY, HEADER_SCHEMA_VERSION } from './topics';

/**
 * The envelope's JSON with its fields in alphabetical order and the state's canonical JSON inside,
 * so the bytes of a message depend only on the event and the published state (a re-send after a
 * restart is byte-identical).
 */
export function envelopeJson(change: PublishedChange, event: Pick<RecordedEvent, 'id' | 'type' | 'position' | 'metadata'>): string {
  const head: Omit<Envelope, 'state'> = {
    schemaVersion: ENVELOPE_SCHEMA_VERSION,
    entity: change.entity,
    key: change.key,
    sourceEventId: event.id,
    sourceEventType: event.type,
    position: event.position.toString(),
    recordedAt: String(event.metadata.recordedAt),
  };
  return (
    `{"entity":${JSON.stringify(head.entity)},"key":${JSON.stringify(head.key)},"position":${JSON.stringify(head.position)},` +
    `"recordedAt":${JSON.stringify(head.recordedAt)},"schemaVersion":${head.schemaVersion},` +
    `"sourceEventId":${JSON.stringify(head.sourceEventId)},"sourceEventType":${JSON.stringify(head.sourceEventType)},` +
    `"state":${change.stateJson}}`
  );
}

/** The Kafka message of a change: key = entity id, value = envelope, a few routing headers. */
export function kafkaMessageOf(change: PublishedChange, event: Pick<RecordedEvent, 'id' | 'type' | 'position' | 'metadata'>): Message {
  return {
    key: change.key,
    value: envelopeJson(change, event),
    headers: {
      [HEADER_CONTENT_TYPE]: 'application/json',
      [HEADER_SCHEMA_VERSION]: String(ENVELOPE_SCHEMA_VERSION),
      [HEADER_ENTITY]: change.entity,
    },
  };
}

/** Parses a message value (for consumers and tests); refuses an envelope of another schema version. */
export function parseEnvelope<S = unknown>(value: Buffer | string | null): Envelope<S> {
  if (value === null) throw new TypeError('a ledger topic carries no tombstones: message without value');
  const envelope = JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as Envelope<S>;
  if (envelope.schemaVersion !== ENVELOPE_SCHEMA_VERSION) {
    throw new TypeError(`envelope schema version ${String(envelope.schemaVersion)}, this reader knows ${ENVELOPE_SCHEMA_VERSION}`);
  }
  return envelope;
}
