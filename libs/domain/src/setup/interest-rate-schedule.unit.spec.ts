import { PBOC_DEMAND_SCHEDULE } from '../interest';
import { DeciderSpecification } from '../../test/decider-specification';
import {
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
