import fc from 'fast-check';
import { Decimal } from './decimal';
import { roundHalfUpToFen, roundHalfUpToWholeFen } from './rounding';

const rounded = (text: string): string => roundHalfUpToFen(Decimal(text)).toFixed(2);

describe('roundHalfUpToFen', () => {
  it.each([
    ['0.005', '0.01'], // exactly half a fen goes up
    ['0.0049999999', '0.00'], // anything below half goes down
    ['1.245', '1.25'], // half-even would give 1.24
    ['1.255', '1.26'],
    ['2.675', '2.68'], // binary floats give (2.675).toFixed(2) === '2.67'
    ['14.5833333333', '14.58'],
    ['-0.005', '-0.01'], // symmetric: away from zero
    ['100.00', '100.00'],
  ])('%s -> %s', (value, expected) => expect(rounded(value)).toBe(expected));

  it('leaves its argument unchanged', () => {
    const value = Decimal('1.245');
    roundHalfUpToFen(value);
    expect(value.toFixed()).toBe('1.245');
  });
});

describe('roundHalfUpToWholeFen', () => {
  it.each([
    [5n, 10n, 1n], // half a fen goes up
    [4_999_999n, 10_000_000n, 0n],
    [1_245n, 10n, 125n], // 124.5 fen: half-even would give 124
    [-5n, 10n, -1n], // symmetric
    [-4n, 10n, 0n],
    [0n, 365n, 0n],
    [10_000n, 100n, 100n],
  ])('%s / %s fen -> %s', (numerator, denominator, fen) => expect(roundHalfUpToWholeFen(numerator, denominator)).toBe(fen));

  it('is roundHalfUpToFen on the same amount, signs, halves and amounts beyond 2^53 included', () => {
    const denominator = fc.oneof(fc.bigInt({ min: 1n, max: 1_000n }), fc.constantFrom(360n * 10n ** 8n, 365n * 10n ** 8n));
    const numerator = fc.oneof(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: -2_000n, max: 2_000n }));
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        // n / d fen is n / (100 d) CNY; Decimal divides to 40 places, far finer than 1 / (200 d) from a half fen.
        const expected = roundHalfUpToFen(Decimal(n.toString()).div((100n * d).toString())).toFixed(2);
        expect(roundHalfUpToWholeFen(n, d)).toBe(BigInt(expected.replace('.', '')));
      }),
      { numRuns: 5_000 },
    );
  });
});
