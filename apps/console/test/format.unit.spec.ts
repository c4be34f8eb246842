import { formatMoney, formatTime, groupAccountNo, shanghaiInstant } from '../src/format';

/** The console shows money as the API sends it, never through a float (docs/console.md). */
describe('the console formats money and time', () => {
  it('groups thousands and pads to two decimals by string, keeping every digit of a figure past 2^53', () => {
    expect(formatMoney('1234567.5')).toBe('1,234,567.50');
    expect(formatMoney('0.05')).toBe('0.05');
    expect(formatMoney('-49876.54')).toBe('-49,876.54');
    expect(formatMoney('999999999999999.99')).toBe('999,999,999,999,999.99');
    expect(formatMoney('50000')).toBe('50,000.00');
    expect(formatMoney(undefined)).toBe('—');
    expect(formatMoney('not money')).toBe('not money');
  });

  it('shows instants on Beijing wall-clock time and reads typed times as Beijing time', () => {
    expect(formatTime('2026-12-01T01:30:00Z')).toBe('2026-12-01 09:30:00');
    expect(formatTime('2026-11-30T16:30:00Z')).toBe('2026-12-01 00:30:00');
    expect(shanghaiInstant('2026-12-01T09:30')).toBe('2026-12-01T09:30:00+08:00');
    expect(shanghaiInstant('09:30')).toBeUndefined();
  });

  it('groups an account number in fours', () => {
    expect(groupAccountNo('62220210011234567')).toBe('6222 0210 0112 3456 7');
  });
});
