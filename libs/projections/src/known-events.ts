import { type LedgerEvent, type Posting, ledgerEvents } from '@app/domain';
import type { ProjectionEvent } from './projection';

/**
 * An event as the domain's types describe it, for a `switch` on its type: one of the catalogue
 * (docs/events.md), or — for a type outside it, e.g. IdempotentResponseRecorded — `OTHER_EVENT`,
 * whose type no case names, so it falls into the switch's default.
 */
export type KnownEvent = LedgerEvent | typeof OTHER_EVENT;

/** Not an event of the catalogue. */
export const OTHER_EVENT = { type: undefined, data: undefined } as const;

/** The last event `known` decoded, and what it gave: every projection of a runner decodes the same event in turn. */
let lastEvent: ProjectionEvent | undefined;
let lastKnown: KnownEvent = OTHER_EVENT;

/**
 * The event decoded by the domain's catalogue decoder (its type checked, its data trusted as the domain wrote it).
 * The same object for the same event object, as long as no other event came between (events are immutable).
 */
export function known(event: ProjectionEvent): KnownEvent {
  if (event !== lastEvent) {
    lastKnown = ledgerEvents.decodeIfKnown(event) ?? OTHER_EVENT;
    lastEvent = event;
  }
  return lastKnown;
}

/** The postings an event carries, or none: every event that moves money has a `postings` list. */
export function postingsOf(event: ProjectionEvent): readonly Posting[] {
  const { data } = event;
  // Trusted as the domain wrote it: a `postings` member is a list of postings.
  return data !== null && typeof data === 'object' && 'postings' in data && Array.isArray(data.postings) ? (data.postings as Posting[]) : [];
}
