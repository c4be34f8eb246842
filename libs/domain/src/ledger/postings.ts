import { Decimal, type ParsedAmount, amountOfFen, fenOf, isWireAmount, parseAmount } from '../money';

export type PostingSide = 'DEBIT' | 'CREDIT';

export interface Posting {
  readonly account: string;
  readonly side: PostingSide;
  /** Wire form, strictly positive: "123.45". */
  readonly amount: string;
}

/**
 * A posting set that breaks double entry. Thrown, not returned: deciders build postings from amounts
 * they have already validated, so this is always a programming error, never a business outcome.
 */
export class UnbalancedPostingsError extends Error {
  override readonly name = 'UnbalancedPostingsError';
}

/**
 * Checks a posting set and returns it frozen: at least one posting, every amount a strictly positive
 * wire amount, and the sum of debits equal to the sum of credits.
 */
export function balancedPostings(list: readonly Posting[]): readonly Posting[] {
  if (list.length === 0) throw new UnbalancedPostingsError('a posting set needs at least one posting');
  const checked = list.map(checkedPosting);
  // In exact fen: every amount has two decimals, so the sums need no Decimal (and run per event on replays).
  let debits = 0n;
  let credits = 0n;
  for (const { side, amount } of checked) {
    if (side === 'DEBIT') debits += fenOf(amount);
    else credits += fenOf(amount);
  }
  if (debits !== credits) {
    throw new UnbalancedPostingsError(`debits ${amountOfFen(debits)} != credits ${amountOfFen(credits)}`);
  }
  return Object.freeze(checked);
}

/** balancedPostings for postings written inline. */
export function postings(...list: Posting[]): readonly Posting[] {
  return balancedPostings(list);
}

/** The two postings that move `amount` from `creditAccount` to `debitAccount`. */
export function transfer(debitAccount: string, creditAccount: string, amount: string): readonly Posting[] {
  return balancedPostings([
    { account: debitAccount, side: 'DEBIT', amount },
    { account: creditAccount, side: 'CREDIT', amount },
  ]);
}

/** The amount of a posting already accepted by balancedPostings. */
export function amountOf(posting: Posting): Decimal {
  return Decimal(posting.amount);
}

function checkedPosting(posting: Posting, index: number): Posting {
  // Checked at run time as well: posting sets are also rebuilt from stored JSON on replay.
  const { account, side, amount } = posting;
  if (typeof account !== 'string' || account === '') {
    throw new UnbalancedPostingsError(`posting ${index}: account must be a non-empty string`);
  }
  if (side !== 'DEBIT' && side !== 'CREDIT') {
    throw new UnbalancedPostingsError(`posting ${index}: side must be DEBIT or CREDIT, got ${String(side)}`);
  }
  if (!isWireAmount(amount)) {
    const refusal = parseAmount(amount) as Extract<ParsedAmount, { ok: false }>;
    throw new UnbalancedPostingsError(`posting ${index}: ${refusal.message}`);
  }
  // The wire form has no sign: "0.00" is its only zero.
  if (amount === '0.00') {
    throw new UnbalancedPostingsError(`posting ${index}: amount must be positive, got "${amount}"`);
  }
  return Object.freeze({ account, side, amount });
}
