import { Decimal } from './decimal';

/**
 * THE rounding rule of the ledger: half up to the fen (0.01 CNY). 0.005 becomes 0.01; a negative
 * value rounds symmetrically (-0.005 becomes -0.01). Nothing else in the domain rounds money.
 */
export function roundHalfUpToFen(value: Decimal): Decimal {
  return Decimal(value).round(2, Decimal.roundHalfUp);
}
