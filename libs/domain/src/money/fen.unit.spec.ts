import fc from 'fast-check';
import { Decimal } from './decimal';
import { addAmounts, formatAmount } from './amount';
import { amountOfFen, fenOf } from './fen';

describe('fen', () => {
  it.each([
    ['0.00', 0n],
    ['0.07', 7n],
    ['-0.07', -7n],
    ['50000.00', 5_000_000n],
    ['-123.45', -12_345n],
    ['999999999999999.99', 99_999_999_999_999_999n],
  ])('reads %s as %s fen and writes it back', (text, fen) => {
    expect(fenOf(text)).toBe(fen);
    expect(amountOfFen(fen)).toBe(text);
  });

  it('writes zero as "0.00", also from "-0.00"', () => expect(amountOfFen(fenOf('-0.00'))).toBe('0.00'));

  it.each(['', '5', '5.0', '5.000', '05.00', '1e2', ' 1.00', '+1.00', '1,000.00'])('refuses %j', (text) => {
    expect(() => fenOf(text)).toThrow(RangeError);
  });

  it('refuses what is not a string', () => expect(() => fenOf(5 as unknown as string)).toThrow(RangeError));

  it('adds exactly as Decimal does, signs and carries included', () => {
    const amount = fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(amountOfFen);
    fc.assert(
      fc.property(amount, amount, (a, b) => {
        expect(amountOfFen(fenOf(a) + fenOf(b))).toBe(formatAmount(addAmounts(Decimal(a), Decimal(b))));
      }),
    );
  });
});
