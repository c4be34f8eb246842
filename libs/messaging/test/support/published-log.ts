import type { EventStore } from '@app/event-store';
import { rebuild } from '@app/projections/runner';
import { at } from '../../../event-store/test/event-store.contract';
import { PUBLISHER_PROJECTIONS, type PublisherModels, publisherModelsOf } from '../../src/published-state';
import type { TopicNames } from '../../src/topics';
import { type Decoded, type ExpectedMessage, byKey, expectedMessages, finalStates } from './kafka';

/**
 * What the topics must hold after any failure, whatever was sent twice:
 * 1. every key's last message is the entity's state in the projections rebuilt from the log (and every
 *    entity of the log has a key);
 * 2. per key, positions only grow, except for re-sends: a message at or below the highest position
 *    seen is byte-identical to the one first sent at its position;
 * 3. nothing lost and nothing made up: the distinct messages are exactly those of the pure fold.
 * Returns the expected messages and how many re-sends were seen.
 */
export async function expectTopicsToMatchLog(received: readonly Decoded[], store: EventStore, topics: TopicNames): Promise<{ expected: ExpectedMessage[]; resent: number }> {
  const { messages: expected } = await expectedMessages(store, topics);
  const rebuilt = await rebuild(store, Object.values(PUBLISHER_PROJECTIONS));
  // rebuild names each model after its projection.
  const models = publisherModelsOf((name) => rebuilt[PUBLISHER_PROJECTIONS[name].name] as PublisherModels[typeof name]);

  const final = finalStates(models, topics);
  const receivedByKey = byKey(received);
  expect([...receivedByKey.keys()].sort()).toEqual([...final.keys()].sort());
  for (const [id, list] of receivedByKey) {
    expect({ id, state: JSON.stringify(at(list, -1).envelope.state) }).toEqual({ id, state: JSON.stringify(JSON.parse(final.get(id)!)) });
  }

  let resent = 0;
  for (const [id, list] of receivedByKey) {
    const first = new Map<bigint, string>();
    let highest = -1n;
    for (const message of list) {
      if (message.position > highest) {
        highest = message.position;
        first.set(message.position, message.value);
      } else {
        expect({ id, position: message.position, resend: first.get(message.position) }).toEqual({ id, position: message.position, resend: message.value });
        resent += 1;
      }
    }
  }

  expect([...new Set(received.map((m) => `${m.topic} ${m.value}`))].sort()).toEqual(expected.map((m) => `${m.topic} ${m.value}`).sort());
  return { expected, resent };
}
