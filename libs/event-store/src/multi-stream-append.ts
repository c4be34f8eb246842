import {
  AppendResult,
  EventMetadataInput,
  IdempotencyMismatchError,
  JsonObject,
  StreamAppend,
  WrongExpectedVersionError,
} from './event-store.port';
import { assertValidAppends, inAppend, toJsonText } from './proposed-events';

/** Sets `appendIndex` on the refusal of one append of an `appendToStreams` call; returns the error. */
export function tagAppendIndex(error: unknown, index: number): unknown {
  if (error instanceof WrongExpectedVersionError || error instanceof IdempotencyMismatchError) error.appendIndex = index;
  return error;
}

/**
 * `appendToStreams` of a 'sequential' store: every append is checked first, so invalid input writes
 * nothing; then each is appended with the store's own `appendToStream`, committed on its own, in the
 * order given, until the first refusal, which is tagged with its index. The events are copied (as JSON)
 * before the first append, so later appends store them as they were when the call was made.
 */
export async function appendSequentially(
  appends: StreamAppend[],
  appendToStream: (append: StreamAppend) => Promise<AppendResult>,
): Promise<AppendResult[]> {
  assertValidAppends(appends);
  const copies = appends.map((append, index) => inAppend(index, () => copyOf(append)));
  const results: AppendResult[] = [];
  for (const [index, append] of copies.entries()) {
    try {
      results.push(await appendToStream(append));
    } catch (error) {
      throw tagAppendIndex(error, index);
    }
  }
  return results;
}

function copyOf({ streamName, events, expectedRevision }: StreamAppend): StreamAppend {
  return {
    streamName,
    expectedRevision,
    events: events.map((event, index) => ({
      id: event.id,
      type: event.type,
      data: JSON.parse(toJsonText(event.data, `event ${index} data`)) as JsonObject,
      metadata: JSON.parse(toJsonText(event.metadata, `event ${index} metadata`)) as EventMetadataInput,
    })),
  };
}
