import { Decimal } from './decimal';
import { roundHalfUpToFen } from './rounding';

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
