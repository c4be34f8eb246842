/**
 * Exact integer fen (0.01 CNY) as a bigint, for adding and comparing amounts that already have two
 * decimals where it runs per event (posting checks, read-model balances): no rounding can happen, and
 * it is several times cheaper than Decimal. Anything with fractions of a fen stays with Decimal.
 */

/** Two decimals, an optional minus (balances are signed), no leading zeros. */
const TWO_DECIMALS = /^-?(0|[1-9]\d*)\.\d{2}$/;

/** "-123.45" → -12345n. Throws on anything but two decimals. */
export function fenOf(amount: string): bigint {
  if (typeof amount !== 'string' || !TWO_DECIMALS.test(amount)) throw new RangeError(`fenOf: ${JSON.stringify(amount)} is not an amount with two decimals`);
  return BigInt(amount.slice(0, -3) + amount.slice(-2));
}

/** -12345n → "-123.45"; zero is "0.00", never "-0.00" (as formatAmount writes it). */
export function amountOfFen(fen: bigint): string {
  const negative = fen < 0n;
  const digits = (negative ? -fen : fen).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
