/**
 * Virtual account numbers (虚拟子账户账号)
 * =======================================
 *
 * Layout
 * ------
 * A virtual account number is a string of exactly 19 ASCII decimal digits (the length of a Chinese
 * bank account or UnionPay card number):
 *
 *     <bank prefix: 6 digits><sequence: 12 digits><check digit: 1 digit>
 *      955880                 000000000001         8      -> "9558800000000000018"
 *
 * - Bank prefix: the custodian bank's configured virtual-account prefix. Exactly 6 digits, first digit
 *   1-9. It is configuration, one or more per bank; every 19-digit number under a configured prefix is
 *   a virtual number of this ledger and nothing else may be numbered under it. This is the numbering
 *   rule by which the bank's ESB recognises a payee number as virtual and routes the credit here.
 *   It must not start with 0 so that a number keeps its 19 digits when some system on the payment
 *   path stores it as a numeric value (a spreadsheet cell, a numeric column), which silently drops
 *   leading zeros and would send the payer's money to suspense.
 * - Sequence: 12 digits, zero-padded, 000000000001 .. 999999999999. 0 is never issued. Sequences are
 *   allocated per prefix, in order, by appending to one allocation stream per prefix with an expected
 *   revision (the caller's job); `nextSequence` holds the rule for the next value and the upper bound.
 *   The sequence is allocation order only: it carries no lot, center or bidder information.
 * - Check digit: the Luhn (mod 10, ISO/IEC 7812-1) check digit computed over the first 18 digits
 *   (prefix and sequence). Working from the right-most of those 18 digits, double every second digit
 *   starting with the right-most one, replace a doubled value above 9 by its digit sum (value - 9),
 *   add everything up; the check digit is (10 - sum mod 10) mod 10. A whole 19-digit number is valid
 *   when the same sum taken over all 19 digits (doubling the 2nd, 4th, ... digit from the right) is a
 *   multiple of 10.
 *
 * The number is always handled as a string, never as a JS number (19 digits exceed 2^53).
 *
 * Why Luhn
 * --------
 * A bidder's bank clerk or a payer's online banking form copies the number by hand from a tender
 * notice. Luhn catches every single-digit error (one digit mistyped) and every transposition of two
 * adjacent digits except 0-9 <-> 9-0, which between them are the large majority of copying mistakes.
 * It is the check digit scheme of every Chinese bank card number, so counter staff, payer banks'
 * front ends and the bank's own ESB already know and implement it; a 19-digit number with a Luhn
 * check digit looks and behaves like any other account number on the interbank rails. Schemes that
 * catch all adjacent transpositions (Verhoeff, Damm) are unknown to the people and systems that
 * would have to apply them, and ISO 7064 MOD 97-10 needs two check digits (20 digits in total).
 * Known blind spots of Luhn: the 09 <-> 90 transposition; the "twin" errors 22 <-> 55, 33 <-> 66,
 * 44 <-> 77; jump transpositions (abc <-> cba); and about 1 in 10 of multi-digit errors. A missing or
 * extra digit is caught by the length rule, not by Luhn.
 *
 * The check digit filters typing errors; it proves nothing about existence. About 1 in 10 random
 * 19-digit strings under a known prefix pass it, so a classified number must still be looked up.
 *
 * Recognition of an inbound payee account number (`classifyVirtualAccountNo`)
 * ---------------------------------------------------------------------------
 * By the number alone, no normalisation (no trimming, no removal of spaces or dashes, no full-width
 * digits), in this order:
 *   1. not exactly 19 ASCII digits                              -> MALFORMED
 *   2. first 6 digits are not a configured virtual prefix       -> NOT_VIRTUAL
 *   3. Luhn check over the 19 digits fails                      -> BAD_CHECK_DIGIT (with the prefix)
 *   4. the sequence is 000000000000 (never issued)              -> MALFORMED
 *   5. otherwise                                                -> VIRTUAL (prefix, sequence)
 * A number whose check digit fails is never VIRTUAL. Whether a VIRTUAL number was actually issued and
 * is open is the caller's question (it reads the account). The caller maps the outcome to the inbound
 * API's suspense reasons: BAD_CHECK_DIGIT -> BAD_CHECK_DIGIT; MALFORMED, NOT_VIRTUAL and a VIRTUAL
 * number that does not exist or is closed -> UNKNOWN_VIRTUAL_ACCOUNT.
 *
 * Pure: no I/O, no clock, no randomness.
 */

/** Total length of a virtual account number. */
export const VIRTUAL_ACCOUNT_NO_LENGTH = 19;
/** Length of the bank's virtual-account prefix. */
export const VIRTUAL_ACCOUNT_PREFIX_LENGTH = 6;
/** Length of the zero-padded sequence. */
export const VIRTUAL_ACCOUNT_SEQUENCE_LENGTH = 12;
/** The first sequence ever issued under a prefix. */
export const MIN_VIRTUAL_ACCOUNT_SEQUENCE = 1n;
/** The last sequence that can be issued under a prefix (12 nines). */
export const MAX_VIRTUAL_ACCOUNT_SEQUENCE = 999_999_999_999n;

const PREFIX_PATTERN = /^[1-9][0-9]{5}$/;
const DIGITS_PATTERN = /^[0-9]+$/;
const VIRTUAL_NO_PATTERN = /^[0-9]{19}$/;

/** What a candidate payee account number is, judged by the number alone. */
export type VirtualAccountNoClassification =
  | { readonly kind: 'VIRTUAL'; readonly prefix: string; readonly sequence: bigint }
  | { readonly kind: 'MALFORMED' }
  | { readonly kind: 'BAD_CHECK_DIGIT'; readonly prefix: string }
  | { readonly kind: 'NOT_VIRTUAL' };

export type VirtualAccountNoKind = VirtualAccountNoClassification['kind'];

/**
 * Thrown by `nextSequence` when every sequence of a prefix has been issued. Not a programming error:
 * the bank has to configure a new prefix.
 */
export class VirtualAccountSequenceExhaustedError extends Error {
  readonly code = 'VIRTUAL_ACCOUNT_SEQUENCE_EXHAUSTED' as const;

  constructor(readonly lastIssued: bigint) {
    super(
      `virtual account sequence exhausted: ${lastIssued} is the last sequence a prefix can issue; ` +
        'configure a new virtual-account prefix',
    );
    this.name = 'VirtualAccountSequenceExhaustedError';
  }
}

/** True when `prefix` is a well-formed virtual-account prefix: 6 ASCII digits, not starting with 0. */
export function isValidVirtualAccountPrefix(prefix: unknown): prefix is string {
  return typeof prefix === 'string' && PREFIX_PATTERN.test(prefix);
}

function assertPrefix(prefix: unknown): asserts prefix is string {
  if (!isValidVirtualAccountPrefix(prefix)) {
    throw new RangeError(
      `virtual account prefix must be 6 decimal digits not starting with 0, got ${JSON.stringify(prefix)}`,
    );
  }
}

/** Luhn sum of `digits` (all ASCII digits), doubling every second digit from the right starting
 * with the right-most one when `doubleRightmost`, else with the second right-most one. */
function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  let double = doubleRightmost;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/**
 * The Luhn check digit (0-9) to append to `digits`.
 * @throws RangeError when `digits` is empty or holds anything but ASCII decimal digits.
 */
export function luhnCheckDigit(digits: string): number {
  if (typeof digits !== 'string' || !DIGITS_PATTERN.test(digits)) {
    throw new RangeError(`Luhn payload must be a non-empty string of decimal digits, got ${JSON.stringify(digits)}`);
  }
  return (10 - (luhnSum(digits, true) % 10)) % 10;
}

/**
 * True when `number` (payload followed by its check digit, at least 2 ASCII digits) passes the
 * Luhn check. Never throws: anything that is not such a digit string is simply not valid.
 */
export function hasValidLuhn(number: string): boolean {
  if (typeof number !== 'string' || number.length < 2 || !DIGITS_PATTERN.test(number)) return false;
  return luhnSum(number, false) % 10 === 0;
}

function toSequence(sequence: bigint | number): bigint {
  if (typeof sequence === 'bigint') return sequence;
  if (typeof sequence === 'number' && Number.isSafeInteger(sequence)) return BigInt(sequence);
  throw new RangeError(`virtual account sequence must be an integer, got ${String(sequence)}`);
}

/**
 * The 19-digit virtual account number for `sequence` under `prefix`.
 * @throws RangeError when the prefix is not 6 digits starting 1-9, or the sequence is not an integer
 *   in 1 .. 999999999999.
 */
export function formatVirtualAccountNo(prefix: string, sequence: bigint | number): string {
  assertPrefix(prefix);
  const seq = toSequence(sequence);
  if (seq < MIN_VIRTUAL_ACCOUNT_SEQUENCE || seq > MAX_VIRTUAL_ACCOUNT_SEQUENCE) {
    throw new RangeError(
      `virtual account sequence must be in ${MIN_VIRTUAL_ACCOUNT_SEQUENCE}..${MAX_VIRTUAL_ACCOUNT_SEQUENCE}, got ${seq}`,
    );
  }
  const payload = prefix + seq.toString().padStart(VIRTUAL_ACCOUNT_SEQUENCE_LENGTH, '0');
  return payload + String(luhnCheckDigit(payload));
}

/**
 * Classifies a candidate payee account number by the number alone (see the module comment for the
 * order of the rules). Never throws on the candidate.
 * @param knownPrefixes the configured virtual-account prefixes of the bank(s).
 * @throws RangeError when a configured prefix is itself malformed (a configuration error that would
 *   otherwise silently send every credit to suspense).
 */
export function classifyVirtualAccountNo(
  candidate: string,
  knownPrefixes: ReadonlySet<string> | readonly string[],
): VirtualAccountNoClassification {
  for (const known of knownPrefixes) assertPrefix(known);

  if (typeof candidate !== 'string' || !VIRTUAL_NO_PATTERN.test(candidate)) return { kind: 'MALFORMED' };

  const prefix = candidate.slice(0, VIRTUAL_ACCOUNT_PREFIX_LENGTH);
  const isKnown =
    knownPrefixes instanceof Set ? knownPrefixes.has(prefix) : (knownPrefixes as readonly string[]).includes(prefix);
  if (!isKnown) return { kind: 'NOT_VIRTUAL' };

  if (!hasValidLuhn(candidate)) return { kind: 'BAD_CHECK_DIGIT', prefix };

  const sequence = BigInt(
    candidate.slice(VIRTUAL_ACCOUNT_PREFIX_LENGTH, VIRTUAL_ACCOUNT_PREFIX_LENGTH + VIRTUAL_ACCOUNT_SEQUENCE_LENGTH),
  );
  if (sequence < MIN_VIRTUAL_ACCOUNT_SEQUENCE) return { kind: 'MALFORMED' };

  return { kind: 'VIRTUAL', prefix, sequence };
}

/**
 * The sequence to issue after `lastIssued` under one prefix (`undefined`: nothing issued yet).
 * The caller makes allocation collision-free by appending the result to the prefix's allocation
 * stream with the revision it read `lastIssued` at.
 * @throws VirtualAccountSequenceExhaustedError when `lastIssued` is 999999999999.
 * @throws RangeError when `lastIssued` is outside 1 .. 999999999999 (it can never have been issued).
 */
export function nextSequence(lastIssued: bigint | undefined): bigint {
  if (lastIssued === undefined) return MIN_VIRTUAL_ACCOUNT_SEQUENCE;
  if (typeof lastIssued !== 'bigint' || lastIssued < MIN_VIRTUAL_ACCOUNT_SEQUENCE || lastIssued > MAX_VIRTUAL_ACCOUNT_SEQUENCE) {
    throw new RangeError(
      `last issued virtual account sequence must be a bigint in ${MIN_VIRTUAL_ACCOUNT_SEQUENCE}..${MAX_VIRTUAL_ACCOUNT_SEQUENCE}, got ${String(lastIssued)}`,
    );
  }
  if (lastIssued === MAX_VIRTUAL_ACCOUNT_SEQUENCE) throw new VirtualAccountSequenceExhaustedError(lastIssued);
  return lastIssued + 1n;
}
