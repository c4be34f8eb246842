import { Decimal, addAmounts, formatAmount, subtractAmounts } from '../money';
import { type Posting, amountOf, balancedPostings } from './postings';

/**
 * Each account's balance over the given posting sets, as DEBITS MINUS CREDITS ("-100.00" for a
 * liability holding 100.00): reading a liability as credit-normal is the caller's business. Every set
 * is re-checked for balance first, so the balances of all accounts always sum to zero. Accounts appear
 * in the order they were first posted to, including those back at "0.00".
 */
export function balancesOf(postingSets: Iterable<readonly Posting[]>): Map<string, string> {
  const balances = new Map<string, Decimal>();
  for (const set of postingSets) {
    for (const posting of balancedPostings(set)) {
      const before = balances.get(posting.account) ?? Decimal('0');
      const amount = amountOf(posting);
      const after = posting.side === 'DEBIT' ? addAmounts(before, amount) : subtractAmounts(before, amount);
      balances.set(posting.account, after);
    }
  }
  return new Map([...balances].map(([account, balance]) => [account, formatAmount(balance)]));
}
