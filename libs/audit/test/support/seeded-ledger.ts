import { PBOC_DEMAND_SCHEDULE, type LotRegistered, type Payer, formatVirtualAccountNo, lotBonds } from '@app/domain';
import { type Bank, LedgerSeeder } from './ledger-seeder';

/**
 * A realistic small ledger, written by the service's own commands (LedgerSeeder), every kind of event
 * they write on the embedded store: two banks, two tender centers, four master accounts (two at each
 * bank, so a bank's suspense spans master accounts; one number, M1, opened at both banks, by each
 * center at one, so the audit keeps them apart), a rate schedule whose rate changes while bonds are
 * held, and three lots:
 * - L1 (ENFORCE): lot-level and per-bidder accounts at two banks, a bond in two tranches, credits
 *   classified, returned (not a basic account and after the deadline, refusals the lot records; a wrong
 *   currency, at the door), reversed, and one suspended for a bad check digit then matched by an
 *   operator (requested on the credit, then taken by the lot); deadline, opening, award, refunds of
 *   which one fails and is retried;
 * - L2 (FLAG, the changing rate): a withdrawal refunded before opening, then termination and refunds
 *   over the rate change;
 * - L3 (OFF): a second lot-level account under M1 at bank B, paid by the bidder who withdraws after the
 *   deadline and whose bond is forfeited; an award, its refunds still to run.
 * Suspense: one returned, one reversed by the bank while in suspense, one still open.
 */

export const BANK_A: Bank = { bankCode: '102100099996', prefix: '955880' };
export const BANK_B: Bank = { bankCode: '103100000026', prefix: '955881' };
export const BANKS = [BANK_A, BANK_B] as const;

export const M1 = '6217000010001';
export const M2 = '6217000020002';
export const M3 = '6217000010003';
/** M1's number at bank B (C-SZ's): another account than M1 at bank A (C-GZ's). */
export const M1_AT_B = M1;

const PAYER_BANK = '105100000017';
const payer = (n: number, name: string): Payer => ({ accountNo: `62220200000${String(n).padStart(5, '0')}`, name, bankCode: PAYER_BANK });
const BIDDERS = {
  hua: payer(1, '华建集团有限公司'),
  jin: payer(2, 'Jin Roads Ltd'),
  kun: payer(3, 'Kun Bridges Co'),
  lan: payer(4, 'Lan Tunnels Co'),
  mei: payer(5, 'Mei Water Works'),
  nan: payer(6, 'Nan Civil Engineering'),
  ou: payer(7, 'Ou Steel Structures'),
} as const;
type BidderTag = keyof typeof BIDDERS;
const bidderId = (tag: BidderTag) => `bidder-${tag}`;
const STRANGER = payer(99, 'Undeclared Trading Co');

/** ACT/365, rate cut on 2026-12-15: L2's refunds span it. */
export const CHANGING_SCHEDULE = {
  scheduleId: 'BANKB-DEMAND-2026',
  dayCount: 'ACT/365' as const,
  entries: [
    { effectiveFrom: '2015-10-24', annualRate: '0.0035' },
    { effectiveFrom: '2026-12-15', annualRate: '0.0025' },
  ],
};

const at = (date: string, time = '10:00:00') => `${date}T${time}+08:00`;

const lotTerms = (lotId: string, centerId: string, over: Partial<LotRegistered['data']>): LotRegistered['data'] => ({
  lotId,
  centerId,
  projectCode: `PRJ-${lotId}`,
  name: `Lot ${lotId}`,
  estimatedPrice: '5000000.00',
  bondAmount: '50000.00',
  depositDeadline: at('2026-12-10', '09:00:00'),
  bidOpeningTime: at('2026-12-10', '09:30:00'),
  basicAccountPolicy: 'ENFORCE',
  rateScheduleId: PBOC_DEMAND_SCHEDULE.scheduleId,
  ...over,
});

/** The seeded ledger's lots. */
export type SeededLot = 'L1' | 'L2' | 'L3';

export interface SeededLedger {
  /** L3's bonds are due for refund and no refund was run: room for a refund instruction, or a credit, in a test. */
  readonly lotWithRefundsDue: SeededLot;
  /** The lot-level virtual account of each lot. */
  readonly lotAccounts: { readonly [lotId in SeededLot]: string };
  /** The credit still in suspense (at bank A), its payer a declared bidder. */
  readonly inSuspense: string;
  /** When the last event was recorded. */
  readonly endedAt: string;
}

export async function seedLedger(path: string): Promise<SeededLedger> {
  const seeder = LedgerSeeder.open(path, BANKS);
  try {
    return await seed(seeder);
  } finally {
    await seeder.close();
  }
}

async function seed(s: LedgerSeeder): Promise<SeededLedger> {
  let ref = 0;
  const pay = (payee: string, by: Payer, amount: string, day: string, extra: { currency?: string; time?: string } = {}) =>
    s.receive({
      bankRef: `HVPS2026${String((ref += 1)).padStart(6, '0')}`,
      receivedAt: at(day, extra.time),
      valueDate: day,
      amount,
      payer: by,
      payeeAccountNo: payee,
      remittanceInfo: 'bid bond',
      ...(extra.currency ? { currency: extra.currency } : {}),
    });

  // Set-up, at the start of November.
  s.at(at('2026-11-02', '09:00:00'));
  await s.builtInSchedule();
  await s.defineSchedule(CHANGING_SCHEDULE);
  await s.registerCenter('C-GZ', 'Guangzhou Public Resources Trading Center');
  await s.registerCenter('C-SZ', 'Shenzhen Construction Tender Center');
  await s.openMasterAccount('C-GZ', BANK_A.bankCode, M1, 'GZ bid bonds (bank A)');
  await s.openMasterAccount('C-GZ', BANK_B.bankCode, M2, 'GZ bid bonds (bank B)');
  await s.openMasterAccount('C-SZ', BANK_A.bankCode, M3, 'SZ bid bonds');
  await s.openMasterAccount('C-SZ', BANK_B.bankCode, M1_AT_B, 'SZ bid bonds (bank B)');
  for (const tag of Object.keys(BIDDERS) as BidderTag[]) await s.declareBasicAccount(bidderId(tag), BIDDERS[tag]);

  s.at(at('2026-11-20'));
  await s.registerLot(lotTerms('L1', 'C-GZ', {}));
  await s.registerLot(lotTerms('L2', 'C-GZ', { bondAmount: '20000.00', basicAccountPolicy: 'FLAG', rateScheduleId: CHANGING_SCHEDULE.scheduleId }));
  await s.registerLot(lotTerms('L3', 'C-SZ', { bondAmount: '10000.00', basicAccountPolicy: 'OFF', depositDeadline: at('2026-12-09', '09:00:00'), bidOpeningTime: at('2026-12-09', '10:00:00') }));
  const va1 = await s.issueVirtualAccount('L1', M1);
  const va2 = await s.issueVirtualAccount('L1', M2, bidderId('jin'));
  const va3 = await s.issueVirtualAccount('L2', M2);
  const va4 = await s.issueVirtualAccount('L3', M3);
  const va5 = await s.issueVirtualAccount('L3', M1_AT_B); // the lot's center holds M1 at bank B only

  // December, day by day (the store records in time order, as the service does).
  await pay(va1, BIDDERS.hua, '50000.00', '2026-12-01');
  await pay(va2, BIDDERS.jin, '50000.00', '2026-12-01');
  await pay(va1, BIDDERS.kun, '30000.00', '2026-12-02');
  await pay(va3, BIDDERS.hua, '20000.00', '2026-12-02');
  await pay(va3, BIDDERS.nan, '19999.99', '2026-12-02'); // flagged below the bond amount
  await pay(va4, BIDDERS.kun, '10000.00', '2026-12-02');
  await pay(va4, BIDDERS.lan, '10000.00', '2026-12-02');
  await pay(va1, BIDDERS.kun, '20000.00', '2026-12-03'); // kun's second tranche
  await pay(va1, STRANGER, '50000.00', '2026-12-03'); // RETURNED: not a declared basic account (ENFORCE)
  await pay(va1, BIDDERS.lan, '50000.00', '2026-12-03', { currency: 'USD' }); // RETURNED: currency
  await pay(va3, STRANGER, '20000.00', '2026-12-03'); // flagged: not a basic account (FLAG)
  await pay(va5, BIDDERS.ou, '10000.00', '2026-12-03'); // into M1 at bank B
  const lanCredit = await pay(va1, BIDDERS.lan, '50000.00', '2026-12-04');
  const badDigit = `${va1.slice(0, -1)}${(Number(va1.slice(-1)) + 1) % 10}`;
  const meiCredit = await pay(badDigit, BIDDERS.mei, '50000.00', '2026-12-04'); // SUSPENDED: bad check digit
  const unknownB = await pay(formatVirtualAccountNo(BANK_B.prefix, 987_654n), BIDDERS.ou, '12000.00', '2026-12-04'); // SUSPENDED at bank B
  const notVirtual = await pay('6222000011112222', BIDDERS.nan, '8800.00', '2026-12-04'); // SUSPENDED at bank A
  s.at(at('2026-12-04', '16:00:00'));
  await s.withdraw('L2', bidderId('nan'), at('2026-12-04', '16:00:00'));
  const stays = await pay(formatVirtualAccountNo(BANK_A.prefix, 555_555n), BIDDERS.jin, '4321.09', '2026-12-05'); // stays in suspense
  s.at(at('2026-12-05', '15:00:00'));
  await s.reverse(lanCredit.creditId, 'HVPS return: beneficiary bank rejected');
  await s.reverse(notVirtual.creditId, 'BEPS recall');
  s.at(at('2026-12-06'));
  const [nanRefund] = await s.refund('L2', '2026-12-06'); // before opening (Art. 35)
  if (!nanRefund) throw new Error('L2 refunded nothing');
  await s.settle(nanRefund.refundId, 'SETTLED', 'OUT-L2-NAN');
  s.at(at('2026-12-07', '11:00:00'));
  await s.matchSuspense(meiCredit.creditId, va1);
  await s.returnFromSuspense(unknownB.creditId);

  // L3: deadline, a late withdrawal, opening.
  s.at(at('2026-12-09', '09:00:05'));
  await s.recordTimePassed('L3');
  s.at(at('2026-12-09', '09:20:00'));
  await s.withdraw('L3', bidderId('ou'), at('2026-12-09', '09:20:00'));
  s.at(at('2026-12-09', '10:00:05'));
  await s.recordTimePassed('L3');

  // L1 and L2: deadline and opening, recorded by the lot clock; a payment after the deadline.
  s.at(at('2026-12-10', '09:00:02'));
  await s.recordTimePassed('L1');
  await s.recordTimePassed('L2');
  await pay(va1, BIDDERS.ou, '50000.00', '2026-12-10', { time: '09:12:00' }); // RETURNED: after the deadline
  s.at(at('2026-12-10', '09:30:02'));
  await s.recordTimePassed('L1');
  await s.recordTimePassed('L2');

  // The center keeps ou's bond (Art. 35); L2 is terminated; awards.
  s.at(at('2026-12-11'));
  const ouBond = lotBonds(await s.lotState('L3')).find((bond) => bond.bidderId === bidderId('ou'))!;
  await s.forfeit('L3', ouBond.bondId, 'withdrew after the deadline');
  s.at(at('2026-12-12'));
  await s.terminate('L2', 'tender documents withdrawn');
  // The lot clock: L2's refunds were due the day of its termination (Art. 31) and are not made: overdue.
  s.at(at('2026-12-13', '00:00:01'));
  await s.recordTimePassed('L2');
  s.at(at('2026-12-15'));
  await s.award('L3', bidderId('kun'), '2026-12-15');
  s.at(at('2026-12-18'));
  await s.award('L1', bidderId('hua'), '2026-12-18');

  // Refunds: L2's over the rate change; one of L1's bounces and is retried.
  s.at(at('2026-12-20'));
  for (const refund of await s.refund('L2', '2026-12-20')) await s.settle(refund.refundId, 'SETTLED', `OUT-${refund.refundId.slice(2, 10)}`);
  // The lot clock: L3's refunds (contract 12-15, due 12-20, Art. 57) are overdue; they stay unpaid.
  s.at(at('2026-12-21', '00:00:01'));
  await s.recordTimePassed('L3');
  s.at(at('2026-12-21'));
  const l1Refunds = await s.refund('L1', '2026-12-21');
  s.at(at('2026-12-22'));
  for (const refund of l1Refunds) {
    const bounced = refund.payTo.accountNo === BIDDERS.jin.accountNo;
    await s.settle(refund.refundId, bounced ? 'FAILED' : 'SETTLED', `OUT-${refund.refundId.slice(2, 10)}`, bounced ? 'account closed' : undefined);
  }
  s.at(at('2026-12-23'));
  for (const refund of await s.refund('L1', '2026-12-23')) await s.settle(refund.refundId, 'SETTLED', 'OUT-L1-JIN-2');
  return { lotWithRefundsDue: 'L3', lotAccounts: { L1: va1, L2: va3, L3: va4 }, inSuspense: stays.creditId, endedAt: at('2026-12-23') };
}
