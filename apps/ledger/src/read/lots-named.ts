import { lotIdOf } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

const LOT_STREAM_PREFIX = 'lot-';
/** Fields that hold a virtual account number (a version-1 `InboundCreditReceived` names its lot only so). */
const VIRTUAL_ACCOUNT_FIELDS = new Set(['virtualAccountNo', 'payeeAccountNo']);

/**
 * The trail of looks (`SealedDataViewed`) is sealed data too: which bond, credit or suspense item an
 * operator looked at, and when, tells what exists. Reading it is a look, except at the reader's own looks,
 * which tell it nothing it did not see (and would make a reader tailing the log record a look per poll).
 */
function ownLook(event: RecordedEvent, reader: { readonly role: string; readonly subject: string }): boolean {
  if (event.type !== 'SealedDataViewed' || typeof event.data !== 'object' || event.data === null) return false;
  const viewer = (event.data as { viewer?: { role?: unknown; subject?: unknown } }).viewer;
  return viewer?.role === reader.role && viewer.subject === reader.subject;
}

/** What a page of events names that leads to lots. */
export interface NamedInEvents {
  readonly lotIds: ReadonlySet<string>;
  /** Numbers that may be virtual accounts, whose lot the read models know. */
  readonly virtualAccountNos: ReadonlySet<string>;
}

/**
 * What these events name of lots (issue #15 item 3): the lot of a `lot-{id}` stream, every `lotId` value
 * and every bond or refund id (`lotIdOf`) anywhere in an event's data, at any depth (a credit's `route`,
 * an idempotency record's answer or plan, another viewer's look), and the virtual accounts named. May name lots nobody knows.
 */
export function namedInEvents(events: readonly RecordedEvent[], reader: { readonly role: string; readonly subject: string }): NamedInEvents {
  const named = { lotIds: new Set<string>(), virtualAccountNos: new Set<string>() };
  for (const event of events) {
    if (ownLook(event, reader)) continue;
    if (event.streamName.startsWith(LOT_STREAM_PREFIX)) named.lotIds.add(event.streamName.slice(LOT_STREAM_PREFIX.length));
    collect(event.data, named);
  }
  return named;
}

function collect(value: unknown, named: { lotIds: Set<string>; virtualAccountNos: Set<string> }): void {
  if (typeof value === 'string') {
    const lotId = lotIdOf(value, 'B') ?? lotIdOf(value, 'R');
    if (lotId !== undefined) named.lotIds.add(lotId);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, named);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (typeof item === 'string' && key === 'lotId') named.lotIds.add(item);
      else if (typeof item === 'string' && VIRTUAL_ACCOUNT_FIELDS.has(key)) named.virtualAccountNos.add(item);
      else collect(item, named);
    }
  }
}
