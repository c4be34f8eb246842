import { PBOC_DEMAND_SCHEDULE, accrueInterest } from '../interest';
import { DeciderSpecification } from '../../test/decider-specification';
import {
  type AddRateScheduleEntry,
  type DefineRateSchedule,
  type RateScheduleDefined,
  builtInRateScheduleEvent,
  rateScheduleDecider,
  rateScheduleStream,
} from './interest-rate-schedule';

const spec = DeciderSpecification.for(rateScheduleDecider);

const define: DefineRateSchedule = {
  type: 'DefineRateSchedule',
  scheduleId: 'ICBC-DEMAND.2026',
  dayCount: 'ACT/365',
  entries: [
    { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
    { effectiveFrom: '2026-06-01', annualRate: '0.002' },
  ],
};

const defined: RateScheduleDefined = {
  type: 'RateScheduleDefined',
  data: {
    scheduleId: 'ICBC-DEMAND.2026',
    dayCount: 'ACT/365',
    entries: [
      { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
      { effectiveFrom: '2026-06-01', annualRate: '0.002' },
    ],
  },
};

describe('interest-rate schedule', () => {
  it('lives in the stream rate-schedule-{scheduleId}', () => {
    expect(rateScheduleStream('PBOC-DEMAND')).toBe('rate-schedule-PBOC-DEMAND');
  });

  it('defines a valid schedule, keeping only the known fields of each entry', () => {
    const withExtras = {
      ...define,
      entries: define.entries.map((entry) => ({ ...entry, note: 'dropped' })),
    };
    spec.given([]).when(withExtras).then([defined]);
  });

  it('refuses a schedule already defined with 409 RATE_SCHEDULE_EXISTS on scheduleId', () => {
    spec.given([defined]).when(define).thenRejects({ kind: 'CONFLICT', code: 'RATE_SCHEDULE_EXISTS', field: 'scheduleId' });
  });

  it('refuses to redefine the built-in schedule', () => {
    spec
      .given([builtInRateScheduleEvent()])
      .when({
        type: 'DefineRateSchedule',
        scheduleId: 'PBOC-DEMAND',
        dayCount: 'ACT/360',
        entries: [{ effectiveFrom: '2020-01-01', annualRate: '0.003' }],
      })
      .thenRejects({ kind: 'CONFLICT', code: 'RATE_SCHEDULE_EXISTS', field: 'scheduleId' });
  });

  it.each<[string, Partial<DefineRateSchedule>, string, string]>([
    ['a bad id', { scheduleId: ' bad id' }, 'INVALID_SCHEDULE_ID', 'scheduleId'],
    ['an unknown day count', { dayCount: '30/360' }, 'INVALID_DAY_COUNT', 'dayCount'],
    ['no entries', { entries: [] }, 'NO_ENTRIES', 'entries'],
    [
      'a bad date',
      { entries: [{ effectiveFrom: '2026-02-30', annualRate: '0.0035' }] },
      'INVALID_EFFECTIVE_DATE',
      'entries[0].effectiveFrom',
    ],
    [
      'dates not increasing',
      {
        entries: [
          { effectiveFrom: '2026-06-01', annualRate: '0.0035' },
          { effectiveFrom: '2026-06-01', annualRate: '0.002' },
        ],
      },
      'EFFECTIVE_DATES_NOT_INCREASING',
      'entries[1].effectiveFrom',
    ],
    [
      'a bad rate',
      {
        entries: [
          { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
          { effectiveFrom: '2026-06-01', annualRate: '0.35%' },
        ],
      },
      'INVALID_ANNUAL_RATE',
      'entries[1].annualRate',
    ],
  ])('refuses %s with 422 and the wire field', (_name, change, code, field) => {
    spec
      .given([])
      .when({ ...define, ...change })
      .thenRejects({ kind: 'BUSINESS_RULE', code, field });
  });

  it('refuses an entry that is not an object with 422 INVALID_ENTRY on entries[i]', () => {
    const entries = [define.entries[0], null] as unknown as DefineRateSchedule['entries'];
    spec
      .given([])
      .when({ ...define, entries })
      .thenRejects({ kind: 'BUSINESS_RULE', code: 'INVALID_ENTRY', field: 'entries[1]' });
  });

  it('exposes the schedule as a RateSchedule', () => {
    expect(rateScheduleDecider.initialState).toEqual({ exists: false });
    expect(spec.given([]).when(define).thenState()).toEqual({ exists: true, schedule: defined.data });
  });

  describe('the built-in schedule', () => {
    it('is the definition of PBOC-DEMAND: ACT/360, 0.35% from 2015-10-24', () => {
      expect(builtInRateScheduleEvent()).toEqual({
        type: 'RateScheduleDefined',
        data: {
          scheduleId: 'PBOC-DEMAND',
          dayCount: 'ACT/360',
          entries: [{ effectiveFrom: '2015-10-24', annualRate: '0.0035' }],
        },
      });
    });

    it('is what defining PBOC_DEMAND_SCHEDULE by command would record', () => {
      spec
        .given([])
        .when({ type: 'DefineRateSchedule', ...PBOC_DEMAND_SCHEDULE })
        .then([builtInRateScheduleEvent()]);
    });

    it('replays to PBOC_DEMAND_SCHEDULE', () => {
      const state = rateScheduleDecider.evolve(rateScheduleDecider.initialState, builtInRateScheduleEvent());
      expect(state).toEqual({ exists: true, schedule: PBOC_DEMAND_SCHEDULE });
    });

    it('is a fresh, plain, mutable-safe copy each time', () => {
      const event = builtInRateScheduleEvent();
      expect(Object.isFrozen(event.data.entries)).toBe(false);
      expect(event.data.entries).not.toBe(PBOC_DEMAND_SCHEDULE.entries);
      expect(JSON.parse(JSON.stringify(event))).toEqual(event);
      expect(builtInRateScheduleEvent()).toEqual(event);
    });
  });
});

/**
 * Item 6 of issue #14 (docs/rules.md "Rate changes"): an operator appends a rate effective from a day not
 * in the past, business date in Asia/Shanghai; bonds held across the change earn both rates.
 */
describe('adding a rate to a schedule', () => {
  // 2026-03-10T00:30+08:00 is still 2026-03-09 in UTC: the business date is China's.
  const NOW = '2026-03-09T16:30:00Z';
  const add = (overrides: Partial<AddRateScheduleEntry> = {}): AddRateScheduleEntry => ({
    type: 'AddRateScheduleEntry',
    scheduleId: 'ICBC-DEMAND.2026',
    effectiveFrom: '2026-07-01',
    annualRate: '0.0015',
    now: NOW,
    ...overrides,
  });

  it('given a schedule, when an entry effective after its last is added, then RateScheduleEntryAdded records it with the business date', () => {
    spec
      .given([defined])
      .when(add())
      .then([{ type: 'RateScheduleEntryAdded', data: { scheduleId: 'ICBC-DEMAND.2026', effectiveFrom: '2026-07-01', annualRate: '0.0015', addedOn: '2026-03-10' } }]);
  });

  it('given a schedule, when the entry takes effect today (Asia/Shanghai), then it is added: no priced day is on or after today', () => {
    const other = { type: 'RateScheduleDefined' as const, data: { scheduleId: 'S', dayCount: 'ACT/360' as const, entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] } };
    spec
      .given([other])
      .when(add({ scheduleId: 'S', effectiveFrom: '2026-03-10' }))
      .then([{ type: 'RateScheduleEntryAdded', data: { scheduleId: 'S', effectiveFrom: '2026-03-10', annualRate: '0.0015', addedOn: '2026-03-10' } }]);
  });

  it('given a schedule, when the entry would take effect yesterday (Asia/Shanghai), then it is refused: never retroactive', () => {
    spec.given([defined]).when(add({ effectiveFrom: '2026-03-09' })).thenRejects({ code: 'EFFECTIVE_DATE_IN_PAST', field: 'effectiveFrom' });
  });

  it('given a schedule whose last entry is later, when an entry before it is added, then it is refused (entries only ever go after the last)', () => {
    spec.given([defined]).when(add({ effectiveFrom: '2026-05-31' })).thenRejects({ code: 'EFFECTIVE_DATES_NOT_INCREASING', field: 'effectiveFrom' });
    spec.given([defined]).when(add({ effectiveFrom: '2026-06-01' })).thenRejects({ code: 'EFFECTIVE_DATES_NOT_INCREASING', field: 'effectiveFrom' });
  });

  it('given no schedule, when an entry is added, then RATE_SCHEDULE_NOT_FOUND', () => {
    spec.given([]).when(add()).thenRejects({ code: 'RATE_SCHEDULE_NOT_FOUND', field: 'scheduleId' });
  });

  it('given a rate that is not a rate, then INVALID_ANNUAL_RATE on annualRate', () => {
    spec.given([defined]).when(add({ annualRate: '1.5' })).thenRejects({ code: 'INVALID_ANNUAL_RATE', field: 'annualRate' });
  });

  it('given the added entry, when a bond held across it is priced, then each period earns its own rate (to the fen, by hand)', () => {
    const schedule = [
      { type: 'RateScheduleDefined' as const, data: { scheduleId: 'S', dayCount: 'ACT/360' as const, entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] } },
      { type: 'RateScheduleEntryAdded' as const, data: { scheduleId: 'S', effectiveFrom: '2026-05-20', annualRate: '0.002', addedOn: '2026-03-12' } },
    ].reduce(rateScheduleDecider.evolve, rateScheduleDecider.initialState);
    if (!schedule.exists) throw new Error('the schedule is defined');
    expect(schedule.schedule.entries).toEqual([
      { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
      { effectiveFrom: '2026-05-20', annualRate: '0.002' },
    ]);
    // 20,000.00 credited 2026-03-10, refunded 2026-06-15 (the refund day not counted):
    //   0.35 %: 2026-03-10 .. 2026-05-19 = 22 (March) + 30 (April) + 19 (May) = 71 days
    //   0.20 %: 2026-05-20 .. 2026-06-14 = 12 (May) + 14 (June)               = 26 days
    //   20000 × 0.0035 × 71 / 360 + 20000 × 0.002 × 26 / 360 = (4970 + 1040) / 360 = 16.69444… → 16.69
    const accrual = accrueInterest({ tranches: [{ amount: '20000.00', valueDate: '2026-03-10' }], to: '2026-06-15', schedule: schedule.schedule });
    expect(accrual).toMatchObject({ ok: true, value: { interest: '16.69' } });
    if (accrual.ok) expect(accrual.value.periods.map((period) => [period.days, period.annualRate])).toEqual([[71, '0.0035'], [26, '0.002']]);
  });
});
