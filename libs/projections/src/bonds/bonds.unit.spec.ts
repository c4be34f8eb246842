import {
  PBOC_DEMAND_SCHEDULE,
  type LotState,
  type RateSchedule,
  type RefundInstructed,
  bondIdFor,
  isRejection,
  lotDecider,
  replay,
} from '@app/domain';
import { ALICE, BOB, CAROL, DAVE, ERIN, FRANK, GINA, HANK, L1_TERMS, L2_TERMS, SPLIT_365, buildScenario } from '../../test/scenario';
import { foldEvents } from '../projection';
import { bondView } from './bond-view';
import { type Bond, allBonds, bondOf, bondsOfLot, bondsProjection, lotTermsOf } from './bonds.projection';

const scenario = buildScenario();
const { log } = scenario.harness;
const foldTo = (n: number) => foldEvents(bondsProjection, log.slice(0, n));
const scheduleOf = (lotId: string): RateSchedule => (lotId === 'L1' ? PBOC_DEMAND_SCHEDULE : SPLIT_365);

/** The lot decider's own state after the first n events of the log. */
function deciderState(lotId: string, n: number): LotState {
  const events = log.slice(0, n).filter((event) => event.streamName === `lot-${lotId}`);
  return replay(lotDecider, events as never);
}

const aliceBond = bondIdFor('L1', 'alice', ALICE.bankCode, ALICE.accountNo);
const bobBond = bondIdFor('L1', undefined, BOB.bankCode, BOB.accountNo);
const carolBond = bondIdFor('L1', 'carol', CAROL.bankCode, CAROL.accountNo);
const daveBond = bondIdFor('L1', 'dave', DAVE.bankCode, DAVE.accountNo);
const erinBond = bondIdFor('L1', undefined, ERIN.bankCode, ERIN.accountNo);
const frankBond = bondIdFor('L2', 'frank', FRANK.bankCode, FRANK.accountNo);
const ginaBond = bondIdFor('L2', 'gina', GINA.bankCode, GINA.accountNo);
const hankBond = bondIdFor('L2', 'hank', HANK.bankCode, HANK.accountNo);

describe('bonds projection', () => {
  it("reads alice's bond: two tranches, principal, award due date, settled refund", () => {
    const bond = bondOf(foldTo(log.length), aliceBond)!;
    expect(bond).toMatchObject({
      lotId: 'L1',
      bondId: aliceBond,
      bidderId: 'alice',
      payer: ALICE,
      principal: '50000.00',
      status: 'REFUNDED',
      flags: [],
      forfeitable: false,
      refundDueBy: '2026-12-25',
      refundedLate: false,
    });
    expect(bond.tranches.map(({ creditId, amount, valueDate }) => ({ creditId, amount, valueDate }))).toEqual([
      { creditId: 'C-102100099996-A001', amount: '30000.00', valueDate: '2026-12-01' },
      { creditId: 'C-102100099996-A003', amount: '20000.00', valueDate: '2026-12-03' },
    ]);
    expect(bond.refunds).toEqual([
      expect.objectContaining({ attempt: 1, refundOn: '2026-12-22', interest: '9.82', total: '50009.82', late: false, status: 'SETTLED' }),
    ]);
  });

  it('carries flags, the reversal, the matched suspense credit, failure and late retry', () => {
    const model = foldTo(log.length);
    expect(bondOf(model, bobBond)).toMatchObject({ flags: ['NOT_BASIC_ACCOUNT'], status: 'REFUNDED' });
    expect(bondOf(model, bobBond)).not.toHaveProperty('bidderId');
    expect(bondOf(model, erinBond)).toMatchObject({ flags: ['NOT_BASIC_ACCOUNT', 'AMOUNT_BELOW_BOND'], principal: '40000.00' });
    expect(bondOf(model, daveBond)).toMatchObject({ principal: '0.00', tranches: [], flags: ['AMOUNT_BELOW_BOND'], status: 'REFUND_DUE' });
    const carol = bondOf(model, carolBond)!;
    // Her own account (per-bidder VA) is not a declared basic account: flagged under policy FLAG.
    expect(carol).toMatchObject({ bidderId: 'carol', flags: ['NOT_BASIC_ACCOUNT', 'AMOUNT_ABOVE_BOND'], status: 'REFUNDED', refundedLate: true });
    expect(carol.refunds.map(({ attempt, refundOn, interest, late, status }) => ({ attempt, refundOn, interest, late, status }))).toEqual([
      { attempt: 1, refundOn: '2026-12-22', interest: '10.50', late: false, status: 'FAILED' },
      { attempt: 2, refundOn: '2026-12-28', interest: '14.00', late: true, status: 'SETTLED' },
    ]);
  });

  it('carries withdrawals and the forfeiture of lot L2', () => {
    const model = foldTo(log.length);
    expect(bondOf(model, frankBond)).toMatchObject({
      status: 'REFUNDED',
      refundDueBy: '2026-12-10',
      withdrawal: { noticeReceivedAt: '2026-12-05T10:00:00+08:00', beforeDeadline: true },
    });
    expect(bondOf(model, ginaBond)).toMatchObject({
      status: 'FORFEITED',
      forfeitable: true,
      withdrawal: { beforeDeadline: false },
      forfeiture: { reason: 'withdrew after the deadline', amount: '50000.00' },
    });
    expect(bondOf(model, hankBond)).toMatchObject({ status: 'REFUNDED', refundDueBy: '2026-12-12', refundedLate: true });
    expect(allBonds(model)).toHaveLength(8);
    expect(lotTermsOf(model, 'L2')).toEqual(L2_TERMS);
    expect(bondOf(model, 'B-0000000000000000-L9')).toBeUndefined();
    expect(bondOf(model, 'not-a-bond-id')).toBeUndefined();
    expect(bondsOfLot(model, 'constructor')).toBeUndefined();
  });
});

describe('bondView', () => {
  it("pays, on every refund day of the story, exactly the interest the lot decider's RefundBonds instructed", () => {
    const instructions = log.filter((event) => event.type === 'RefundInstructed');
    expect(instructions).toHaveLength(7);
    for (const instruction of instructions) {
      const refund = instruction.data as RefundInstructed['data'];
      const before = foldTo(log.indexOf(instruction));
      const view = bondView(bondOf(before, refund.bondId)!, lotTermsOf(before, refund.lotId)!, scheduleOf(refund.lotId), refund.refundOn);
      expect({ bondId: refund.bondId, accruedInterest: view.accruedInterest }).toEqual({ bondId: refund.bondId, accruedInterest: refund.interest });
      expect(view.interestTo).toBe(refund.refundOn);
    }
  });

  it('agrees to the fen with a RefundBonds decided on any day from the award to a year on', () => {
    for (const [lotId, mark] of [['L1', scenario.marks.l1Awarded], ['L2', scenario.marks.l2Terminated]] as const) {
      const model = foldTo(mark);
      const state = deciderState(lotId, mark);
      for (let day = 0; day < 366; day++) {
        const refundOn = new Date(Date.UTC(2026, 11, 20 + day)).toISOString().slice(0, 10);
        const decision = lotDecider.decide({ type: 'RefundBonds', refundOn, schedule: scheduleOf(lotId), now: `${refundOn}T18:00:00+08:00` }, state);
        if (isRejection(decision)) throw new Error(`${lotId} ${refundOn}: ${decision.code}`);
        for (const event of decision) {
          const refund = event.data as RefundInstructed['data'];
          const view = bondView(bondOf(model, refund.bondId)!, lotTermsOf(model, lotId)!, scheduleOf(lotId), refundOn);
          if (view.accruedInterest !== refund.interest) {
            throw new Error(`${refund.bondId} on ${refundOn}: view ${view.accruedInterest}, refund ${refund.interest}`);
          }
        }
      }
    }
  });

  it('shows hand-checked accrued interest to today, exclusive (ACT/360 and a rate change under ACT/365)', () => {
    const model = foldTo(scenario.marks.l1Opened);
    const view = (bondId: string, today: string) => {
      const bond = bondOf(model, bondId)!;
      return bondView(bond, lotTermsOf(model, bond.lotId)!, scheduleOf(bond.lotId), today);
    };
    // 30 000 × 0.35% × 9 days / 360 + 20 000 × 0.35% × 7 / 360 = (945 + 490) / 360 = 3.986…
    expect(view(aliceBond, '2026-12-10')).toMatchObject({ asOf: '2026-12-10', accruedInterest: '3.99', interestTo: '2026-12-10', overdue: false });
    // The day of credit counts, the refund day does not: nothing on the value date itself.
    expect(view(aliceBond, '2026-12-01').accruedInterest).toBe('0.00');
    // 30 000 × 0.35% × 1 / 360 = 0.2916…
    expect(view(aliceBond, '2026-12-02').accruedInterest).toBe('0.29');
    // hank: 50 000 × (0.35% × 7 + 1.50% × 5) / 365 = (1225 + 3750) / 365 = 13.630…
    expect(view(hankBond, '2026-12-15').accruedInterest).toBe('13.63');
  });

  it('freezes the interest of a refunded bond at its refund, shows none on a forfeited one, and marks overdue', () => {
    const end = foldTo(log.length);
    const carol = bondOf(end, carolBond)!;
    expect(bondView(carol, L1_TERMS, PBOC_DEMAND_SCHEDULE, '2027-06-01')).toMatchObject({ accruedInterest: '14.00', interestTo: '2026-12-28' });
    expect(bondView(bondOf(end, ginaBond)!, L2_TERMS, SPLIT_365, '2027-06-01')).toMatchObject({ accruedInterest: '0.00', overdue: false });
    expect(bondView(bondOf(end, ginaBond)!, L2_TERMS, SPLIT_365, '2027-06-01')).not.toHaveProperty('interestTo');

    const afterFailure = foldTo(scenario.marks.carolFailed);
    const failed = bondOf(afterFailure, carolBond)!;
    expect(failed.status).toBe('REFUND_DUE');
    // 60 000 × 0.35% × 21 days (12-04 to 12-25) / 360 = 12.25
    expect(bondView(failed, L1_TERMS, PBOC_DEMAND_SCHEDULE, '2026-12-25')).toMatchObject({ overdue: false, accruedInterest: '12.25' });
    expect(bondView(failed, L1_TERMS, PBOC_DEMAND_SCHEDULE, '2026-12-26')).toMatchObject({ overdue: true });
    const pending = bondOf(foldTo(scenario.marks.l1Refunded), carolBond)!;
    // Instructed is not paid (Art. 57): a refund still pending after its due date is overdue too.
    expect(bondView(pending, L1_TERMS, PBOC_DEMAND_SCHEDULE, '2026-12-30')).toMatchObject({ status: 'REFUND_PENDING', accruedInterest: '10.50', overdue: true });
  });

  it('reports a schedule that cannot price the bond instead of inventing interest', () => {
    const bond: Bond = bondOf(foldTo(log.length), daveBond)!;
    const held: Bond = { ...bondOf(foldTo(scenario.marks.l1Opened), aliceBond)! };
    const terms = { ...L1_TERMS, rateScheduleId: 'FROM-2027' };
    const schedule: RateSchedule = { scheduleId: 'FROM-2027', dayCount: 'ACT/360', entries: [{ effectiveFrom: '2027-01-01', annualRate: '0.0035' }] };
    const view = bondView(held, terms, schedule, '2027-02-01');
    expect(view.interestError).toMatchObject({ reason: 'NO_RATE_FOR_DATE' });
    expect(view).not.toHaveProperty('accruedInterest');
    // A bond emptied by reversals has no tranche: nothing accrues, and nothing is overdue.
    expect(bondView(bond, terms, schedule, '2027-02-01')).toMatchObject({ status: 'REFUND_DUE', accruedInterest: '0.00', overdue: false });
  });

  it("throws on a caller's mistake: another lot's terms, another schedule, a today that is not a date", () => {
    const alice = bondOf(foldTo(log.length), aliceBond)!;
    expect(() => bondView(alice, L2_TERMS, SPLIT_365, '2026-12-22')).toThrow(RangeError);
    expect(() => bondView(alice, L1_TERMS, SPLIT_365, '2026-12-22')).toThrow(/accrues at schedule PBOC-DEMAND/);
    expect(() => bondView(alice, L1_TERMS, PBOC_DEMAND_SCHEDULE, '2026-12-22T00:00:00Z')).toThrow(RangeError);
  });
});
