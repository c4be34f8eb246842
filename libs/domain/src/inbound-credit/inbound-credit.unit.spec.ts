import { DeciderSpecification } from '../../test/decider-specification';
import { balancesOf } from '../ledger';
import type { Payer } from '../lot';
import { bondIdFor, creditIdFor } from '../lot';
import {
  CreditClassified,
  CreditOutcome,
  CreditReturned,
  CreditSuspended,
  InboundCreditEvent,
  InboundCreditReceived,
  InboundCreditRequest,
  RecordInboundCredit,
  RecordReversal,
  RecordSuspenseResolution,
  SuspenseMatched,
  SuspenseReturned,
  inboundCreditDecider,
  inboundCreditStream,
  suspenseResolvable,
} from './inbound-credit';

const spec = DeciderSpecification.for(inboundCreditDecider);

const LOT = 'L-2026-001';
const BANK = '102100099996';
const LOT_VA = '9558800000000000018';
const BANK_REF = 'HVPS20261201000123';
const CREDIT = creditIdFor(BANK_REF);
const ALICE: Payer = { accountNo: '6222000011112222', name: 'Alice Construction Co', bankCode: '103100000026' };
const ALICE_BOND = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);

function request(overrides: Partial<InboundCreditRequest> = {}): InboundCreditRequest {
  return {
    bankRef: BANK_REF,
    channel: 'HVPS',
    receivedAt: '2026-12-01T10:02:03+08:00',
    valueDate: '2026-12-01',
    amount: '50000.00',
    currency: 'CNY',
    payer: ALICE,
    payeeAccountNo: LOT_VA,
    remittanceInfo: 'bid bond L-2026-001',
    ...overrides,
  };
}

const CLASSIFIED: CreditOutcome = {
  outcome: 'CLASSIFIED',
  lotId: LOT,
  bondId: ALICE_BOND,
  bidderId: 'alice',
  virtualAccountNo: LOT_VA,
  flags: ['AMOUNT_BELOW_BOND'],
};
const SUSPENDED: CreditOutcome = { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT', bankCode: BANK };
const RETURNED_BY_LOT: CreditOutcome = { outcome: 'RETURNED', reason: 'AFTER_DEADLINE', lotId: LOT };
const RETURNED_AT_DOOR: CreditOutcome = { outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' };

function record(outcome: CreditOutcome, overrides: Partial<RecordInboundCredit> = {}): RecordInboundCredit {
  return { type: 'RecordInboundCredit', creditId: CREDIT, requestHash: 'hash-1', request: request(), outcome, ...overrides };
}

/** The expected events, written out by hand. */
const received: InboundCreditReceived = {
  type: 'InboundCreditReceived',
  data: {
    bankRef: BANK_REF,
    channel: 'HVPS',
    receivedAt: '2026-12-01T10:02:03+08:00',
    valueDate: '2026-12-01',
    amount: '50000.00',
    currency: 'CNY',
    payer: ALICE,
    payeeAccountNo: LOT_VA,
    remittanceInfo: 'bid bond L-2026-001',
    creditId: CREDIT,
    requestHash: 'hash-1',
  },
};

const classified: CreditClassified = {
  type: 'CreditClassified',
  data: { creditId: CREDIT, lotId: LOT, bondId: ALICE_BOND, bidderId: 'alice', virtualAccountNo: LOT_VA, flags: ['AMOUNT_BELOW_BOND'] },
};

const suspended: CreditSuspended = {
  type: 'CreditSuspended',
  data: {
    creditId: CREDIT,
    reason: 'UNKNOWN_VIRTUAL_ACCOUNT',
    bankCode: BANK,
    amount: '50000.00',
    postings: [
      { account: `clearing:${BANK}`, side: 'DEBIT', amount: '50000.00' },
      { account: `suspense:${BANK}`, side: 'CREDIT', amount: '50000.00' },
    ],
  },
};

const returnedByLot: CreditReturned = {
  type: 'CreditReturned',
  data: { creditId: CREDIT, reason: 'AFTER_DEADLINE', lotId: LOT, returnTo: ALICE, amount: '50000.00' },
};

const returnedAtDoor: CreditReturned = {
  type: 'CreditReturned',
  data: { creditId: CREDIT, reason: 'CURRENCY_NOT_SUPPORTED', returnTo: ALICE, amount: '50000.00' },
};

const MATCH: RecordSuspenseResolution = {
  type: 'RecordSuspenseResolution',
  resolution: { action: 'MATCH', lotId: LOT, bondId: ALICE_BOND, bidderId: 'alice', virtualAccountNo: LOT_VA, flags: [] },
};
const RETURN: RecordSuspenseResolution = { type: 'RecordSuspenseResolution', resolution: { action: 'RETURN' } };

const matched: SuspenseMatched = {
  type: 'SuspenseMatched',
  data: { creditId: CREDIT, lotId: LOT, bondId: ALICE_BOND, bidderId: 'alice', virtualAccountNo: LOT_VA, flags: [] },
};

const returnedFromSuspense: SuspenseReturned = {
  type: 'SuspenseReturned',
  data: {
    creditId: CREDIT,
    bankCode: BANK,
    returnTo: ALICE,
    amount: '50000.00',
    postings: [
      { account: `suspense:${BANK}`, side: 'DEBIT', amount: '50000.00' },
      { account: `clearing:${BANK}`, side: 'CREDIT', amount: '50000.00' },
    ],
  },
};

const REVERSE: RecordReversal = { type: 'RecordReversal', bankRef: BANK_REF, reason: 'not settled by CNAPS' };

const classifiedHistory: InboundCreditEvent[] = [received, classified];
const suspendedHistory: InboundCreditEvent[] = [received, suspended];
const returnedHistory: InboundCreditEvent[] = [received, returnedByLot];

function postingSetsOf(events: readonly InboundCreditEvent[]) {
  return events.flatMap((event) => ('postings' in event.data && event.data.postings ? [event.data.postings] : []));
}

describe('inbound credit decider', () => {
  it('names its stream by bank reference', () => {
    expect(inboundCreditStream(BANK_REF)).toBe('inbound-credit-HVPS20261201000123');
  });

  describe('RecordInboundCredit', () => {
    it('CLASSIFIED: records the request and the classification, with no postings of its own (they are in the lot)', () => {
      spec.given([]).when(record(CLASSIFIED)).then([received, classified]);
    });

    it('CLASSIFIED without a bidder (lot-level account, undeclared payer) records no bidderId at all', () => {
      const { bidderId: _b, ...withoutBidder } = classified.data;
      spec
        .given([])
        .when(record({ ...CLASSIFIED, bidderId: undefined }))
        .then([received, { type: 'CreditClassified', data: withoutBidder }]);
      const events = spec.given([]).when(record({ ...CLASSIFIED, bidderId: undefined })).thenEvents();
      expect(events[1].data).not.toHaveProperty('bidderId');
    });

    it('SUSPENDED: moves the money from clearing to the bank\'s suspense account', () => {
      spec.given([]).when(record(SUSPENDED)).then([received, suspended]);
    });

    it.each(['UNKNOWN_VIRTUAL_ACCOUNT', 'BAD_CHECK_DIGIT', 'AMBIGUOUS_PAYER'] as const)('SUSPENDED keeps the reason %s', (reason) => {
      const events = spec.given([]).when(record({ outcome: 'SUSPENDED', reason, bankCode: BANK })).thenEvents();
      expect(events[1]).toEqual({ type: 'CreditSuspended', data: { ...suspended.data, reason } });
    });

    it('RETURNED by the lot: records the return to the payer with the lot, and no postings', () => {
      spec.given([]).when(record(RETURNED_BY_LOT)).then([received, returnedByLot]);
      const [, returned] = spec.given([]).when(record(RETURNED_BY_LOT)).thenEvents();
      expect(returned.data).not.toHaveProperty('postings');
    });

    it('RETURNED at the door (no lot): no lotId, no postings, returnTo is the payer', () => {
      spec.given([]).when(record(RETURNED_AT_DOOR)).then([received, returnedAtDoor]);
      const [, returned] = spec.given([]).when(record(RETURNED_AT_DOOR)).thenEvents();
      expect(returned.data).not.toHaveProperty('lotId');
      expect(returned.data).not.toHaveProperty('postings');
    });

    it('records a request without remittance information without inventing one', () => {
      const { remittanceInfo: _r, ...bare } = request();
      const [event] = spec.given([]).when(record(SUSPENDED, { request: bare })).thenEvents();
      expect(event.data).not.toHaveProperty('remittanceInfo');
    });

    it.each([
      ['classified', classifiedHistory],
      ['suspended', suspendedHistory],
      ['returned', returnedHistory],
    ])('answers a retry of a %s credit with the same body with nothing new, whatever outcome the retry carries', (_name, history) => {
      spec.given(history).when(record(CLASSIFIED)).then([]);
      spec.given(history).when(record(SUSPENDED)).then([]);
      spec.given(history).when(record(RETURNED_AT_DOOR)).then([]);
    });

    it('refuses the same bank reference with another body: 409 DUPLICATE_BANK_REF on bankRef, never a second posting', () => {
      const other = record(SUSPENDED, { requestHash: 'hash-2', request: request({ amount: '50001.00' }) });
      spec.given(classifiedHistory).when(other).thenRejects({ kind: 'CONFLICT', code: 'DUPLICATE_BANK_REF', field: 'bankRef' });
      spec.given(suspendedHistory).when(other).thenRejects({ kind: 'CONFLICT', code: 'DUPLICATE_BANK_REF', field: 'bankRef' });
      spec.given([...suspendedHistory, matched]).when(other).thenRejects({ kind: 'CONFLICT', code: 'DUPLICATE_BANK_REF', field: 'bankRef' });
    });
  });

  describe('RecordSuspenseResolution', () => {
    it('RETURN: takes the money out of suspense back to clearing, to the payer', () => {
      spec.given(suspendedHistory).when(RETURN).then([returnedFromSuspense]);
    });

    it('RETURN leaves suspense and clearing where they were before the credit', () => {
      const balances = balancesOf(postingSetsOf([...suspendedHistory, returnedFromSuspense]));
      expect(balances.get(`suspense:${BANK}`)).toBe('0.00');
      expect(balances.get(`clearing:${BANK}`)).toBe('0.00');
    });

    it('MATCH: records the placement; the postings out of suspense are the lot\'s BondCredited (source SUSPENSE)', () => {
      spec.given(suspendedHistory).when(MATCH).then([matched]);
      const [event] = spec.given(suspendedHistory).when(MATCH).thenEvents();
      expect(event.data).not.toHaveProperty('postings');
    });

    it('MATCH without a bidder records no bidderId at all', () => {
      const { bidderId: _b, ...withoutBidder } = matched.data;
      spec
        .given(suspendedHistory)
        .when({ type: 'RecordSuspenseResolution', resolution: { ...MATCH.resolution, bidderId: undefined } as RecordSuspenseResolution['resolution'] })
        .then([{ type: 'SuspenseMatched', data: withoutBidder }]);
      const [event] = spec
        .given(suspendedHistory)
        .when({ type: 'RecordSuspenseResolution', resolution: { ...MATCH.resolution, bidderId: undefined } as RecordSuspenseResolution['resolution'] })
        .thenEvents();
      expect(event.data).not.toHaveProperty('bidderId');
    });

    it.each([
      ['classified', classifiedHistory],
      ['returned', returnedHistory],
      ['returned at the door', [received, returnedAtDoor]],
    ])('refuses a %s credit: 409 NOT_IN_SUSPENSE', (_name, history) => {
      spec.given(history).when(RETURN).thenRejects({ kind: 'CONFLICT', code: 'NOT_IN_SUSPENSE', field: 'creditId' });
      spec.given(history).when(MATCH).thenRejects({ kind: 'CONFLICT', code: 'NOT_IN_SUSPENSE', field: 'creditId' });
    });

    it('refuses an unknown credit: 404 CREDIT_NOT_FOUND', () => {
      spec.given([]).when(RETURN).thenRejects({ kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND', field: 'creditId' });
      spec.given([]).when(MATCH).thenRejects({ kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND', field: 'creditId' });
    });

    it.each([
      ['returned', returnedFromSuspense],
      ['matched', matched],
    ])('refuses a second resolution once %s: 409 NOT_IN_SUSPENSE', (_name, first) => {
      spec.given([...suspendedHistory, first]).when(RETURN).thenRejects({ kind: 'CONFLICT', code: 'NOT_IN_SUSPENSE' });
      spec.given([...suspendedHistory, first]).when(MATCH).thenRejects({ kind: 'CONFLICT', code: 'NOT_IN_SUSPENSE' });
    });

    it('refuses a resolution of a suspended credit the bank has reversed', () => {
      const reversed = spec.given(suspendedHistory).when(REVERSE).thenEvents();
      spec.given([...suspendedHistory, ...reversed]).when(MATCH).thenRejects({ code: 'NOT_IN_SUSPENSE' });
    });

    it('suspenseResolvable answers the same as the decider', () => {
      expect(suspenseResolvable({})).toMatchObject({ kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND' });
      expect(suspenseResolvable({ received: received.data, status: 'SUSPENDED', suspenseBank: BANK })).toBeUndefined();
      expect(suspenseResolvable({ received: received.data, status: 'MATCHED' })).toMatchObject({ kind: 'CONFLICT', code: 'NOT_IN_SUSPENSE' });
    });
  });

  describe('RecordReversal', () => {
    it('of a suspended credit: the money leaves suspense back to clearing, here', () => {
      spec.given(suspendedHistory).when(REVERSE).then([
        {
          type: 'InboundCreditReversed',
          data: {
            creditId: CREDIT,
            bankRef: BANK_REF,
            reason: 'not settled by CNAPS',
            postings: [
              { account: `suspense:${BANK}`, side: 'DEBIT', amount: '50000.00' },
              { account: `clearing:${BANK}`, side: 'CREDIT', amount: '50000.00' },
            ],
          },
        },
      ]);
      const reversed = spec.given(suspendedHistory).when(REVERSE).thenEvents();
      const balances = balancesOf(postingSetsOf([...suspendedHistory, ...reversed]));
      expect(balances.get(`suspense:${BANK}`)).toBe('0.00');
      expect(balances.get(`clearing:${BANK}`)).toBe('0.00');
    });

    it('of a classified credit: no postings here (the lot posts CreditReversed), and names the lot', () => {
      spec.given(classifiedHistory).when(REVERSE).then([
        { type: 'InboundCreditReversed', data: { creditId: CREDIT, bankRef: BANK_REF, reason: 'not settled by CNAPS', lotId: LOT } },
      ]);
    });

    it('of a credit matched out of suspense: no postings here, names the lot it was matched to', () => {
      spec.given([...suspendedHistory, matched]).when(REVERSE).then([
        { type: 'InboundCreditReversed', data: { creditId: CREDIT, bankRef: BANK_REF, reason: 'not settled by CNAPS', lotId: LOT } },
      ]);
    });

    it('of a returned credit: recorded, with no postings (the money never entered the ledger)', () => {
      spec.given(returnedHistory).when(REVERSE).then([
        { type: 'InboundCreditReversed', data: { creditId: CREDIT, bankRef: BANK_REF, reason: 'not settled by CNAPS' } },
      ]);
      spec.given([received, returnedAtDoor]).when(REVERSE).then([
        { type: 'InboundCreditReversed', data: { creditId: CREDIT, bankRef: BANK_REF, reason: 'not settled by CNAPS' } },
      ]);
    });

    it('refuses a bank reference that is not the credit\'s: 422 BANK_REF_MISMATCH on bankRef', () => {
      spec
        .given(suspendedHistory)
        .when({ ...REVERSE, bankRef: 'HVPS20261201000999' })
        .thenRejects({ kind: 'BUSINESS_RULE', code: 'BANK_REF_MISMATCH', field: 'bankRef' });
    });

    it.each([
      ['suspended', suspendedHistory],
      ['classified', classifiedHistory],
      ['returned', returnedHistory],
    ])('answers a second reversal of a %s credit with nothing new', (_name, history) => {
      const reversed = spec.given(history).when(REVERSE).thenEvents();
      expect(reversed).toHaveLength(1);
      spec.given([...history, ...reversed]).when(REVERSE).then([]);
      spec.given([...history, ...reversed]).when({ ...REVERSE, reason: 'reported again' }).then([]);
    });

    it('refuses a credit already returned out of suspense: 422 CREDIT_ALREADY_PAID_OUT', () => {
      spec
        .given([...suspendedHistory, returnedFromSuspense])
        .when(REVERSE)
        .thenRejects({ kind: 'BUSINESS_RULE', code: 'CREDIT_ALREADY_PAID_OUT', field: 'creditId' });
    });

    it('refuses an unknown credit: 404 CREDIT_NOT_FOUND', () => {
      spec.given([]).when(REVERSE).thenRejects({ kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND', field: 'creditId' });
    });
  });

  describe('state', () => {
    it('a classified credit: the first outcome is exactly the answer given, placed in its bond', () => {
      const state = spec.given([]).when(record(CLASSIFIED)).thenState();
      expect(state).toEqual({
        received: received.data,
        firstOutcome: CLASSIFIED,
        status: 'CLASSIFIED',
        placement: { lotId: LOT, bondId: ALICE_BOND },
      });
    });

    it('a suspended credit remembers its suspense bank', () => {
      const state = spec.given([]).when(record(SUSPENDED)).thenState();
      expect(state).toEqual({ received: received.data, firstOutcome: SUSPENDED, status: 'SUSPENDED', suspenseBank: BANK });
    });

    it('a returned credit: the first outcome carries the lot only when the lot returned it', () => {
      expect(spec.given([]).when(record(RETURNED_BY_LOT)).thenState()).toMatchObject({ firstOutcome: RETURNED_BY_LOT, status: 'RETURNED' });
      const atDoor = spec.given([]).when(record(RETURNED_AT_DOOR)).thenState();
      expect(atDoor.firstOutcome).toEqual(RETURNED_AT_DOOR);
      expect(atDoor.firstOutcome).not.toHaveProperty('lotId');
      expect(atDoor.placement).toBeUndefined();
    });

    it('keeps the first outcome (the retry answer) after a match and a reversal', () => {
      const afterMatch = spec.given(suspendedHistory).when(MATCH).thenState();
      expect(afterMatch).toMatchObject({ firstOutcome: SUSPENDED, status: 'MATCHED', placement: { lotId: LOT, bondId: ALICE_BOND } });
      const afterReversal = spec.given([...suspendedHistory, matched]).when(REVERSE).thenState();
      expect(afterReversal).toMatchObject({ firstOutcome: SUSPENDED, status: 'REVERSED' });
    });

    it('keeps the first outcome after a return from suspense', () => {
      const state = spec.given(suspendedHistory).when(RETURN).thenState();
      expect(state).toMatchObject({ firstOutcome: SUSPENDED, status: 'RETURNED_FROM_SUSPENSE' });
    });

    it('keeps the first outcome of a classified credit after its reversal', () => {
      const state = spec.given(classifiedHistory).when(REVERSE).thenState();
      expect(state).toMatchObject({ firstOutcome: CLASSIFIED, status: 'REVERSED', placement: { lotId: LOT, bondId: ALICE_BOND } });
    });
  });
});
