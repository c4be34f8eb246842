/**
 * Ledger account ids. Every id is `<kind>:<identifier>`; identifiers follow the API's identifier rule
 * (no ':'), so an id names exactly one account and reads back unambiguously.
 */

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The bank's interbank clearing account (asset): where inbound transfers land and refunds leave. */
export function clearingAccount(bankCode: string): string {
  return accountId('clearing', bankCode);
}

/** A virtual sub-account (liability): what the bank owes the bidders who paid into it. */
export function virtualSubAccount(virtualAccountNo: string): string {
  return accountId('virtual', virtualAccountNo);
}

/** Money received but not identified (liability): held until an operator matches or returns it. */
export function suspenseAccount(bankCode: string): string {
  return accountId('suspense', bankCode);
}

/** The bank's cost of the interest it pays on bonds (expense). */
export function interestExpenseAccount(bankCode: string): string {
  return accountId('interest-expense', bankCode);
}

/** What the bank owes a tender center (liability): where forfeited bonds go. */
export function centerSettlementAccount(centerId: string): string {
  return accountId('center-settlement', centerId);
}

function accountId(kind: string, identifier: string): string {
  // A malformed identifier here is a caller's bug: commands validate identifiers before deciding.
  if (!IDENTIFIER.test(identifier)) throw new RangeError(`${kind} account: invalid identifier "${identifier}"`);
  return `${kind}:${identifier}`;
}
