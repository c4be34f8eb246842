import type { DomainEvent } from '../decider';
import { inboundCreditFold } from '../inbound-credit';
import { lotDecider } from '../lot';
import {
  basicAccountDecider,
  bidderFold,
  masterAccountDecider,
  rateScheduleDecider,
  tenderCenterDecider,
  virtualAccountRegistryDecider,
} from '../setup';
import type { EventDecoder, StoredEvent } from './event-decoder';
import {
  basicAccountEvents,
  bidderEvents,
  inboundCreditEvents,
  lotEvents,
  masterAccountEvents,
  rateScheduleEvents,
  tenderCenterEvents,
  virtualAccountRegistryEvents,
} from './stream-events';

/** A fold over a stream's stored events: what a reader of the store (the command kernel) replays a stream with. */
export interface StoredEventFold<S> {
  readonly initialState: S;
  readonly evolve: (state: S, event: StoredEvent) => S;
}

/** The aggregate's fold behind its stream's decoder. */
export function storedEventFold<E extends DomainEvent, S>(
  fold: { readonly initialState: S; evolve(state: S, event: E): S },
  events: EventDecoder<E>,
): StoredEventFold<S> {
  return { initialState: fold.initialState, evolve: (state, event) => fold.evolve(state, events.decode(event)) };
}

/** Each stream's fold over its stored events. */
export const lotStoredFold = storedEventFold(lotDecider, lotEvents);
export const inboundCreditStoredFold = storedEventFold(inboundCreditFold, inboundCreditEvents);
export const tenderCenterStoredFold = storedEventFold(tenderCenterDecider, tenderCenterEvents);
export const masterAccountStoredFold = storedEventFold(masterAccountDecider, masterAccountEvents);
export const rateScheduleStoredFold = storedEventFold(rateScheduleDecider, rateScheduleEvents);
export const virtualAccountRegistryStoredFold = storedEventFold(virtualAccountRegistryDecider, virtualAccountRegistryEvents);
export const basicAccountStoredFold = storedEventFold(basicAccountDecider, basicAccountEvents);
export const bidderStoredFold = storedEventFold(bidderFold, bidderEvents);
