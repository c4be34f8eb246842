import { PBOC_DEMAND_SCHEDULE, balancesOf, type Posting } from '@app/domain';
import { LedgerHarness } from '../../test/ledger-harness';
import { BANK_A, BANK_B, CENTER, L1_TERMS, L2_TERMS, M1, M1_SPARE, M2, PREFIX_A, PREFIX_B, buildScenario } from '../../test/scenario';
import { foldEvents } from '../projection';
import { postingsOf } from '../known-events';
import {
  accountBalance,
  allAccountBalances,
  balancesProjection,
  masterAccountBalance,
  masterAccountsNumbered,
  suspenseBalance,
  virtualAccountBalance,
} from './balances.projection';

const scenario = buildScenario();
const { log } = scenario.harness;
const foldTo = (n: number) => foldEvents(balancesProjection, log.slice(0, n));

describe('balances projection', () => {
  it('agrees with balancesOf over every posting set in the log, at every point of the story', () => {
    for (let n = 0; n <= log.length; n++) {
      const sets = log.slice(0, n).map(postingsOf).filter((set) => set.length > 0);
      expect(allAccountBalances(foldTo(n))).toEqual(Object.fromEntries(balancesOf(sets)));
    }
  });

  it('reads hand-checked balances after the deposits, the reversal and the suspense resolutions', () => {
    const model = foldTo(scenario.marks.suspenseResolved);
    // VA1: alice 30 000 + 20 000, bob 50 000, dave 50 000 reversed, erin 40 000 matched from suspense.
    expect(accountBalance(model, `virtual:${scenario.va1}`)).toBe('-140000.00');
    expect(accountBalance(model, `virtual:${scenario.va2}`)).toBe('-60000.00');
    // Clearing in: 210 000 classified + 50 000 suspended; out: dave's 50 000 reversal, 10 000 returned from suspense.
    expect(accountBalance(model, `clearing:${BANK_A}`)).toBe('200000.00');
    expect(suspenseBalance(model, BANK_A)).toBe('0.00');
    expect(masterAccountBalance(model, BANK_A, M1)).toEqual({
      accountNo: M1,
      bankCode: BANK_A,
      centerId: CENTER,
      accountName: `Bid bonds ${CENTER}`,
      subAccountsBalance: '-200000.00',
      virtualAccountCount: 2,
    });
    expect(masterAccountBalance(model, BANK_A, M1_SPARE)).toMatchObject({ subAccountsBalance: '0.00', virtualAccountCount: 0 });
  });

  it('shows money in suspense per bank while it is there', () => {
    const model = foldTo(scenario.marks.l1Credited);
    expect(suspenseBalance(model, BANK_A)).toBe('-50000.00');
    expect(accountBalance(model, `suspense:${BANK_A}`)).toBe('-50000.00');
    expect(suspenseBalance(model, BANK_B)).toBe('0.00');
    // The five classified credits (30 000 + 50 000 + 20 000 + 60 000 + 50 000); the suspended money is in no sub-account.
    expect(masterAccountBalance(model, BANK_A, M1)?.subAccountsBalance).toBe('-210000.00');
  });

  it('reads hand-checked balances at the end: bonds paid out, interest and forfeiture booked', () => {
    const model = foldTo(log.length);
    expect(accountBalance(model, `virtual:${scenario.va1}`)).toBe('0.00');
    expect(accountBalance(model, `virtual:${scenario.va2}`)).toBe('0.00');
    // Interest at bank A: alice 9.82 + bob 9.72 + erin 6.61 + carol 10.50 (failed, reversed) + carol's retry 14.00.
    expect(accountBalance(model, `interest-expense:${BANK_A}`)).toBe('40.15');
    expect(accountBalance(model, `clearing:${BANK_A}`)).toBe('-40.15');
    // Bank B: frank 3.36 and hank 11.58 of interest; gina's 50 000 forfeited to the center.
    expect(accountBalance(model, `interest-expense:${BANK_B}`)).toBe('14.94');
    expect(accountBalance(model, `center-settlement:${CENTER}`)).toBe('-50000.00');
    expect(accountBalance(model, `clearing:${BANK_B}`)).toBe('49985.06');
    expect(masterAccountBalance(model, BANK_A, M1)?.subAccountsBalance).toBe('0.00');
    expect(masterAccountBalance(model, BANK_B, M2)?.subAccountsBalance).toBe('0.00');
    expect(virtualAccountBalance(model, scenario.va3)).toEqual({
      link: { virtualAccountNo: scenario.va3, masterAccountNo: M2, bankCode: BANK_B, lotId: 'L2', centerId: CENTER },
      balance: '0.00',
    });
    expect(virtualAccountBalance(model, scenario.va2).link).toMatchObject({ bidderId: 'carol' });
  });

  it('keeps the books balanced: all balances sum to zero', () => {
    for (const mark of Object.values(scenario.marks)) {
      const total = Object.values(allAccountBalances(foldTo(mark))).reduce((sum, balance) => sum + Math.round(Number(balance) * 100), 0);
      expect(total).toBe(0);
    }
  });

  it('reads "0.00" for an account never posted to and an unknown master account as undefined', () => {
    const model = foldTo(log.length);
    expect(accountBalance(model, 'virtual:9558800000000009999')).toBe('0.00');
    expect(virtualAccountBalance(model, '9558800000000009999')).toEqual({ balance: '0.00' });
    expect(masterAccountBalance(model, BANK_A, '000')).toBeUndefined();
    // A number is looked up with its bank: M1 is bank A's, bank B holds no M1.
    expect(masterAccountBalance(model, BANK_B, M1)).toBeUndefined();
    expect(masterAccountsNumbered(model, M1).map((master) => master.bankCode)).toEqual([BANK_A]);
  });

  it('keeps one number opened at two banks as two master accounts, each with its own sub-accounts and balance', () => {
    const h = new LedgerHarness(BANK_A);
    const SHARED = '6217000099990001';
    h.registerCenter(CENTER);
    h.registerCenter('C2');
    h.openMasterAccount(CENTER, BANK_A, SHARED, PREFIX_A);
    h.openMasterAccount('C2', BANK_B, SHARED, PREFIX_B);
    h.defineSchedule(PBOC_DEMAND_SCHEDULE);
    h.registerLot(L1_TERMS);
    h.registerLot({ ...L2_TERMS, centerId: 'C2', rateScheduleId: PBOC_DEMAND_SCHEDULE.scheduleId });
    // Each lot's center holds the number at one bank: the issue finds it there.
    const atA = h.issueVirtualAccount('L1', SHARED);
    const atB = h.issueVirtualAccount('L2', SHARED);
    const atB2 = h.issueVirtualAccount('L2', SHARED, 'frank');
    const at = (date: string) => `${date}T10:00:00+08:00`;
    h.receive({ bankRef: 'S001', receivedAt: at('2026-12-01'), valueDate: '2026-12-01', amount: '30000.00', payer: { accountNo: '6222000011110001', name: 'A Co', bankCode: '103100000026' }, payeeAccountNo: atA });
    h.receive({ bankRef: 'S002', receivedAt: at('2026-12-01'), valueDate: '2026-12-01', amount: '70000.00', payer: { accountNo: '6222000011110002', name: 'B Co', bankCode: '103100000026' }, payeeAccountNo: atB });
    h.receive({ bankRef: 'S003', receivedAt: at('2026-12-02'), valueDate: '2026-12-02', amount: '5000.00', payer: { accountNo: '6222000011110003', name: 'F Co', bankCode: '103100000026' }, payeeAccountNo: atB2 });

    const model = foldEvents(balancesProjection, h.log);
    expect(masterAccountBalance(model, BANK_A, SHARED)).toEqual({
      accountNo: SHARED,
      bankCode: BANK_A,
      centerId: CENTER,
      accountName: `Bid bonds ${CENTER}`,
      subAccountsBalance: '-30000.00',
      virtualAccountCount: 1,
    });
    expect(masterAccountBalance(model, BANK_B, SHARED)).toEqual({
      accountNo: SHARED,
      bankCode: BANK_B,
      centerId: 'C2',
      accountName: 'Bid bonds C2',
      subAccountsBalance: '-75000.00',
      virtualAccountCount: 2,
    });
    expect(masterAccountsNumbered(model, SHARED).map((master) => [master.bankCode, master.subAccountsBalance])).toEqual([
      [BANK_A, '-30000.00'],
      [BANK_B, '-75000.00'],
    ]);
    expect(virtualAccountBalance(model, atB).link).toMatchObject({ masterAccountNo: SHARED, bankCode: BANK_B, lotId: 'L2', centerId: 'C2' });
    // Whatever the order of the two openings and the issues in the log, the two stay apart.
    const reordered = foldEvents(balancesProjection, [...h.log].reverse().map((event, i) => ({ ...event, position: BigInt(i + 1) })));
    expect(masterAccountsNumbered(reordered, SHARED).map((master) => [master.bankCode, master.centerId])).toEqual([
      [BANK_A, CENTER],
      [BANK_B, 'C2'],
    ]);
  });

  it('adds postings made before the issue event to the master account when the issue arrives', () => {
    const event = (type: string, data: object, position: bigint) => ({ type, data, streamName: 's', position, revision: 0n });
    const posting: Posting[] = [
      { account: 'clearing:B', side: 'DEBIT', amount: '5.00' },
      { account: 'virtual:V', side: 'CREDIT', amount: '5.00' },
    ];
    const issued = { virtualAccountNo: 'V', sequence: '1', lotId: 'L', centerId: 'C', masterAccountNo: 'M', bankCode: 'B' };
    const early = foldEvents(balancesProjection, [event('X', { postings: posting }, 1n), event('VirtualAccountIssued', issued, 2n)]);
    const late = foldEvents(balancesProjection, [event('VirtualAccountIssued', issued, 1n), event('X', { postings: posting }, 2n)]);
    expect(masterAccountBalance(early, 'B', 'M')).toEqual(masterAccountBalance(late, 'B', 'M'));
    expect(masterAccountBalance(early, 'B', 'M')).toMatchObject({ subAccountsBalance: '-5.00', virtualAccountCount: 1 });
  });

  it('refuses an unbalanced posting set instead of publishing wrong balances', () => {
    const unbalanced = { postings: [{ account: 'clearing:B', side: 'DEBIT', amount: '5.00' }, { account: 'virtual:V', side: 'CREDIT', amount: '4.00' }] };
    expect(() => balancesProjection.apply(balancesProjection.initial, { type: 'X', data: unbalanced, streamName: 's', position: 1n, revision: 0n })).toThrow(
      /debits 5.00 != credits 4.00/,
    );
  });

  it('leaves balances alone for an event without postings (InboundCreditReversed of money not in suspense)', () => {
    const reversed = log.find((event) => event.type === 'InboundCreditReversed')!;
    expect(reversed.data).not.toHaveProperty('postings');
    const before = foldTo(log.indexOf(reversed));
    const after = balancesProjection.apply(before, reversed);
    expect(after).toEqual({ ...before, position: reversed.position.toString() });
  });
});
