import { INBOUND_CREDIT_EVENT_TYPES } from '../inbound-credit';
import { LOT_EVENT_TYPES, lotDecider } from '../lot';
import { UnexpectedEventError } from './event-decoder';
import {
  LEDGER_EVENT_TYPES,
  basicAccountEvents,
  bidderEvents,
  inboundCreditEvents,
  ledgerEvents,
  lotEvents,
  masterAccountEvents,
  rateScheduleEvents,
  tenderCenterEvents,
  virtualAccountRegistryEvents,
} from './stream-events';
import { inboundCreditStoredFold, lotStoredFold } from './stream-folds';

const STREAMS = [lotEvents, inboundCreditEvents, tenderCenterEvents, masterAccountEvents, rateScheduleEvents, virtualAccountRegistryEvents, basicAccountEvents, bidderEvents];

describe('stream decoders', () => {
  it("check a lot's and an inbound credit's events against the sets derived from their unions", () => {
    expect(lotEvents.types).toBe(LOT_EVENT_TYPES);
    expect(inboundCreditEvents.types).toBe(INBOUND_CREDIT_EVENT_TYPES);
  });

  it('give the typed event, its data as stored', () => {
    const data = { lotId: 'L1', depositDeadline: '2026-12-10T09:00:00+08:00' };
    const event = lotEvents.decode({ type: 'DepositsClosed', data });
    expect(event).toEqual({ type: 'DepositsClosed', data });
    expect(event.data).toBe(data);
  });

  it("refuse another stream's type, naming the stream", () => {
    expect(() => lotEvents.decode({ type: 'CreditSuspended', data: {} })).toThrow(new UnexpectedEventError('CreditSuspended is not an event of a lot'));
    expect(() => inboundCreditEvents.decode({ type: 'BondCredited', data: {} })).toThrow('BondCredited is not an event of an inbound credit');
    expect(masterAccountEvents.decodeIfKnown({ type: 'TenderCenterRegistered', data: {} })).toBeUndefined();
  });

  it('share no type between two streams, and the catalogue is every stream\'s types', () => {
    const all = STREAMS.flatMap((stream) => [...stream.types]);
    expect(new Set(all).size).toBe(all.length);
    expect([...LEDGER_EVENT_TYPES].sort()).toEqual(all.sort());
  });

  it('leave types outside the catalogue (idempotency records) undecoded for readers of the whole log', () => {
    expect(ledgerEvents.decodeIfKnown({ type: 'IdempotentResponseRecorded', data: {} })).toBeUndefined();
    expect(ledgerEvents.decodeIfKnown({ type: 'VirtualAccountIssued', data: { lotId: 'L1' } })?.type).toBe('VirtualAccountIssued');
  });
});

describe('stored folds', () => {
  it("fold a stream's stored events with its aggregate's evolve, refusing another stream's event", () => {
    const registered = {
      type: 'LotRegistered',
      data: {
        lotId: 'L1', centerId: 'C1', projectCode: 'P1', name: 'Lot 1', estimatedPrice: '1000000.00', bondAmount: '20000.00',
        depositDeadline: '2026-12-10T09:00:00+08:00', bidOpeningTime: '2026-12-10T09:30:00+08:00', basicAccountPolicy: 'FLAG', rateScheduleId: 'S1',
      },
    };
    expect(lotStoredFold.evolve(lotStoredFold.initialState, registered)).toEqual(lotDecider.evolve(lotDecider.initialState, lotEvents.decode(registered)));
    expect(() => inboundCreditStoredFold.evolve(inboundCreditStoredFold.initialState, registered)).toThrow(UnexpectedEventError);
  });
});
