import { Decimal } from './decimal';
import {
  CURRENCY,
  addAmounts,
  compareAmounts,
  formatAmount,
  parseAmount,
  subtractAmounts,
  sumAmounts,
} from './amount';

function parsed(text: string): string {
  const result = parseAmount(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.message}`);
  return formatAmount(result.value);
}

describe('CURRENCY', () => {
  it('is CNY', () => expect(CURRENCY).toBe('CNY'));
});

describe('parseAmount', () => {
  it.each(['0.00', '0.01', '50000.00', '1000000000000.00'])('accepts %s and formats it back unchanged', (text) => {
    expect(parsed(text)).toBe(text);
  });

  it('keeps the largest amount exact (a JS number would read 1000000000000000)', () => {
    expect(parsed('999999999999999.99')).toBe('999999999999999.99');
  });

  it.each([
    '50000',
    '50000.0',
    '50000.000',
    '.50',
    '-1.00',
    '+1.00',
    '01.00',
    '1e3',
    '1E+3.00',
    ' 1.00',
    '1.00 ',
    '1,000.00',
    '１.00', // full-width digit
    '',
  ])('refuses %j as MALFORMED_AMOUNT', (text) => {
    expect(parseAmount(text)).toMatchObject({ ok: false, reason: 'MALFORMED_AMOUNT' });
  });

  it.each([1.5, 100, null, undefined, {}])('refuses the non-string %p as MALFORMED_AMOUNT', (value) => {
    expect(parseAmount(value)).toMatchObject({ ok: false, reason: 'MALFORMED_AMOUNT' });
  });

  it('refuses 10^15 and more as AMOUNT_TOO_LARGE', () => {
    expect(parseAmount('1000000000000000.00')).toMatchObject({ ok: false, reason: 'AMOUNT_TOO_LARGE' });
  });
});

describe('formatAmount', () => {
  it.each([
    ['12.5', '12.50'],
    ['0', '0.00'],
    ['-3', '-3.00'],
    ['-0', '0.00'],
  ])('%s -> %s', (value, expected) => expect(formatAmount(Decimal(value))).toBe(expected));

  it('refuses fractions of a fen instead of rounding them silently', () => {
    expect(() => formatAmount(Decimal('1.005'))).toThrow(RangeError);
  });
});

describe('arithmetic helpers', () => {
  const amount = (text: string) => Decimal(text);

  it('adds exactly (0.1 + 0.2 is 0.30000000000000004 in floats)', () => {
    expect(formatAmount(addAmounts(amount('0.10'), amount('0.20')))).toBe('0.30');
  });

  it('subtracts, below zero if need be', () => {
    expect(formatAmount(subtractAmounts(amount('50000.00'), amount('50014.58')))).toBe('-14.58');
  });

  it('sums a list, and an empty list to zero', () => {
    expect(formatAmount(sumAmounts([amount('0.01'), amount('999999999999999.99')]))).toBe('1000000000000000.00');
    expect(formatAmount(sumAmounts([]))).toBe('0.00');
  });

  it('compares', () => {
    expect(compareAmounts(amount('1.00'), amount('1.01'))).toBe(-1);
    expect(compareAmounts(amount('1.10'), amount('1.1'))).toBe(0);
    expect(compareAmounts(amount('2.00'), amount('1.99'))).toBe(1);
  });
});
