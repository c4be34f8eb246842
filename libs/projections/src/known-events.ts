import type {
  BasicAccountDeclared,
  InboundCreditEvent,
  LotEvent,
  MasterAccountOpened,
  Posting,
  RateScheduleDefined,
  TenderCenterRegistered,
  VirtualAccountIssued,
} from '@app/domain';
import type { ProjectionEvent } from './projection';

/** Every domain event of the catalogue (docs/events.md), by type. */
export type KnownEvent =
  | LotEvent
  | InboundCreditEvent
  | TenderCenterRegistered
  | MasterAccountOpened
  | RateScheduleDefined
  | VirtualAccountIssued
  | BasicAccountDeclared;

/**
 * The event as the domain's types describe it, for a `switch` on its type. The data is trusted as the
 * domain wrote it (schemaVersion 1; an upcaster would go here). Types the catalogue does not know
 * (e.g. IdempotentResponseRecorded) still come through and fall into a switch's default.
 */
export function known(event: ProjectionEvent): KnownEvent {
  return { type: event.type, data: event.data } as KnownEvent;
}

/** The postings an event carries, or none: every event that moves money has a `postings` list. */
export function postingsOf(event: ProjectionEvent): readonly Posting[] {
  const data = event.data as { postings?: unknown } | null;
  return data !== null && typeof data === 'object' && Array.isArray(data.postings) ? (data.postings as Posting[]) : [];
}
