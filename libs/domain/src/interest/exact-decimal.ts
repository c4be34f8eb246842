import { Decimal } from '../money';

const PLACES = Decimal.DP;
const SCALE = 10n ** BigInt(PLACES);

/**
 * numerator / denominator written as `Decimal(numerator).div(denominator).toFixed()` writes it:
 * rounded half up (Decimal.RM) to Decimal.DP places, trailing zeros dropped, never an exponent. In
 * bigint, a few microseconds, so results can leave it until someone reads it. `numerator` must not
 * be negative and `denominator` must be positive.
 */
export function exactDecimal(numerator: bigint, denominator: bigint): string {
  if (numerator < 0n || denominator <= 0n) throw new RangeError(`exactDecimal: ${numerator} / ${denominator}`);
  // floor(n × 10^places / d + 1/2): half up at the last place.
  const scaled = (2n * numerator * SCALE + denominator) / (2n * denominator);
  const digits = scaled.toString().padStart(PLACES + 1, '0');
  const fraction = digits.slice(-PLACES).replace(/0+$/, '');
  const whole = digits.slice(0, -PLACES);
  return fraction === '' ? whole : `${whole}.${fraction}`;
}
