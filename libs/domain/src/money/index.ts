export { Decimal } from './decimal';
export { roundHalfUpToFen } from './rounding';
export {
  CURRENCY,
  parseAmount,
  formatAmount,
  addAmounts,
  subtractAmounts,
  sumAmounts,
  compareAmounts,
  type AmountRejection,
  type ParsedAmount,
} from './amount';
