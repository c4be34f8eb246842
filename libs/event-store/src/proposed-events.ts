import { ANY, ExpectedRevision, InvalidAppendError, NO_STREAM, ProposedEvent, STREAM_EXISTS, StreamAppend } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_EVENTS_PER_APPEND = 1_000;
const MAX_NAME_LENGTH = 256;
/** Appends per `appendToStreams` call: room for a package of 1,000 credits (up to three writes each, and its key's). */
export const MAX_APPENDS_PER_CALL = 4_096;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireName(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new InvalidAppendError(`${what} must be a string of 1..${MAX_NAME_LENGTH} characters`);
  }
}

/**
 * Checks an append before any adapter touches storage, so both adapters refuse the same input with
 * the same error and nothing half-valid is ever written.
 */
export function assertValidAppend(streamName: string, events: ProposedEvent[], expectedRevision: ExpectedRevision): void {
  const validExpected =
    expectedRevision === ANY ||
    expectedRevision === NO_STREAM ||
    expectedRevision === STREAM_EXISTS ||
    (typeof expectedRevision === 'bigint' && expectedRevision >= 0n);
  if (!validExpected) throw new InvalidAppendError(`expected revision ${String(expectedRevision)} is not valid`);
  requireName(streamName, 'stream name');
  if (streamName.startsWith('$')) throw new InvalidAppendError('stream names starting with $ are reserved');
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidAppendError(`an append carries 1..${MAX_EVENTS_PER_APPEND} events`);
  }
  const ids = new Set<string>();
  events.forEach((event, index) => {
    const at = `event ${index}`;
    if (typeof event?.id !== 'string' || !UUID.test(event.id)) throw new InvalidAppendError(`${at}: id must be a UUID`);
    if (ids.has(event.id.toLowerCase())) throw new InvalidAppendError(`${at}: id ${event.id} repeats within the append`);
    ids.add(event.id.toLowerCase());
    requireName(event.type, `${at}: type`);
    if (event.type.startsWith('$')) throw new InvalidAppendError(`${at}: event types starting with $ are reserved`);
    if (!isPlainObject(event.data)) throw new InvalidAppendError(`${at}: data must be a JSON object`);
    if (!isPlainObject(event.metadata)) throw new InvalidAppendError(`${at}: metadata must be a JSON object`);
    for (const key of ['correlationId', 'causationId', 'actor'] as const) {
      requireName(event.metadata[key], `${at}: metadata.${key}`);
    }
    // Refused rather than overwritten: a writer that tries to set them has a bug worth hearing about.
    for (const key of ['recordedAt', 'chain'] as const) {
      if (key in event.metadata) throw new InvalidAppendError(`${at}: metadata.${key} is set by the store`);
    }
  });
}

/**
 * Checks every append of an `appendToStreams` call, so a call is refused whole before any of it is
 * written, on an atomic store and a sequential one alike. A refusal names the append (`append 2: ...`).
 */
export function assertValidAppends(appends: StreamAppend[]): void {
  if (!Array.isArray(appends) || appends.length === 0 || appends.length > MAX_APPENDS_PER_CALL) {
    throw new InvalidAppendError(`a multi-stream append carries 1..${MAX_APPENDS_PER_CALL} appends`);
  }
  appends.forEach((append, index) =>
    inAppend(index, () => {
      if (!isPlainObject(append)) throw new InvalidAppendError('an append must be an object');
      assertValidAppend(append.streamName, append.events, append.expectedRevision);
    }),
  );
}

/** Runs `work` for the append at `index` of a multi-stream call; an InvalidAppendError it throws names that append. */
export function inAppend<T>(index: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof InvalidAppendError) throw new InvalidAppendError(`append ${index}: ${error.message}`);
    throw error;
  }
}

/** JSON text of a value, refusing what JSON cannot carry faithfully (bigint, cycles). */
export function toJsonText(value: unknown, what: string): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppendError(`${what} is not serialisable as JSON: ${(error as Error).message}`);
  }
}
