import { formatVirtualAccountNo } from '@app/domain';
import { type Delivery, delivery } from './esb-client';
import { PAYER_BANK, PREFIX, inboundCredit, payer, plusDays, withWrongCheckDigit } from './ledger-fixtures';

/**
 * What the ledger must answer for a planned credit, whatever crashed in between. A credit with a
 * `virtualAccountNo` is addressed to an issued virtual account: its lot decides it (takes it, or refuses
 * it after the deadline); the others go to no lot.
 */
export type Expected =
  | { outcome: 'CLASSIFIED'; virtualAccountNo: string }
  | { outcome: 'SUSPENDED'; reason: 'BAD_CHECK_DIGIT' | 'UNKNOWN_VIRTUAL_ACCOUNT' }
  | { outcome: 'RETURNED'; reason: 'AFTER_DEADLINE'; virtualAccountNo: string }
  | { outcome: 'RETURNED'; reason: 'CURRENCY_NOT_SUPPORTED' };

export interface PlannedCredit extends Delivery {
  amount: string;
  expected: Expected;
}

export interface LoadPlan {
  /** Every virtual account of the lots (policy OFF, deadline the day before `lateOn`, 09:00 China Standard Time). */
  virtualAccounts: string[];
  /**
   * The day (China Standard Time) late credits are received, 10:00: a past day, since a credit received in
   * the future is suspended. Credits received two days before it are in time.
   */
  lateOn: string;
  count: number;
  /** A per-run tag in every bankRef, so runs never share a reference. */
  tag: string;
}

const PAYERS = 40;

/**
 * The ESB's credits: 70 % to issued virtual accounts (classified), 20 % unidentifiable (a wrong check
 * digit, an unissued number, no number at all: suspended), 10 % returned (late, or not CNY). Payers
 * repeat, so bonds take several tranches concurrently. One in five deliveries is impatient.
 */
export function planCredits(plan: LoadPlan): PlannedCredit[] {
  if (plan.virtualAccounts.length === 0) throw new Error('a load plan needs virtual accounts');
  const inTime = plusDays(plan.lateOn, -2);
  return Array.from({ length: plan.count }, (_, i) => {
    const bankRef = `HVPS${plan.tag}${String(i).padStart(6, '0')}`;
    // A prime step: every account in turn. In range: the list is not empty.
    const account = plan.virtualAccounts[(i * 7_919) % plan.virtualAccounts.length]!;
    const amount = `${100 + ((i * 37) % 90_000)}.${String((i * 13) % 100).padStart(2, '0')}`;
    const from = payer(`62220000${String(i % PAYERS).padStart(4, '0')}`, `Bidder ${i % PAYERS} Construction Co`, PAYER_BANK);
    const slot = i % 20;
    let payee = account;
    let expected: Expected = { outcome: 'CLASSIFIED', virtualAccountNo: account };
    let day = inTime;
    let currency = 'CNY';
    if (slot === 14 || slot === 15) {
      payee = withWrongCheckDigit(account);
      expected = { outcome: 'SUSPENDED', reason: 'BAD_CHECK_DIGIT' };
    } else if (slot === 16) {
      payee = formatVirtualAccountNo(PREFIX, 900_000_000 + i);
      expected = { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT' };
    } else if (slot === 17) {
      payee = `NO-SUCH-${i}`;
      expected = { outcome: 'SUSPENDED', reason: 'UNKNOWN_VIRTUAL_ACCOUNT' };
    } else if (slot === 18) {
      day = plan.lateOn;
      expected = { outcome: 'RETURNED', reason: 'AFTER_DEADLINE', virtualAccountNo: account };
    } else if (slot === 19) {
      currency = 'USD';
      expected = { outcome: 'RETURNED', reason: 'CURRENCY_NOT_SUPPORTED' };
    }
    const credit = inboundCredit({ bankRef, receivedAt: `${day}T10:00:00+08:00`, valueDate: day, amount, currency, payer: from, payeeAccountNo: payee, channel: i % 2 ? 'HVPS' : 'BEPS' });
    return { ...delivery(bankRef, credit, i % 5 === 3), amount, expected };
  });
}
