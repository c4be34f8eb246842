import { INBOUND_CREDIT_EVENT_TYPES, type InboundCreditEvent } from '../inbound-credit';
import { LOT_EVENT_TYPES, type LotEvent } from '../lot';
import type {
  BasicAccountEvent,
  BidderEvent,
  MasterAccountEvent,
  RateScheduleEvent,
  TenderCenterEvent,
  VirtualAccountRegistryEvent,
} from '../setup';
import { type EventDecoder, eventDecoder, eventTypes } from './event-decoder';

/**
 * One decoder per stream, each checking a stored event's type against the set derived from the stream's
 * event union (docs/events.md lists the same catalogue).
 */

export const lotEvents: EventDecoder<LotEvent> = eventDecoder('a lot', LOT_EVENT_TYPES);

export const inboundCreditEvents: EventDecoder<InboundCreditEvent> = eventDecoder('an inbound credit', INBOUND_CREDIT_EVENT_TYPES);

export const tenderCenterEvents: EventDecoder<TenderCenterEvent> = eventDecoder(
  'a tender center',
  eventTypes<TenderCenterEvent>({ TenderCenterRegistered: true }),
);

export const masterAccountEvents: EventDecoder<MasterAccountEvent> = eventDecoder(
  'a master account',
  eventTypes<MasterAccountEvent>({ MasterAccountOpened: true }),
);

export const rateScheduleEvents: EventDecoder<RateScheduleEvent> = eventDecoder(
  'a rate schedule',
  eventTypes<RateScheduleEvent>({ RateScheduleDefined: true, RateScheduleEntryAdded: true }),
);

export const virtualAccountRegistryEvents: EventDecoder<VirtualAccountRegistryEvent> = eventDecoder(
  'a virtual-account registry',
  eventTypes<VirtualAccountRegistryEvent>({ VirtualAccountIssued: true }),
);

export const basicAccountEvents: EventDecoder<BasicAccountEvent> = eventDecoder(
  'a basic-account registry',
  eventTypes<BasicAccountEvent>({ BasicAccountDeclared: true, BasicAccountReplaced: true }),
);

export const bidderEvents: EventDecoder<BidderEvent> = eventDecoder('a bidder', eventTypes<BidderEvent>({ BidderBasicAccountSet: true }));

/** Every domain event of the ledger (the catalogue); the command kernel's idempotency records are not among them. */
export type LedgerEvent =
  | LotEvent
  | InboundCreditEvent
  | TenderCenterEvent
  | MasterAccountEvent
  | RateScheduleEvent
  | VirtualAccountRegistryEvent
  | BasicAccountEvent
  | BidderEvent;

const STREAMS = [lotEvents, inboundCreditEvents, tenderCenterEvents, masterAccountEvents, rateScheduleEvents, virtualAccountRegistryEvents, basicAccountEvents, bidderEvents];

/** Every type of the catalogue: the union of the streams' sets (no type belongs to two streams). */
export const LEDGER_EVENT_TYPES: ReadonlySet<string> = new Set(STREAMS.flatMap((stream) => [...stream.types]));

/** Any stream's events, for readers of the whole log (read models, the audit): undefined for a type outside the catalogue. */
export const ledgerEvents: EventDecoder<LedgerEvent> = eventDecoder('the ledger', LEDGER_EVENT_TYPES);
