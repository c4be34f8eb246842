export { Decimal } from './decimal';
export { roundHalfUpToFen, roundHalfUpToWholeFen } from './rounding';
export { fenOf, amountOfFen } from './fen';
export {
  CURRENCY,
  WIRE_AMOUNT_FORM,
  MAX_AMOUNT,
  exceedsAmountLimit,
  parseAmount,
  isWireAmount,
  formatAmount,
  addAmounts,
  subtractAmounts,
  sumAmounts,
  compareAmounts,
  type AmountRejection,
  type ParsedAmount,
} from './amount';
