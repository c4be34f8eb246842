import {
  CREDIT_OUTCOME_EVENT_TYPES,
  type EventDecoder,
  type InboundCreditState,
  type LotState,
  type MasterAccountOpenedData,
  type RateSchedule,
  type StoredEvent,
  UnexpectedEventError,
  type VirtualAccountIssuedData,
  inboundCreditEvents,
  inboundCreditFold,
  ledgerEvents,
  lotDecider,
  lotEvents,
  lotStream,
  rateScheduleDecider,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { masterAccountKey } from '@app/projections';
import type { EventRef } from './findings';

/**
 * The aggregates' own states, replayed with the deciders' `evolve` (not the read models): what the
 * ledger decided on, which the checks compare the read models and the recorded figures against.
 */

const LOT_PREFIX = lotStream('');
const INBOUND_CREDIT_PREFIX = 'inbound-credit-';

/** One bank reference's anchor stream. */
export interface CreditAnchor {
  state: InboundCreditState;
  /** CreditClassified / CreditSuspended / CreditReturned events seen: exactly one is right (none while the intake is unfinished). */
  outcomes: number;
  received?: EventRef;
  last: EventRef;
}

export class DomainReplayError extends Error {
  override readonly name = 'DomainReplayError';
}

export class DomainState {
  /** By stream name. */
  private readonly lots = new Map<string, LotState>();
  /** By stream name (`inbound-credit-{bankCode}-{bankRef}`). */
  readonly anchors = new Map<string, CreditAnchor>();
  /** Credit id → the lots that took it, each with its BondCredited event (two only after a lost suspense-match race). */
  readonly lotCredits = new Map<string, Array<{ lotId: string; event: EventRef }>>();
  readonly schedules = new Map<string, RateSchedule>();
  readonly virtualAccounts = new Map<string, VirtualAccountIssuedData>();
  /** By `masterAccountKey(bankCode, accountNo)`: a number is unique per bank only. */
  readonly masterAccounts = new Map<string, MasterAccountOpenedData>();

  lot(lotId: string): LotState | undefined {
    return this.lots.get(lotStream(lotId));
  }

  lotOfStream(streamName: string): LotState | undefined {
    return this.lots.get(streamName);
  }

  /** Folds one event in; throws DomainReplayError when the aggregate cannot take it (corrupt log). */
  apply(event: RecordedEvent, ref: EventRef): void {
    const { streamName } = event;
    if (streamName.startsWith(LOT_PREFIX)) {
      const lotEvent = decoded(lotEvents, event);
      const before = this.lots.get(streamName) ?? lotDecider.initialState;
      this.lots.set(streamName, evolved(() => lotDecider.evolve(before, lotEvent)));
      if (lotEvent.type === 'BondCredited') {
        const { creditId, lotId } = lotEvent.data;
        // The audit does not trust the log's data: a credit without an id names no credit.
        const lots = creditId === undefined ? undefined : (this.lotCredits.get(creditId) ?? []);
        if (lots && !lots.some((held) => held.lotId === lotId)) this.lotCredits.set(creditId, [...lots, { lotId, event: ref }]);
      }
      return;
    }
    if (streamName.startsWith(INBOUND_CREDIT_PREFIX)) {
      const creditEvent = decoded(inboundCreditEvents, event);
      const anchor: CreditAnchor = this.anchors.get(streamName) ?? { state: inboundCreditFold.initialState, outcomes: 0, last: ref };
      const state = evolved(() => inboundCreditFold.evolve(anchor.state, creditEvent));
      const received = creditEvent.type === 'InboundCreditReceived' ? (anchor.received ?? ref) : anchor.received;
      this.anchors.set(streamName, {
        state,
        outcomes: anchor.outcomes + (CREDIT_OUTCOME_EVENT_TYPES.has(creditEvent.type) ? 1 : 0),
        ...(received === undefined ? {} : { received }),
        last: ref,
      });
      return;
    }
    const domainEvent = ledgerEvents.decodeIfKnown(event);
    switch (domainEvent?.type) {
      case 'RateScheduleDefined': {
        const { scheduleId, dayCount, entries } = domainEvent.data;
        // One definition per schedule; a second would be a corrupt log, and the first is what refunds used.
        if (!this.schedules.has(scheduleId)) this.schedules.set(scheduleId, { scheduleId, dayCount, entries });
        return;
      }
      case 'RateScheduleEntryAdded': {
        // Never retroactive (the decider's rule), so a refund priced before it never counted a day it covers.
        const defined = this.schedules.get(domainEvent.data.scheduleId);
        if (!defined) throw new DomainReplayError(`rate schedule ${domainEvent.data.scheduleId}: an entry added before its definition`);
        const state = evolved(() => rateScheduleDecider.evolve({ exists: true, schedule: defined }, domainEvent));
        if (state.exists) this.schedules.set(defined.scheduleId, state.schedule);
        return;
      }
      case 'VirtualAccountIssued': {
        const issued = domainEvent.data;
        if (!this.virtualAccounts.has(issued.virtualAccountNo)) this.virtualAccounts.set(issued.virtualAccountNo, issued);
        return;
      }
      case 'MasterAccountOpened': {
        const opened = domainEvent.data;
        const key = masterAccountKey(opened.bankCode, opened.accountNo);
        if (!this.masterAccounts.has(key)) this.masterAccounts.set(key, opened);
        return;
      }
      default:
        return;
    }
  }
}

/** The stream's typed event; a type of another stream is a DomainReplayError. */
function decoded<E extends { readonly type: string; readonly data: object }>(events: EventDecoder<E>, event: StoredEvent): E {
  try {
    return events.decode(event);
  } catch (error) {
    if (error instanceof UnexpectedEventError) throw new DomainReplayError(error.message);
    throw error;
  }
}

/** An evolve that throws or returns nothing (corrupt data) becomes a DomainReplayError. */
function evolved<S>(evolve: () => S): S {
  let state: S;
  try {
    state = evolve();
  } catch (error) {
    throw new DomainReplayError(`the aggregate cannot replay it: ${(error as Error).message}`);
  }
  if (state === undefined || state === null) throw new DomainReplayError('the aggregate cannot replay it');
  return state;
}
