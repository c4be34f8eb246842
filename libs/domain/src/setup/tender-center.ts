import { type Decider, type DomainEvent, conflict, unreachable } from '../decider';

/**
 * Tender center (招标中心): the customer of the custody product. One stream per center, holding the
 * single registration event. Other aggregates learn whether a center exists from this stream (the
 * command handler reads it and passes `centerExists` in their commands).
 */

export const TENDER_CENTER_STREAM_PREFIX = 'tender-center-';

export function tenderCenterStream(centerId: string): string {
  return `${TENDER_CENTER_STREAM_PREFIX}${centerId}`;
}

// Commands

export interface RegisterTenderCenter {
  readonly type: 'RegisterTenderCenter';
  readonly centerId: string;
  readonly name: string;
}

export type TenderCenterCommand = RegisterTenderCenter;

// Events

export interface TenderCenterRegisteredData {
  readonly centerId: string;
  readonly name: string;
}

export type TenderCenterRegistered = DomainEvent<'TenderCenterRegistered', TenderCenterRegisteredData>;

export type TenderCenterEvent = TenderCenterRegistered;

// State

export type TenderCenterState =
  | { readonly exists: false }
  | { readonly exists: true; readonly centerId: string; readonly name: string };

export const tenderCenterDecider: Decider<TenderCenterCommand, TenderCenterEvent, TenderCenterState> = {
  initialState: { exists: false },

  decide(command, state) {
    if (state.exists) {
      return conflict('TENDER_CENTER_EXISTS', `tender center ${command.centerId} is already registered`, 'centerId');
    }
    return [{ type: 'TenderCenterRegistered', data: { centerId: command.centerId, name: command.name } }];
  },

  evolve(_state, event) {
    switch (event.type) {
      case 'TenderCenterRegistered':
        return { exists: true, centerId: event.data.centerId, name: event.data.name };
      default:
        return unreachable(event.type);
    }
  },
};
