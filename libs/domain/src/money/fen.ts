/**
 * Exact integer fen (0.01 CNY) as a bigint, for adding and comparing amounts that already have two
 * decimals where it runs per event (posting checks, read-model balances): no rounding can happen, and
 * it is several times cheaper than Decimal. Anything with fractions of a fen stays with Decimal.
 */

/**
 * A whole number of fen. Branded so that a count of something else (a day count, a revision) or an
 * amount in yuan cannot be taken for money: only `fenOf` and the arithmetic below make one.
 */
export type Fen = bigint & { readonly __unit: 'fen' };

export const ZERO_FEN = 0n as Fen;

/** Two decimals, an optional minus (balances are signed), no leading zeros. */
const TWO_DECIMALS = /^-?(0|[1-9]\d*)\.\d{2}$/;

/** "-123.45" → -12345n. Throws on anything but two decimals. */
export function fenOf(amount: string): Fen {
  if (typeof amount !== 'string' || !TWO_DECIMALS.test(amount)) throw new RangeError(`fenOf: ${JSON.stringify(amount)} is not an amount with two decimals`);
  return BigInt(amount.slice(0, -3) + amount.slice(-2)) as Fen;
}

/** -12345n → "-123.45"; zero is "0.00", never "-0.00" (as formatAmount writes it). (A plain bigint too, for sums of fen made outside the domain.) */
export function amountOfFen(fen: Fen | bigint): string {
  const negative = fen < 0n;
  const digits = (negative ? -fen : fen).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

export function addFen(a: Fen, b: Fen): Fen {
  return (a + b) as Fen;
}

export function subtractFen(a: Fen, b: Fen): Fen {
  return (a - b) as Fen;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareFen(a: Fen, b: Fen): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
