export { Decimal } from './decimal';
export { roundHalfUpToFen, roundHalfUpToWholeFen } from './rounding';
export { type Fen, ZERO_FEN, fenOf, amountOfFen, addFen, subtractFen, compareFen } from './fen';
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
