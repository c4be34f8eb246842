import { Decimal } from './decimal';

/**
 * THE rounding rule of the ledger: half up to the fen (0.01 CNY). 0.005 becomes 0.01; a negative
 * value rounds symmetrically (-0.005 becomes -0.01). Nothing else in the domain rounds money.
 */
export function roundHalfUpToFen(value: Decimal): Decimal {
  return Decimal(value).round(2, Decimal.roundHalfUp);
}

/**
 * The same rule for code that keeps money in integers: the amount numerator / denominator fen,
 * exactly, rounded half up (symmetrically) to whole fen. `denominator` must be positive.
 */
export function roundHalfUpToWholeFen(numerator: bigint, denominator: bigint): bigint {
  const magnitude = numerator < 0n ? -numerator : numerator;
  // floor(m / d + 1/2), in integers.
  const fen = (2n * magnitude + denominator) / (2n * denominator);
  return numerator < 0n ? -fen : fen;
}
