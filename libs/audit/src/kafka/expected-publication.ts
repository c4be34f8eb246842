import type { RecordedEvent } from '@app/event-store';
import { type PublisherModels, type TopicNames, TOPIC_OF_ENTITY, allPublished, changesOf, envelopeJson } from '@app/messaging';
import { type EventRef, eventRef } from '../findings';

/** What the latest message of one key of one topic must be. */
export interface ExpectedMessage {
  readonly topic: string;
  readonly key: string;
  /** The envelope's JSON, byte for byte as the publisher makes it. */
  readonly value: string;
  /** The event after which the entity is in its published state (the envelope's source). */
  readonly event: EventRef;
}

type SourceEvent = Pick<RecordedEvent, 'id' | 'type' | 'position' | 'metadata' | 'streamName' | 'revision'>;

/**
 * The publisher's rules (`published-state.ts`) run over the replay: for every event, the entities
 * whose published state it changed. Only the last changing event of each key is kept; the states
 * themselves come from the final models, so memory grows with the keys, not with the log.
 */
export class ExpectedPublication {
  private readonly sources = new Map<string, SourceEvent>();

  constructor(private readonly topics: TopicNames) {}

  onEvent(event: RecordedEvent, before: PublisherModels, after: PublisherModels): void {
    const changes = changesOf(event, before, after);
    if (changes.length === 0) return;
    const { id, type, position, metadata, streamName, revision } = event;
    const source = { id, type, position, metadata, streamName, revision };
    for (const change of changes) this.sources.set(`${change.entity}\u0000${change.key}`, source);
  }

  /** Topic → key → the expected latest message, from the models at the end of the replay. */
  expected(models: PublisherModels): Map<string, Map<string, ExpectedMessage>> {
    const byTopic = new Map<string, Map<string, ExpectedMessage>>(Object.values(this.topics).map((topic) => [topic, new Map()]));
    for (const change of allPublished(models)) {
      const source = this.sources.get(`${change.entity}\u0000${change.key}`);
      // Every published entity was published by some event; none can be missing (published-state.ts).
      if (!source) throw new Error(`published ${change.entity} ${change.key} has no source event`);
      const topic = this.topics[TOPIC_OF_ENTITY[change.entity]];
      byTopic.get(topic)!.set(change.key, { topic, key: change.key, value: envelopeJson(change, source), event: eventRef(source) });
    }
    return byTopic;
  }
}
