import { addDays, compareDates, daysBetween, isCalendarDate } from './calendar-date';

describe('isCalendarDate', () => {
  it.each(['2026-12-01', '2028-02-29', '2000-02-29', '9999-12-31', '0000-02-29'])('accepts %s', (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each([
    '2026-02-29', // 2026 is not a leap year
    '1900-02-29', // nor is 1900 (divisible by 100, not 400)
    '0001-02-29',
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-1-01',
    '26-01-01',
    '2026-01-01T00:00:00Z',
    '',
    20260101,
    null,
  ])('refuses %p', (text) => expect(isCalendarDate(text)).toBe(false));
});

describe('daysBetween', () => {
  it.each([
    ['2026-12-01', '2026-12-31', 30],
    ['2026-12-01', '2026-12-01', 0],
    ['2026-12-31', '2026-12-01', -30],
    ['2027-02-28', '2027-03-01', 1],
    ['2028-02-28', '2028-03-01', 2], // 2028-02-29 exists
    ['2100-02-28', '2100-03-01', 1], // 2100 is not a leap year
    ['2026-01-01', '2027-01-01', 365],
    ['2028-01-01', '2029-01-01', 366],
    ['2015-10-24', '2026-12-01', 4056], // to 2026-10-24: 11 × 365 + 3 leap days = 4018; then 8 (Oct 24-31) + 30 (Nov) = 38
  ])('%s to %s is %i days', (from, to, days) => expect(daysBetween(from, to)).toBe(days));

  it('throws on an invalid date', () => expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError));
});

describe('addDays', () => {
  it.each([
    ['2026-12-27', 5, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-12-01', 0, '2026-12-01'],
  ])('%s + %i days is %s', (date, days, expected) => expect(addDays(date, days)).toBe(expected));

  it('throws on a fraction of a day', () => expect(() => addDays('2026-12-01', 0.5)).toThrow(RangeError));
  it('throws past year 9999', () => expect(() => addDays('9999-12-31', 1)).toThrow(RangeError));
});

describe('compareDates', () => {
  it('orders dates', () => {
    expect(compareDates('2026-11-30', '2026-12-01')).toBe(-1);
    expect(compareDates('2026-12-01', '2026-12-01')).toBe(0);
    expect(compareDates('2027-01-01', '2026-12-31')).toBe(1);
  });
});
