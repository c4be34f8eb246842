import fc from 'fast-check';
import { Decimal } from '../money';
import { exactDecimal } from './exact-decimal';

const bigJs = (numerator: bigint, denominator: bigint) => Decimal(numerator.toString()).div(denominator.toString()).toFixed();

describe('exactDecimal', () => {
  it.each([
    [0n, 360n, '0'],
    [5_250n, 360n, `14.58${'3'.repeat(38)}`],
    [1n, 365n, '0.0027397260273972602739726027397260273973'], // the 41st digit rounds the 40th up
    [242_725n, 36_500n, '6.65'],
    [36_500n, 365n, '100'],
    [1n, 2n * 10n ** 40n, `0.${'0'.repeat(39)}1`], // exactly half of the last place goes up
    [1n, 2n * 10n ** 40n + 1n, '0'],
  ])('%s / %s is %s, as Decimal writes it', (numerator, denominator, text) => {
    expect(exactDecimal(numerator, denominator)).toBe(text);
    expect(bigJs(numerator, denominator)).toBe(text);
  });

  it('writes what Decimal writes, for numerators up to 10^40 and any denominator', () => {
    const numerator = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 10_000n }));
    const denominator = fc.oneof(
      fc.constantFrom(360n * 10n ** 10n, 365n * 10n ** 10n, 360n, 365n, 1n, 8n, 3n),
      fc.bigInt({ min: 1n, max: 10n ** 45n }),
    );
    fc.assert(
      fc.property(numerator, denominator, (n, d) => expect(exactDecimal(n, d)).toBe(bigJs(n, d))),
      { numRuns: 5_000 },
    );
  });

  it('refuses a negative numerator and a denominator that is not positive', () => {
    expect(() => exactDecimal(-1n, 3n)).toThrow(RangeError);
    expect(() => exactDecimal(1n, 0n)).toThrow(RangeError);
  });
});
