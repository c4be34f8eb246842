import Big from 'big.js';
import { Decimal } from './decimal';

describe('Decimal', () => {
  it('divides to 40 decimal places', () => {
    expect(Decimal('1').div('3').toFixed()).toBe(`0.${'3'.repeat(40)}`);
  });

  it('refuses JS numbers', () => {
    expect(() => Decimal(0.1)).toThrow();
    expect(() => Decimal('1').plus(0.1)).toThrow();
  });

  it('leaves the global Big configuration alone', () => {
    expect(Big.DP).toBe(20);
    expect(Big.strict).toBe(false);
    expect(new Big(1).div(3).toFixed()).toBe(`0.${'3'.repeat(20)}`);
  });
});
