import { at, defined } from '../../test/at';
import { DeciderSpecification } from '../../test/decider-specification';
import { ALICE, BANK, BOB, CENTER, LOT, LOT_VA, creditBond as credit, registered } from '../../test/lot-fixtures';
import { replay } from '../decider';
import { PBOC_DEMAND_SCHEDULE } from '../interest';
import { balancesOf } from '../ledger';
import type { CreditBond, RefundBonds } from './lot-commands';
import type { BondCredited, CreditRefused, LotEvent, LotRefusalReason } from './lot-events';
import { bondIdFor, refundIdFor } from './lot-ids';
import { lotCreditDecision, lotDecider } from './lot-decider';
import { lotBond, lotBonds } from './lot-state';

const spec = DeciderSpecification.for(lotDecider);

const BIDDER_VA = '9558800000000000026';

const aliceBond = bondIdFor(LOT, 'alice', ALICE.bankCode, ALICE.accountNo);
const bobBond = bondIdFor(LOT, 'bob', BOB.bankCode, BOB.accountNo);

/** The event a credit of Alice's is expected to produce, written out by hand. */
function aliceCredited(overrides: Partial<BondCredited['data']> = {}): BondCredited {
  const amount = overrides.amount ?? '50000.00';
  return {
    type: 'BondCredited',
    data: {
      lotId: LOT,
      bondId: aliceBond,
      creditId: 'C-HVPS001',
      bankRef: 'HVPS001',
      requestHash: 'hash-1',
      source: 'INBOUND',
      payer: ALICE,
      virtualAccountNo: LOT_VA,
      bankCode: BANK,
      amount,
      valueDate: '2026-12-01',
      receivedAt: '2026-12-01T10:02:03+08:00',
      principalAfter: amount,
      flags: [],
      anchorRevision: 0,
      postings: [
        { account: `clearing:${BANK}`, side: 'DEBIT', amount },
        { account: `virtual:${LOT_VA}`, side: 'CREDIT', amount },
      ],
      bidderId: 'alice',
      ...overrides,
    },
  };
}

function bobCredited(): BondCredited {
  return aliceCredited({
    bondId: bobBond,
    creditId: 'C-HVPS002',
    bankRef: 'HVPS002',
    requestHash: 'hash-2',
    payer: BOB,
    bidderId: 'bob',
    amount: '50000.00',
  });
}

/** The lot's record of a credit it did not take. */
function refused(reason: LotRefusalReason, overrides: Partial<CreditRefused['data']> = {}): CreditRefused {
  return {
    type: 'CreditRefused',
    data: { lotId: LOT, creditId: 'C-HVPS001', bankRef: 'HVPS001', source: 'INBOUND', anchorRevision: 0, reason, amount: '50000.00', ...overrides },
  };
}

const depositsClosed: LotEvent = { type: 'DepositsClosed', data: { lotId: LOT, depositDeadline: '2026-12-10T09:00:00+08:00' } };
const opened: LotEvent[] = [depositsClosed, { type: 'BidsOpened', data: { lotId: LOT, bidOpeningTime: '2026-12-10T09:30:00+08:00' } }];

const awarded: LotEvent = {
  type: 'LotAwarded',
  data: { lotId: LOT, winnerBidderId: 'alice', contractSignedOn: '2026-12-20', refundsDueBy: '2026-12-25' },
};

/** A refund run on `date`, asked that evening (the run may not be dated after today). */
const refundOn = (date: string): RefundBonds => ({ type: 'RefundBonds', refundOn: date, schedule: PBOC_DEMAND_SCHEDULE, now: `${date}T18:00:00+08:00` });

/** When the bank reports a settlement in these specifications: the evening of 21 December. */
const SETTLED_AT = '2026-12-21T18:00:00+08:00';

describe('lot decider', () => {
  describe('RegisterLot', () => {
    const command = {
      type: 'RegisterLot' as const,
      ...registered().data,
      centerExists: true,
      rateScheduleExists: true,
    };

    it('records the lot with its terms', () => {
      spec.given([]).when(command).then([registered()]);
    });

    it('accepts a bond of exactly 2% of the estimated price', () => {
      spec.given([]).when({ ...command, bondAmount: '100000.00' }).then([registered({ bondAmount: '100000.00' })]);
    });

    it('refuses a bond above 2% of the estimated price (Art. 26)', () => {
      spec.given([]).when({ ...command, bondAmount: '100000.01' }).thenRejects({ kind: 'BUSINESS_RULE', code: 'BOND_EXCEEDS_LIMIT', field: 'bondAmount' });
    });

    it('refuses a deposit deadline after the opening time, comparing instants across offsets', () => {
      // 09:31 in Beijing is 01:31Z, after an opening at 01:30Z.
      spec
        .given([])
        .when({ ...command, depositDeadline: '2026-12-10T09:31:00+08:00', bidOpeningTime: '2026-12-10T01:30:00Z' })
        .thenRejects({ code: 'DEADLINE_AFTER_OPENING', field: 'depositDeadline' });
    });

    it('accepts a deadline equal to the opening time', () => {
      const same = '2026-12-10T09:30:00+08:00';
      spec.given([]).when({ ...command, depositDeadline: same }).then([registered({ depositDeadline: same })]);
    });

    it.each([
      [{ centerExists: false }, 'TENDER_CENTER_NOT_FOUND', 'centerId'],
      [{ rateScheduleExists: false }, 'RATE_SCHEDULE_NOT_FOUND', 'rateScheduleId'],
    ])('refuses unknown references %j', (facts, code, field) => {
      spec.given([]).when({ ...command, ...facts }).thenRejects({ kind: 'NOT_FOUND', code, field });
    });

    it('refuses a second registration', () => {
      spec.given([registered()]).when(command).thenRejects({ kind: 'CONFLICT', code: 'LOT_EXISTS' });
    });

    it('is the first event of every lot: the fold refuses any other before it, as a corrupt stream', () => {
      expect(() => replay(lotDecider, [depositsClosed])).toThrow('lot event DepositsClosed before the lot was registered');
      expect(replay(lotDecider, [registered(), depositsClosed])).toMatchObject({ terms: { lotId: LOT }, depositsClosed: true });
    });
  });

  describe('CreditBond', () => {
    it('classifies a credit from a declared basic account to the bidder who declared it, with its postings', () => {
      spec.given([registered()]).when(credit()).then([aliceCredited()]);
    });

    it('binds the bidder of a per-bidder virtual account', () => {
      const events = spec
        .given([registered()])
        .when(credit({ virtualAccount: { virtualAccountNo: BIDDER_VA, bankCode: BANK, bidderId: 'alice' } }))
        .thenEvents();
      expect(events[0]).toMatchObject({ data: { bidderId: 'alice', virtualAccountNo: BIDDER_VA, bondId: aliceBond } });
    });

    it('adds a second credit from the same payer to the same bond, flagging the amount against the bond amount', () => {
      const first = aliceCredited({ amount: '20000.00', principalAfter: '20000.00', flags: ['AMOUNT_BELOW_BOND'] });
      first.data.postings = [
        { account: `clearing:${BANK}`, side: 'DEBIT', amount: '20000.00' },
        { account: `virtual:${LOT_VA}`, side: 'CREDIT', amount: '20000.00' },
      ];
      const second = spec
        .given([registered(), first])
        .when(credit({ creditId: 'C-HVPS009', bankRef: 'HVPS009', amount: '30000.00' }))
        .thenEvents();
      expect(at(second, 0).data).toMatchObject({ bondId: aliceBond, principalAfter: '50000.00', flags: [] });
      const state = spec.given([registered(), first]).when(credit({ creditId: 'C-HVPS009', bankRef: 'HVPS009', amount: '30000.01' })).thenState();
      expect(lotBond(state, aliceBond)).toMatchObject({ principal: '50000.01', flags: ['AMOUNT_ABOVE_BOND'] });
      expect(defined(lotBond(state, aliceBond), "Alice's bond").tranches.map((t) => t.amount)).toEqual(['20000.00', '30000.01']);
    });

    it('accepts a credit received exactly at the deadline and refuses one a second later, whatever the offset', () => {
      spec.given([registered()]).when(credit({ receivedAt: '2026-12-10T01:00:00Z' })).thenEvents();
      spec.given([registered()]).when(credit({ receivedAt: '2026-12-10T01:00:01Z' })).then([refused('AFTER_DEADLINE')]);
    });

    it('judges the deadline by receivedAt even when the deposits-closed event is already recorded', () => {
      spec.given([registered(), ...opened]).when(credit({ receivedAt: '2026-12-10T08:59:59+08:00' })).thenEvents();
    });

    it('ENFORCE returns a credit whose payer account no bidder declared (Art. 26: the bond comes from the basic account)', () => {
      spec.given([registered()]).when(credit({ payerDeclaredBy: [] })).then([refused('NOT_BASIC_ACCOUNT')]);
    });

    it("ENFORCE returns a credit to a bidder's virtual account from another bidder's basic account", () => {
      spec
        .given([registered()])
        .when(credit({ virtualAccount: { virtualAccountNo: BIDDER_VA, bankCode: BANK, bidderId: 'bob' }, payerDeclaredBy: ['alice'] }))
        .then([refused('NOT_BASIC_ACCOUNT')]);
    });

    it('FLAG accepts and marks a credit from an undeclared account, as its own bond without a bidder', () => {
      const event = spec.given([registered({ basicAccountPolicy: 'FLAG' })]).when(credit({ payerDeclaredBy: [] })).thenEvent();
      expect(event.data).toMatchObject({ flags: ['NOT_BASIC_ACCOUNT'], bondId: bondIdFor(LOT, undefined, ALICE.bankCode, ALICE.accountNo) });
      expect(event.data).not.toHaveProperty('bidderId');
    });

    it('OFF accepts it without a flag', () => {
      const event = spec.given([registered({ basicAccountPolicy: 'OFF' })]).when(credit({ payerDeclaredBy: [] })).thenEvent();
      expect(event.data).toMatchObject({ flags: [] });
    });

    it('refuses a credit to a lot-level account from an account declared by several bidders', () => {
      spec
        .given([registered({ basicAccountPolicy: 'OFF' })])
        .when(credit({ payerDeclaredBy: ['alice', 'mallory'] }))
        .then([refused('AMBIGUOUS_PAYER')]);
    });

    it('returns credits once the tender is terminated (Art. 31)', () => {
      const terminated: LotEvent = {
        type: 'TenderTerminated',
        data: { lotId: LOT, reason: 'cancelled', terminatedAt: '2026-12-05T10:00:00+08:00', refundsDueBy: '2026-12-05' },
      };
      spec.given([registered(), terminated]).when(credit()).then([refused('LOT_CLOSED')]);
    });

    it('returns credits once refunds after the award have started (Art. 57)', () => {
      const history = [registered(), aliceCredited(), ...opened, awarded];
      const instructed = spec.given(history).when(refundOn('2026-12-21')).thenEvent();
      spec
        .given([...history, instructed])
        .when(credit({ creditId: 'C-LATE', bankRef: 'LATE', payer: BOB, payerDeclaredBy: ['bob'] }))
        .then([refused('LOT_CLOSED', { creditId: 'C-LATE', bankRef: 'LATE' })]);
    });

    it('makes a bond born after the award refundable by the award\'s due date: a credit received in time, arriving late (Art. 57)', () => {
      const history = [registered(), aliceCredited(), ...opened, awarded];
      const late = credit({ creditId: 'C-LATE', bankRef: 'LATE', payer: BOB, payerDeclaredBy: ['bob'], receivedAt: '2026-12-10T08:59:00+08:00' });
      const event = spec.given(history).when(late).thenEvent();
      expect(event.data).toMatchObject({ bondId: bobBond, refundDueBy: '2026-12-25' });
      const state = spec.given(history).when(late).thenState();
      expect(lotBond(state, bobBond)).toMatchObject({ status: 'REFUND_DUE', refundDueBy: '2026-12-25' });
      expect(spec.given([...history, event]).when(refundOn('2026-12-21')).thenEvents()).toHaveLength(2);
    });

    it('refuses money that would take a bond past the amount limit of one payment, and takes it up to the limit', () => {
      const large = aliceCredited({ amount: '999999999999999.00', principalAfter: '999999999999999.00', flags: ['AMOUNT_ABOVE_BOND'] });
      large.data.postings = [
        { account: `clearing:${BANK}`, side: 'DEBIT', amount: '999999999999999.00' },
        { account: `virtual:${LOT_VA}`, side: 'CREDIT', amount: '999999999999999.00' },
      ];
      const next = { creditId: 'C-HVPS009', bankRef: 'HVPS009' };
      spec.given([registered(), large]).when(credit({ ...next, amount: '1.00' })).then([refused('AMOUNT_LIMIT', { ...next, amount: '1.00' })]);
      const taken = spec.given([registered(), large]).when(credit({ ...next, amount: '0.99' })).thenEvent();
      expect(taken.data).toMatchObject({ principalAfter: '999999999999999.99' });
    });

    it('decides each request of a credit once: asked again it records nothing, whatever changed since', () => {
      spec.given([registered(), aliceCredited()]).when(credit()).then([]);
      // A declaration made since would make the lot take it now: the refusal recorded first stands.
      spec.given([registered(), refused('NOT_BASIC_ACCOUNT')]).when(credit({ payerDeclaredBy: ['alice'] })).then([]);
      const state = spec.given([registered(), refused('NOT_BASIC_ACCOUNT')]).when(credit()).thenState();
      expect(lotCreditDecision(state, 'C-HVPS001', 0)).toEqual({ taken: false, reason: 'NOT_BASIC_ACCOUNT' });
    });

    it('decides a later request of the same credit afresh: a refused credit matched out of suspense', () => {
      const events = spec
        .given([registered({ basicAccountPolicy: 'OFF' }), refused('AMBIGUOUS_PAYER')])
        .when(credit({ source: 'SUSPENSE', anchorRevision: 2, virtualAccount: { virtualAccountNo: BIDDER_VA, bankCode: BANK, bidderId: 'alice' } }))
        .thenEvents();
      expect(events[0]).toMatchObject({ type: 'BondCredited', data: { source: 'SUSPENSE', anchorRevision: 2 } });
    });

    it('treats another body under a decided credit as a conflict (the anchor refuses it before a lot sees it)', () => {
      spec.given([registered(), aliceCredited()]).when(credit({ requestHash: 'other' })).thenRejects({ kind: 'CONFLICT', code: 'DUPLICATE_BANK_REF' });
    });

    it('moves a matched suspense credit from the suspense account', () => {
      const event = spec.given([registered()]).when(credit({ source: 'SUSPENSE' })).thenEvent();
      expect(event.data).toMatchObject({
        source: 'SUSPENSE',
        postings: [
          { account: `suspense:${BANK}`, side: 'DEBIT', amount: '50000.00' },
          { account: `virtual:${LOT_VA}`, side: 'CREDIT', amount: '50000.00' },
        ],
      });
    });

    it('refuses a credit for a lot that does not exist', () => {
      spec.given([]).when(credit()).thenRejects({ kind: 'NOT_FOUND', code: 'LOT_NOT_FOUND' });
    });

    it('replays a credit recorded before version 2 (no anchorRevision) as the answer to the credit\'s first request', () => {
      const { anchorRevision: _absent, ...version1 } = aliceCredited().data;
      const state = spec.given([registered(), { type: 'BondCredited', data: version1 } as BondCredited]).when(credit()).thenState();
      expect(lotCreditDecision(state, 'C-HVPS001', 0)).toMatchObject({ taken: true, credit: { anchorRevision: 0 } });
    });
  });

  describe('ReverseCredit', () => {
    const reverse = { type: 'ReverseCredit' as const, creditId: 'C-HVPS001', bankRef: 'HVPS001', reason: 'did not settle' };

    it('takes the credit out of its bond with the opposite postings', () => {
      spec.given([registered(), aliceCredited()]).when(reverse).then([
        {
          type: 'CreditReversed',
          data: {
            lotId: LOT,
            bondId: aliceBond,
            creditId: 'C-HVPS001',
            bankRef: 'HVPS001',
            reason: 'did not settle',
            amount: '50000.00',
            principalAfter: '0.00',
            postings: [
              { account: `virtual:${LOT_VA}`, side: 'DEBIT', amount: '50000.00' },
              { account: `clearing:${BANK}`, side: 'CREDIT', amount: '50000.00' },
            ],
          },
        },
      ]);
    });

    it('is idempotent, refuses unknown and refused credits, and refuses once the money was paid out', () => {
      const reversed = spec.given([registered(), aliceCredited()]).when(reverse).thenEvents();
      spec.given([registered(), aliceCredited(), ...reversed]).when(reverse).then([]);
      spec.given([registered()]).when(reverse).thenRejects({ kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND' });
      spec.given([registered(), refused('AFTER_DEADLINE')]).when(reverse).thenRejects({ kind: 'NOT_FOUND', code: 'CREDIT_NOT_FOUND' });
      const history = [registered(), aliceCredited(), ...opened, awarded];
      const instructed = spec.given(history).when(refundOn('2026-12-21')).thenEvents();
      spec.given([...history, ...instructed]).when(reverse).thenRejects({ code: 'CREDIT_ALREADY_PAID_OUT' });
    });

    it('still replays a suspense match voided before version 2: its money went back to suspense', () => {
      const matched = aliceCredited({ source: 'SUSPENSE' });
      const voided: LotEvent = {
        type: 'SuspenseMatchVoided',
        data: {
          lotId: LOT,
          bondId: aliceBond,
          creditId: 'C-HVPS001',
          amount: '50000.00',
          principalAfter: '0.00',
          postings: [
            { account: `virtual:${LOT_VA}`, side: 'DEBIT', amount: '50000.00' },
            { account: `suspense:${BANK}`, side: 'CREDIT', amount: '50000.00' },
          ],
        },
      };
      spec.given([registered(), matched, voided]).when(reverse).thenRejects({ code: 'CREDIT_NOT_FOUND' });
    });
  });

  describe('RecordTimePassed', () => {
    const timePassed = (now: string) => ({ type: 'RecordTimePassed' as const, now });

    it('records nothing before the deadline', () => {
      spec.given([registered()]).when(timePassed('2026-12-10T08:59:59+08:00')).then([]);
    });

    it('records the deadline once it has passed', () => {
      spec.given([registered()]).when(timePassed('2026-12-10T01:00:00Z')).then([depositsClosed]);
    });

    it('records both, in order, when the service was down over both', () => {
      spec.given([registered()]).when(timePassed('2026-12-11T00:00:00+08:00')).then(opened);
    });

    it('records each once', () => {
      spec.given([registered(), ...opened]).when(timePassed('2026-12-12T00:00:00+08:00')).then([]);
    });
  });

  describe('WithdrawBidder', () => {
    const withdraw = (noticeReceivedAt: string) => ({ type: 'WithdrawBidder' as const, bidderId: 'alice', noticeReceivedAt, now: noticeReceivedAt });

    it('before the deadline makes the bond refundable within 5 days of the notice, dated in Beijing time', () => {
      // 2026-12-05T16:30Z is 00:30 on 6 December in Beijing: due by 11 December.
      spec.given([registered(), aliceCredited()]).when(withdraw('2026-12-05T16:30:00Z')).then([
        {
          type: 'BidderWithdrew',
          data: { lotId: LOT, bidderId: 'alice', noticeReceivedAt: '2026-12-05T16:30:00Z', beforeDeadline: true, refundDueBy: '2026-12-11', bondIds: [aliceBond] },
        },
      ]);
      const state = spec.given([registered(), aliceCredited()]).when(withdraw('2026-12-05T16:30:00Z')).thenState();
      expect(lotBond(state, aliceBond)).toMatchObject({ status: 'REFUND_DUE', refundDueBy: '2026-12-11', forfeitable: false });
    });

    it('after the deadline makes the bond forfeitable and keeps it held', () => {
      const state = spec.given([registered(), aliceCredited()]).when(withdraw('2026-12-10T09:00:01+08:00')).thenState();
      expect(lotBond(state, aliceBond)).toMatchObject({ status: 'HELD', forfeitable: true });
    });

    it('refuses a bidder without a bond, a second withdrawal, and a withdrawal after the award', () => {
      spec.given([registered(), ...opened]).when(withdraw('2026-12-10T10:00:00+08:00')).thenRejects({ code: 'NO_BOND_FOR_BIDDER', field: 'bidderId' });
      const withdrawn = spec.given([registered(), aliceCredited()]).when(withdraw('2026-12-05T10:00:00+08:00')).thenEvents();
      spec.given([registered(), aliceCredited(), ...withdrawn]).when(withdraw('2026-12-06T10:00:00+08:00')).thenRejects({ code: 'ALREADY_WITHDRAWN' });
      spec.given([registered(), aliceCredited(), ...opened, awarded]).when(withdraw('2026-12-21T10:00:00+08:00')).thenRejects({ code: 'LOT_CLOSED' });
    });
  });

  describe('AwardLot and TerminateTender', () => {
    const award = { type: 'AwardLot' as const, winnerBidderId: 'alice', contractSignedOn: '2026-12-20', now: '2026-12-20T18:00:00+08:00' };
    const terminate = { type: 'TerminateTender' as const, reason: 'project cancelled', now: '2026-12-05T10:00:00+08:00' };

    it('awards after opening with every bond refundable by the contract date + 5 days (Art. 57)', () => {
      spec.given([registered(), aliceCredited(), bobCredited(), ...opened]).when(award).then([awarded]);
      const state = spec.given([registered(), aliceCredited(), bobCredited(), ...opened]).when(award).thenState();
      expect(lotBonds(state).map((b) => [b.status, b.refundDueBy])).toEqual([
        ['REFUND_DUE', '2026-12-25'],
        ['REFUND_DUE', '2026-12-25'],
      ]);
    });

    it('refuses an award before opening, twice, for a winner without bond, or after termination', () => {
      spec.given([registered(), aliceCredited()]).when(award).thenRejects({ code: 'BIDS_NOT_OPENED' });
      spec.given([registered(), aliceCredited(), ...opened, awarded]).when(award).thenRejects({ kind: 'CONFLICT', code: 'LOT_ALREADY_AWARDED' });
      spec.given([registered(), bobCredited(), ...opened]).when(award).thenRejects({ code: 'NO_BOND_FOR_BIDDER', field: 'winnerBidderId' });
      const terminated = spec.given([registered(), aliceCredited()]).when(terminate).thenEvents();
      spec.given([registered(), aliceCredited(), ...terminated, ...opened]).when(award).thenRejects({ code: 'LOT_CLOSED' });
    });

    it('terminates with every bond refundable at once (Art. 31)', () => {
      spec.given([registered(), aliceCredited()]).when(terminate).then([
        { type: 'TenderTerminated', data: { lotId: LOT, reason: 'project cancelled', terminatedAt: terminate.now, refundsDueBy: '2026-12-05' } },
      ]);
      const state = spec.given([registered(), aliceCredited()]).when(terminate).thenState();
      expect(lotBond(state, aliceBond)).toMatchObject({ status: 'REFUND_DUE', refundDueBy: '2026-12-05' });
    });

    it('refuses a second termination and a termination after the award', () => {
      const terminated = spec.given([registered()]).when(terminate).thenEvents();
      spec.given([registered(), ...terminated]).when(terminate).thenRejects({ kind: 'CONFLICT', code: 'LOT_ALREADY_TERMINATED' });
      spec.given([registered(), aliceCredited(), ...opened, awarded]).when(terminate).thenRejects({ code: 'LOT_ALREADY_AWARDED' });
    });
  });

  describe('ForfeitBond', () => {
    const forfeit = { type: 'ForfeitBond' as const, bondId: aliceBond, reason: 'withdrew after the deadline', ground: 'WITHDRAWN_AFTER_DEADLINE' as const };
    const lateWithdrawal: LotEvent = {
      type: 'BidderWithdrew',
      data: { lotId: LOT, bidderId: 'alice', noticeReceivedAt: '2026-12-10T10:00:00+08:00', beforeDeadline: false, bondIds: [aliceBond] },
    };

    it('moves a bond withdrawn after the deadline to the center, principal only', () => {
      spec.given([registered(), aliceCredited(), ...opened, lateWithdrawal]).when(forfeit).then([
        {
          type: 'BondForfeited',
          data: {
            lotId: LOT,
            bondId: aliceBond,
            centerId: CENTER,
            reason: 'withdrew after the deadline',
            ground: 'WITHDRAWN_AFTER_DEADLINE',
            amount: '50000.00',
            postings: [
              { account: `virtual:${LOT_VA}`, side: 'DEBIT', amount: '50000.00' },
              { account: `center-settlement:${CENTER}`, side: 'CREDIT', amount: '50000.00' },
            ],
          },
        },
      ]);
    });

    it('refuses forfeiture of a bond the rules protect, of an unknown bond, and twice', () => {
      spec.given([registered(), aliceCredited(), ...opened]).when(forfeit).thenRejects({ code: 'FORFEITURE_NOT_ALLOWED', field: 'bondId' });
      spec.given([registered(), ...opened]).when(forfeit).thenRejects({ kind: 'NOT_FOUND', code: 'BOND_NOT_FOUND' });
      spec.given([]).when(forfeit).thenRejects({ kind: 'NOT_FOUND', code: 'BOND_NOT_FOUND', field: 'bondId' });
      const forfeited = spec.given([registered(), aliceCredited(), ...opened, lateWithdrawal]).when(forfeit).thenEvents();
      spec.given([registered(), aliceCredited(), ...opened, lateWithdrawal, ...forfeited]).when(forfeit).thenRejects({ code: 'FORFEITURE_NOT_ALLOWED' });
    });
  });

  describe('RefundBonds and SettleRefund', () => {
    const awardedHistory = [registered(), aliceCredited(), bobCredited(), ...opened, awarded];

    it('instructs principal plus interest to refundOn (exclusive) to each payer account, with postings', () => {
      // 50,000.00 × 0.35% × 30 days (1 Dec inclusive to 31 Dec exclusive) / 360 = 14.5833… → 14.58
      const events = spec.given(awardedHistory).when(refundOn('2026-12-31')).thenEvents();
      expect(events).toHaveLength(2);
      expect(events[0]).toEqual({
        type: 'RefundInstructed',
        data: {
          lotId: LOT,
          refundId: refundIdFor(LOT, aliceBond, 1),
          bondId: aliceBond,
          bidderId: 'alice',
          payTo: ALICE,
          principal: '50000.00',
          interest: '14.58',
          total: '50014.58',
          refundOn: '2026-12-31',
          dueBy: '2026-12-25',
          late: true,
          attempt: 1,
          dayCount: 'ACT/360',
          rates: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }],
          postings: [
            { account: `virtual:${LOT_VA}`, side: 'DEBIT', amount: '50000.00' },
            { account: `interest-expense:${BANK}`, side: 'DEBIT', amount: '14.58' },
            { account: `clearing:${BANK}`, side: 'CREDIT', amount: '50014.58' },
          ],
        },
      });
      expect(at(events, 1).data).toMatchObject({ bondId: bobBond, payTo: BOB, total: '50014.58' });
    });

    it('marks a refund on or before the due date as on time, and a same-day refund earns 0.00 without an interest posting', () => {
      const onTime = at(spec.given(awardedHistory).when(refundOn('2026-12-25')).thenEvents(), 0);
      expect(onTime.data).toMatchObject({ late: false });
      const sameDay = spec
        .given([registered(), aliceCredited({ valueDate: '2026-12-05' }), { type: 'TenderTerminated', data: { lotId: LOT, reason: 'x', terminatedAt: '2026-12-05T12:00:00+08:00', refundsDueBy: '2026-12-05' } }])
        .when(refundOn('2026-12-05'))
        .thenEvents();
      expect(at(sameDay, 0).data).toMatchObject({ interest: '0.00', total: '50000.00', late: false });
      expect((at(sameDay, 0).data as { postings: unknown[] }).postings).toHaveLength(2);
    });

    it('leaves the ledger balanced: virtual account emptied, clearing paid out, interest expensed', () => {
      const instructed = spec.given(awardedHistory).when(refundOn('2026-12-31')).thenEvents();
      const all = [...awardedHistory, ...instructed].flatMap((e) => ('postings' in e.data ? [e.data.postings] : []));
      const balances = balancesOf(all);
      expect(balances.get(`virtual:${LOT_VA}`)).toBe('0.00');
      expect(balances.get(`interest-expense:${BANK}`)).toBe('29.16');
      expect(balances.get(`clearing:${BANK}`)).toBe('-29.16');
    });

    it('refuses when nothing is due, and a refund date before the bonds became refundable (refund-rules.ts)', () => {
      spec.given([registered(), aliceCredited(), ...opened]).when(refundOn('2026-12-31')).thenRejects({ code: 'NOTHING_TO_REFUND' });
      spec.given(awardedHistory).when(refundOn('2026-11-30')).thenRejects({ code: 'REFUND_BEFORE_REFUNDABLE', field: 'refundOn' });
    });

    it('settles a refund; a failed one returns the money to the bond and a retry makes a new instruction', () => {
      const instructed = spec.given(awardedHistory).when(refundOn('2026-12-21')).thenEvents();
      const aliceRefund = refundIdFor(LOT, aliceBond, 1);
      const history = [...awardedHistory, ...instructed];

      const settled = spec.given(history).when({ type: 'SettleRefund', refundId: aliceRefund, status: 'SETTLED', bankRef: 'OUT-1', now: SETTLED_AT }).thenState();
      expect(defined(lotBond(settled, aliceBond), "Alice's bond").status).toBe('REFUNDED');

      const failed = spec
        .given(history)
        .when({ type: 'SettleRefund', refundId: aliceRefund, status: 'FAILED', bankRef: 'OUT-1', reason: 'account closed', now: SETTLED_AT })
        .thenEvent();
      expect(failed.data).toMatchObject({
        reason: 'account closed',
        postings: [
          { account: `virtual:${LOT_VA}`, side: 'CREDIT', amount: '50000.00' },
          { account: `interest-expense:${BANK}`, side: 'CREDIT', amount: '9.72' },
          { account: `clearing:${BANK}`, side: 'DEBIT', amount: '50009.72' },
        ],
      });
      const retry = spec.given([...history, failed]).when(refundOn('2026-12-22')).thenEvents();
      expect(retry).toHaveLength(1);
      // 50,000.00 × 0.35% × 21 days / 360 = 10.2083… → 10.21; a new id for the second attempt.
      expect(at(retry, 0).data).toMatchObject({ bondId: aliceBond, refundId: refundIdFor(LOT, aliceBond, 2), attempt: 2, interest: '10.21' });
    });

    it('answers a repeated settlement as done and a contradicting one as a conflict', () => {
      const instructed = spec.given(awardedHistory).when(refundOn('2026-12-21')).thenEvents();
      const aliceRefund = refundIdFor(LOT, aliceBond, 1);
      const settle = { type: 'SettleRefund' as const, refundId: aliceRefund, status: 'SETTLED' as const, bankRef: 'OUT-1', now: SETTLED_AT };
      const settled = spec.given([...awardedHistory, ...instructed]).when(settle).thenEvents();
      spec.given([...awardedHistory, ...instructed, ...settled]).when(settle).then([]);
      spec.given([...awardedHistory, ...instructed, ...settled]).when({ ...settle, status: 'FAILED' }).thenRejects({ kind: 'CONFLICT', code: 'REFUND_ALREADY_SETTLED' });
      spec.given(awardedHistory).when({ ...settle, refundId: 'R-0000000000000000-L' }).thenRejects({ kind: 'NOT_FOUND', code: 'REFUND_NOT_FOUND' });
      spec.given([]).when(settle).thenRejects({ kind: 'NOT_FOUND', code: 'REFUND_NOT_FOUND', field: 'refundId' });
    });
  });
});
