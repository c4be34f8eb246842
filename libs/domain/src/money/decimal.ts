import Big from 'big.js';

/**
 * The domain's own Big constructor. A clone, so its settings never leak into (or depend on) the
 * global `Big` that other code may configure.
 *
 * - DP 40: amounts carry 2 decimals and rates at most 8, so a quotient by a day-count basis is a
 *   fraction whose distance from any half-fen boundary is at least 1e-13 unless it lies on it; 40
 *   places therefore keep every intermediate division far from changing a rounded fen.
 * - strict: a JS number passed in throws, so a float can never slip into money arithmetic.
 */
export const Decimal = Big();
Decimal.DP = 40;
Decimal.RM = Big.roundHalfUp;
Decimal.strict = true;

export type Decimal = Big;
