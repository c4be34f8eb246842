import { PBOC_DEMAND_SCHEDULE, validateRateSchedule } from './rate-schedule';

const valid = {
  scheduleId: 'BANK-DEMAND.2026',
  dayCount: 'ACT/365',
  entries: [
    { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
    { effectiveFrom: '2026-03-01', annualRate: '0.002' },
    { effectiveFrom: '2026-06-01', annualRate: '0' },
  ],
};

describe('PBOC_DEMAND_SCHEDULE', () => {
  it('is ACT/360 at 0.35% from 2015-10-24', () => {
    expect(PBOC_DEMAND_SCHEDULE).toEqual({
      scheduleId: 'PBOC-DEMAND',
      dayCount: 'ACT/360',
      entries: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }],
    });
  });

  it('cannot be altered', () => {
    expect(Object.isFrozen(PBOC_DEMAND_SCHEDULE)).toBe(true);
    expect(Object.isFrozen(PBOC_DEMAND_SCHEDULE.entries)).toBe(true);
    expect(Object.isFrozen(PBOC_DEMAND_SCHEDULE.entries[0])).toBe(true);
  });

  it('passes its own validation', () => expect(validateRateSchedule(PBOC_DEMAND_SCHEDULE).ok).toBe(true));
});

describe('validateRateSchedule', () => {
  it('accepts a valid schedule and keeps only the known fields', () => {
    const withExtras = { ...valid, note: 'ignored', entries: valid.entries.map((entry) => ({ ...entry, x: 1 })) };
    expect(validateRateSchedule(withExtras)).toEqual({ ok: true, value: valid });
  });

  it.each(['0', '0.0035', '0.12345678', '0.99999999'])('accepts the rate %s', (annualRate) => {
    const schedule = { ...valid, entries: [{ effectiveFrom: '2026-01-01', annualRate }] };
    expect(validateRateSchedule(schedule).ok).toBe(true);
  });

  const withEntries = (...entries: unknown[]) => ({ ...valid, entries });
  const entry = (effectiveFrom: unknown, annualRate: unknown = '0.0035') => ({ effectiveFrom, annualRate });

  it.each([
    ['not an object', null, 'MALFORMED_SCHEDULE', ''],
    ['a list', [], 'MALFORMED_SCHEDULE', ''],
    ['no scheduleId', { ...valid, scheduleId: undefined }, 'INVALID_SCHEDULE_ID', 'scheduleId'],
    ['a scheduleId with a space', { ...valid, scheduleId: 'PBOC DEMAND' }, 'INVALID_SCHEDULE_ID', 'scheduleId'],
    ['dayCount ACT/ACT', { ...valid, dayCount: 'ACT/ACT' }, 'INVALID_DAY_COUNT', 'dayCount'],
    ['no entries', withEntries(), 'NO_ENTRIES', 'entries'],
    ['entries not a list', { ...valid, entries: {} }, 'NO_ENTRIES', 'entries'],
    ['an entry that is a string', withEntries('2026-01-01'), 'INVALID_ENTRY', 'entries[0]'],
    ['29 February 2026', withEntries(entry('2026-02-29')), 'INVALID_EFFECTIVE_DATE', 'entries[0].effectiveFrom'],
    ['a date-time', withEntries(entry('2026-01-01T00:00:00+08:00')), 'INVALID_EFFECTIVE_DATE', 'entries[0].effectiveFrom'],
    [
      'the same date twice',
      withEntries(entry('2026-01-01'), entry('2026-01-01')),
      'EFFECTIVE_DATES_NOT_INCREASING',
      'entries[1].effectiveFrom',
    ],
    [
      'dates going back',
      withEntries(entry('2026-01-01'), entry('2026-03-01'), entry('2026-02-01')),
      'EFFECTIVE_DATES_NOT_INCREASING',
      'entries[2].effectiveFrom',
    ],
    ['rate 1 (100%)', withEntries(entry('2026-01-01', '1')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['rate 1.5', withEntries(entry('2026-01-01', '1.5')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['a negative rate', withEntries(entry('2026-01-01', '-0.01')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['9 decimals', withEntries(entry('2026-01-01', '0.123456789')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['a percentage', withEntries(entry('2026-01-01', '0.35%')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['a JS number', withEntries(entry('2026-01-01', 0.0035)), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['a bare dot', withEntries(entry('2026-01-01', '.0035')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
    ['a trailing dot', withEntries(entry('2026-01-01', '0.')), 'INVALID_ANNUAL_RATE', 'entries[0].annualRate'],
  ])('refuses %s', (_case, input, reason, field) => {
    expect(validateRateSchedule(input)).toMatchObject({ ok: false, reason, field });
  });
});
