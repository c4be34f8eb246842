import { Decimal } from './decimal';
import { type Fen, fenOf } from './fen';

export const CURRENCY = 'CNY';

/** The wire form: no sign, no exponent, exactly two decimals, below 10^15. */
export const WIRE_AMOUNT_FORM = /^(0|[1-9]\d{0,14})\.\d{2}$/;
const WELL_FORMED_BUT_TOO_LARGE = /^[1-9]\d{15,}\.\d{2}$/;

/**
 * The amount limit: the largest amount the wire form and a posting can carry. A bond's principal and a
 * refund's total must stay within it, so the money a bond holds can always be paid out in one posting.
 */
export const MAX_AMOUNT = '999999999999999.99';

const MAX_FEN = fenOf(MAX_AMOUNT);

/** Whether an amount is above the amount limit (MAX_AMOUNT). */
export function exceedsAmountLimit(value: Decimal | Fen): boolean {
  return typeof value === 'bigint' ? value > MAX_FEN : Decimal(value).gt(MAX_AMOUNT);
}

export type AmountRejection = 'MALFORMED_AMOUNT' | 'AMOUNT_TOO_LARGE';

export type ParsedAmount =
  | { ok: true; value: Decimal }
  | { ok: false; reason: AmountRejection; message: string };

/** The wire form, checked without building a Decimal. */
export function isWireAmount(text: unknown): text is string {
  return typeof text === 'string' && WIRE_AMOUNT_FORM.test(text);
}

/** Reads an amount from the wire. Bad input is an answer, not an exception. */
export function parseAmount(text: unknown): ParsedAmount {
  if (isWireAmount(text)) return { ok: true, value: Decimal(text) };
  if (typeof text === 'string' && WELL_FORMED_BUT_TOO_LARGE.test(text)) {
    return { ok: false, reason: 'AMOUNT_TOO_LARGE', message: `amount must be below 10^15, got "${text}"` };
  }
  return {
    ok: false,
    reason: 'MALFORMED_AMOUNT',
    message: `amount must be a decimal string with exactly two decimals such as "50000.00", got ${describe(text)}`,
  };
}

/**
 * Writes an amount with exactly two decimals ("-" for a negative balance). A value with fractions of
 * a fen is refused rather than rounded: rounding is roundHalfUpToFen's job, done on purpose, once.
 */
export function formatAmount(value: Decimal): string {
  if (!isWholeFen(value)) {
    throw new RangeError(`formatAmount: ${Decimal(value).toFixed()} has fractions of a fen; round it first`);
  }
  return Decimal(value).toFixed(2);
}

export function addAmounts(a: Decimal, b: Decimal): Decimal {
  return Decimal(a).plus(b);
}

export function subtractAmounts(a: Decimal, b: Decimal): Decimal {
  return Decimal(a).minus(b);
}

export function sumAmounts(values: Iterable<Decimal>): Decimal {
  let total = Decimal('0');
  for (const value of values) total = total.plus(value);
  return total;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareAmounts(a: Decimal, b: Decimal): -1 | 0 | 1 {
  return Decimal(a).cmp(b);
}

function isWholeFen(value: Decimal): boolean {
  return Decimal(value).round(2, Decimal.roundDown).eq(value);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : typeof value;
}
