import fc from 'fast-check';
import { dateEpochDay } from '../../test/date-oracle';
import { at } from '../../test/at';
import { Decimal, amountOfFen, formatAmount, parseAmount, roundHalfUpToFen } from '../money';
import { type Accrual, type AccrualPeriod, type AccrualRequest, type AccrualResult, accrueInterest } from './accrue-interest';
import * as rateScheduleModule from './rate-schedule';
import { DAY_COUNTS, PBOC_DEMAND_SCHEDULE, type RateEntry, type RateSchedule, validateRateSchedule } from './rate-schedule';

function accrued(request: AccrualRequest): Accrual {
  const result = accrueInterest(request);
  if (!result.ok) throw new Error(`expected an accrual, got ${result.reason}: ${result.message}`);
  return result.value;
}

const pboc = PBOC_DEMAND_SCHEDULE;

describe('accrueInterest', () => {
  it('ACT/360: 50,000.00 at 0.35% for 30 days is 14.58', () => {
    // 2026-12-01 (counted) to 2026-12-31 (not counted) = 30 days.
    // 50000.00 × 0.0035 = 175; × 30 = 5250; / 360 = 14.58333… -> 14.58
    const result = accrued({ tranches: [{ amount: '50000.00', valueDate: '2026-12-01' }], to: '2026-12-31', schedule: pboc });
    const exact = `14.58${'3'.repeat(38)}`; // 5250 / 360 to 40 places
    expect(result).toEqual({
      interest: '14.58',
      exactInterest: exact,
      periods: [
        { from: '2026-12-01', to: '2026-12-31', days: 30, annualRate: '0.0035', principal: '50000.00', exactAmount: exact },
      ],
    });
  });

  describe('rounds half up, exactly at half a fen', () => {
    const at030: RateSchedule = {
      scheduleId: 'TEST-030',
      dayCount: 'ACT/360',
      entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.003' }],
    };
    const over30Days = (amount: string) =>
      accrued({ tranches: [{ amount, valueDate: '2026-06-01' }], to: '2026-07-01', schedule: at030 });

    it('4,980.00 for 30 days at 0.30% is exactly 1.245 -> 1.25', () => {
      // 4980.00 × 0.003 = 14.94; × 30 = 448.2; / 360 = 1.245 exactly -> 1.25 (half-even or truncation: 1.24)
      expect(over30Days('4980.00')).toMatchObject({ interest: '1.25', exactInterest: '1.245' });
    });

    it('4,979.99 for 30 days at 0.30% is 1.2449975 -> 1.24', () => {
      // 4979.99 × 0.003 = 14.93997; × 30 = 448.1991; / 360 = 1.2449975 exactly -> 1.24
      expect(over30Days('4979.99')).toMatchObject({ interest: '1.24', exactInterest: '1.2449975' });
    });
  });

  describe('a rate change in the middle of a holding', () => {
    const cut: RateSchedule = {
      scheduleId: 'TEST-CUT',
      dayCount: 'ACT/360',
      entries: [
        { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
        { effectiveFrom: '2026-03-01', annualRate: '0.002' },
      ],
    };

    it('splits the period at the new rate’s effectiveFrom', () => {
      // [2026-02-15, 2026-03-01): 14 days (15..28 Feb 2026) at 0.35%: 100000 × 0.0035 × 14 = 4900
      // [2026-03-01, 2026-03-16): 15 days at 0.20%:                     100000 × 0.002  × 15 = 3000
      // (4900 + 3000) / 360 = 7900 / 360 = 21.94444… -> 21.94
      const result = accrued({ tranches: [{ amount: '100000.00', valueDate: '2026-02-15' }], to: '2026-03-16', schedule: cut });
      expect(result).toEqual({
        interest: '21.94',
        exactInterest: `21.9${'4'.repeat(39)}`,
        periods: [
          {
            from: '2026-02-15',
            to: '2026-03-01',
            days: 14,
            annualRate: '0.0035',
            principal: '100000.00',
            exactAmount: `13.6${'1'.repeat(39)}`, // 4900 / 360
          },
          {
            from: '2026-03-01',
            to: '2026-03-16',
            days: 15,
            annualRate: '0.002',
            principal: '100000.00',
            exactAmount: `8.${'3'.repeat(40)}`, // 3000 / 360
          },
        ],
      });
    });

    it('makes no empty period when the holding ends on the change date', () => {
      // 14 days at 0.35% only: 4900 / 360 = 13.6111… -> 13.61
      const result = accrued({ tranches: [{ amount: '100000.00', valueDate: '2026-02-15' }], to: '2026-03-01', schedule: cut });
      expect(result.interest).toBe('13.61');
      expect(result.periods.map((period) => period.annualRate)).toEqual(['0.0035']);
    });

    it('uses only the new rate for a holding that starts on the change date', () => {
      // 15 days at 0.20%: 3000 / 360 = 8.3333… -> 8.33
      const result = accrued({ tranches: [{ amount: '100000.00', valueDate: '2026-03-01' }], to: '2026-03-16', schedule: cut });
      expect(result.interest).toBe('8.33');
      expect(result.periods.map((period) => period.annualRate)).toEqual(['0.002']);
    });
  });

  describe('ACT/365 Fixed across a leap year', () => {
    const act365: RateSchedule = { ...pboc, scheduleId: 'TEST-365', dayCount: 'ACT/365' };

    it('counts 29 February and still divides by 365', () => {
      // 2028-02-20 to 2028-03-10: 10 days in February (20..29) + 9 in March (1..9) = 19 days.
      // 36500.00 × 0.0035 = 127.75; × 19 = 2427.25; / 365 = 6.65 exactly -> 6.65
      // (without 29 February: 18 days -> 6.30; dividing by 366 instead: 6.6318… -> 6.63)
      const result = accrued({ tranches: [{ amount: '36500.00', valueDate: '2028-02-20' }], to: '2028-03-10', schedule: act365 });
      expect(result).toMatchObject({ interest: '6.65', exactInterest: '6.65', periods: [{ days: 19 }] });
    });

    it('pays slightly more than the annual rate over the whole leap year', () => {
      // 2028-01-01 to 2029-01-01 = 366 days; 10000.00 × 0.0035 = 35; × 366 = 12810; / 365 = 35.0958904… -> 35.10
      const result = accrued({ tranches: [{ amount: '10000.00', valueDate: '2028-01-01' }], to: '2029-01-01', schedule: act365 });
      expect(result.interest).toBe('35.10');
      expect(result.exactInterest.startsWith('35.0958904')).toBe(true);
    });
  });

  describe('nothing held, nothing earned', () => {
    it('a same-day refund is 0 days and 0.00', () => {
      const result = accrued({ tranches: [{ amount: '50000.00', valueDate: '2026-12-01' }], to: '2026-12-01', schedule: pboc });
      expect(result).toEqual({ interest: '0.00', exactInterest: '0', periods: [] });
    });

    it('a tranche credited after `to` earns 0, even before the schedule starts', () => {
      const result = accrued({ tranches: [{ amount: '50000.00', valueDate: '2015-10-20' }], to: '2015-10-01', schedule: pboc });
      expect(result).toEqual({ interest: '0.00', exactInterest: '0', periods: [] });
    });

    it('no tranches is 0.00', () => {
      expect(accrued({ tranches: [], to: '2026-12-31', schedule: pboc }).interest).toBe('0.00');
    });
  });

  it('two tranches with different value dates are summed, then rounded once', () => {
    // A: 50000.00 from 2026-12-01, 30 days: 50000 × 0.0035 × 30 = 5250
    // B: 30000.00 from 2026-12-11, 20 days: 30000 × 0.0035 × 20 = 2100
    // (5250 + 2100) / 360 = 7350 / 360 = 20.41666… -> 20.42
    // (rounding each tranche first would give 14.58 + 5.83 = 20.41)
    const result = accrued({
      tranches: [
        { amount: '50000.00', valueDate: '2026-12-01' },
        { amount: '30000.00', valueDate: '2026-12-11' },
      ],
      to: '2026-12-31',
      schedule: pboc,
    });
    expect(result.interest).toBe('20.42');
    expect(result.exactInterest).toBe(`20.41${'6'.repeat(37)}7`);
    expect(result.periods.map(({ from, days, principal }) => [from, days, principal])).toEqual([
      ['2026-12-01', 30, '50000.00'],
      ['2026-12-11', 20, '30000.00'],
    ]);
  });

  describe('large amounts without loss', () => {
    it('1,000,000,000,000.00 for 30 days is 291,666,666.67', () => {
      // 1000000000000.00 × 0.0035 = 3500000000; × 30 = 105000000000; / 360 = 291666666.666… -> 291666666.67
      const result = accrued({
        tranches: [{ amount: '1000000000000.00', valueDate: '2026-12-01' }],
        to: '2026-12-31',
        schedule: pboc,
      });
      expect(result.interest).toBe('291666666.67');
      expect(result.exactInterest).toBe(`291666666.${'6'.repeat(39)}7`);
    });

    it('999,999,999,999.99 for 30 days is exactly 291,666,666.66666375', () => {
      // 999999999999.99 × 0.0035 = 3499999999.999965; × 30 = 104999999999.99895;
      // / 360 = 291666666.66666375 (check: 360 × 291666666.66666375 = 104999999999.99895) -> 291666666.67
      const result = accrued({
        tranches: [{ amount: '999999999999.99', valueDate: '2026-12-01' }],
        to: '2026-12-31',
        schedule: pboc,
      });
      expect(result).toMatchObject({ interest: '291666666.67', exactInterest: '291666666.66666375' });
    });
  });

  describe('failures', () => {
    it('a holding that starts before the schedule’s first entry has no rate', () => {
      const result = accrueInterest({
        tranches: [
          { amount: '10000.00', valueDate: '2015-10-24' },
          { amount: '10000.00', valueDate: '2015-10-23' },
        ],
        to: '2015-11-01',
        schedule: pboc,
      });
      expect(result).toMatchObject({ ok: false, reason: 'NO_RATE_FOR_DATE', date: '2015-10-23', field: 'tranches[1].valueDate' });
    });

    it('a holding from the schedule’s first day has a rate', () => {
      // 10000.00 × 0.0035 × 1 / 360 = 35 / 360 = 0.09722… -> 0.10
      const result = accrued({ tranches: [{ amount: '10000.00', valueDate: '2015-10-24' }], to: '2015-10-25', schedule: pboc });
      expect(result.interest).toBe('0.10');
    });

    it.each([
      ['a malformed amount', { amount: '50000', valueDate: '2026-12-01' }, '2026-12-31', 'INVALID_AMOUNT', 'tranches[0].amount'],
      ['an invalid valueDate', { amount: '1.00', valueDate: '2026-02-30' }, '2026-12-31', 'INVALID_DATE', 'tranches[0].valueDate'],
      ['an invalid `to`', { amount: '1.00', valueDate: '2026-12-01' }, '2026-12-32', 'INVALID_DATE', 'to'],
    ])('%s', (_case, tranche, to, reason, field) => {
      expect(accrueInterest({ tranches: [tranche], to, schedule: pboc })).toMatchObject({ ok: false, reason, field });
    });

    it('an invalid schedule', () => {
      const unsorted: RateSchedule = {
        ...pboc,
        entries: [
          { effectiveFrom: '2026-03-01', annualRate: '0.002' },
          { effectiveFrom: '2026-01-01', annualRate: '0.0035' },
        ],
      };
      const result = accrueInterest({ tranches: [], to: '2026-12-31', schedule: unsorted });
      expect(result).toMatchObject({ ok: false, reason: 'INVALID_RATE_SCHEDULE', field: 'schedule.entries[1].effectiveFrom' });
    });
  });
});

/**
 * The oracle: accrueInterest as it was before integer arithmetic, in Decimal (big.js, 40 places) with
 * dates read by Date, kept here to check the fast one against.
 */
function referenceAccrual(request: AccrualRequest): AccrualResult {
  const { tranches, to, schedule } = request;
  const checkedSchedule = validateRateSchedule(schedule);
  if (!checkedSchedule.ok) {
    const field = checkedSchedule.field === '' ? 'schedule' : `schedule.${checkedSchedule.field}`;
    return { ok: false, reason: 'INVALID_RATE_SCHEDULE', field, message: checkedSchedule.message };
  }
  if (dateEpochDay(to) === undefined) return { ok: false, reason: 'INVALID_DATE', field: 'to', message: 'to must be a date YYYY-MM-DD' };
  const basis = Decimal(schedule.dayCount === 'ACT/360' ? '360' : '365');
  const periods: AccrualPeriod[] = [];
  let sumOfProducts = Decimal('0');
  for (const [index, tranche] of tranches.entries()) {
    const field = `tranches[${index}]`;
    const principal = parseAmount(tranche.amount);
    if (!principal.ok) return { ok: false, reason: 'INVALID_AMOUNT', field: `${field}.amount`, message: principal.message };
    if (dateEpochDay(tranche.valueDate) === undefined) {
      return { ok: false, reason: 'INVALID_DATE', field: `${field}.valueDate`, message: 'valueDate must be a date YYYY-MM-DD' };
    }
    const holding = referencePeriods(tranche.valueDate, to, schedule.entries);
    if (holding === undefined) {
      const message = `schedule ${schedule.scheduleId} has no rate in effect on ${tranche.valueDate}`;
      return { ok: false, reason: 'NO_RATE_FOR_DATE', date: tranche.valueDate, field: `${field}.valueDate`, message };
    }
    for (const { from, until, annualRate } of holding) {
      const days = dateEpochDay(until)! - dateEpochDay(from)!;
      const product = principal.value.times(annualRate).times(BigInt(days));
      sumOfProducts = sumOfProducts.plus(product);
      periods.push({ from, to: until, days, annualRate, principal: tranche.amount, exactAmount: product.div(basis).toFixed() });
    }
  }
  const exactInterest = sumOfProducts.div(basis);
  return { ok: true, value: { interest: formatAmount(roundHalfUpToFen(exactInterest)), exactInterest: exactInterest.toFixed(), periods } };
}

function referencePeriods(valueDate: string, to: string, entries: readonly RateEntry[]) {
  const before = (a: string, b: string) => dateEpochDay(a)! < dateEpochDay(b)!;
  if (!before(valueDate, to)) return [];
  const first = entries.filter((entry) => !before(valueDate, entry.effectiveFrom)).length - 1;
  if (first === -1) return undefined;
  const periods: Array<{ from: string; until: string; annualRate: string }> = [];
  for (const [offset, entry] of entries.slice(first).entries()) {
    if (!before(entry.effectiveFrom, to)) break;
    const next = entries[first + offset + 1];
    periods.push({
      from: offset === 0 ? valueDate : entry.effectiveFrom,
      until: next !== undefined && before(next.effectiveFrom, to) ? next.effectiveFrom : to,
      annualRate: entry.annualRate,
    });
  }
  return periods;
}

describe('accrueInterest against the Decimal oracle', () => {
  const isoDay = (min: string, max: string) =>
    fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
  // Mostly in overlapping windows (schedules start earlier, refunds come later), now and then any day
  // of years 0000-9999 or no date at all.
  const date = (min: string, max: string, weight: number) =>
    fc.oneof(
      { arbitrary: isoDay(min, max), weight },
      { arbitrary: isoDay('0000-01-01', '9999-12-31'), weight: 1 },
      { arbitrary: fc.constantFrom('2026-02-30', '2025-02-29', '1900-02-29', '2026-13-01', '2026-1-01', '2026-01-01T00:00:00Z', ''), weight: 1 },
    );
  const fen = fc.oneof(
    { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 7n }), weight: 4 }, // up to 100,000 CNY
    { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 14n }), weight: 4 }, // up to 10^12 CNY
    { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 17n - 1n }), weight: 1 }, // the largest wire amount
  );
  const amount = fc.oneof(
    { arbitrary: fen.map(amountOfFen), weight: 30 },
    { arbitrary: fc.constantFrom('50000', '-1.00', '01.00', '1e3', '1000000000000000.00', ' 1.00'), weight: 1 }, // refused
  );
  const rate = fc.oneof(
    { arbitrary: fc.constant('0'), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 99_999_999 }))
        .map(([places, digits]) => `0.${String(digits % 10 ** places).padStart(places, '0')}`),
      weight: 100,
    },
    { arbitrary: fc.constantFrom('1', '0.123456789', '-0.01'), weight: 1 }, // refused
  );
  const entries = fc
    .tuple(fc.uniqueArray(date('2024-01-01', '2027-06-30', 100), { minLength: 1, maxLength: 5 }), fc.array(rate, { minLength: 5, maxLength: 5 }), fc.nat(19))
    .map(([dates, rates, draw]) => {
      // Sorted as strings is sorted as dates for YYYY-MM-DD; one in 20 left as drawn, to be refused.
      const ordered = draw === 0 ? dates : [...dates].sort();
      return ordered.map((effectiveFrom, index) => ({ effectiveFrom, annualRate: at(rates, index) }));
    });
  const schedule: fc.Arbitrary<RateSchedule> = fc.record({
    scheduleId: fc.constant('PROP-1'),
    dayCount: fc.constantFrom(...DAY_COUNTS),
    entries,
  });
  const request: fc.Arbitrary<AccrualRequest> = fc.record({
    tranches: fc.array(fc.record({ amount, valueDate: date('2025-01-01', '2027-06-30', 30) }), { maxLength: 4 }),
    to: date('2026-01-01', '2028-12-31', 30),
    schedule,
  });

  it('gives the same result, field by field and as JSON, twice over one schedule object', () => {
    fc.assert(
      fc.property(request, (req) => {
        const expected = referenceAccrual(req);
        for (const actual of [accrueInterest(req), accrueInterest(req)]) {
          expect(actual).toEqual(expected);
          expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
        }
      }),
      { numRuns: 3_000 },
    );
  });

  it('draws requests that are priced, over several tranches and rate changes, as well as refused ones', () => {
    const requests = fc.sample(request, { numRuns: 2_000, seed: 1 });
    const periods = (req: AccrualRequest) => {
      const result = accrueInterest(req);
      return result.ok ? result.value.periods : [];
    };
    const priced = requests.filter((req) => periods(req).length > 0);

    // A period that does not start on a value date starts at a rate change.
    const split = priced.filter((req) => periods(req).some((period) => req.tranches.every((tranche) => tranche.valueDate !== period.from)));
    const tranches = priced.filter((req) => req.tranches.length > 1);
    expect({ priced: priced.length > 500, split: split.length > 200, tranches: tranches.length > 300 }).toEqual({
      priced: true,
      split: true,
      tranches: true,
    });
  });
});

describe('accrueInterest, the schedule read once per object', () => {
  afterEach(() => jest.restoreAllMocks());

  const request = (schedule: RateSchedule): AccrualRequest => ({
    tranches: [{ amount: '50000.00', valueDate: '2026-12-01' }],
    to: '2026-12-31',
    schedule,
  });

  it('validates a schedule object once, however often it prices with it', () => {
    const schedule: RateSchedule = { scheduleId: 'ONCE', dayCount: 'ACT/360', entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] };
    const validate = jest.spyOn(rateScheduleModule, 'validateRateSchedule');
    const results = [1, 2, 3].map(() => accrueInterest(request(schedule)));
    expect(validate).toHaveBeenCalledTimes(1);
    expect(results.map((result) => result.ok && result.value.interest)).toEqual(['14.58', '14.58', '14.58']);
  });

  it('an invalid schedule is refused the same way on every call', () => {
    const invalid = { scheduleId: 'BAD', dayCount: 'ACT/360', entries: [{ effectiveFrom: '2026-02-30', annualRate: '0.0035' }] } as const;
    const validate = jest.spyOn(rateScheduleModule, 'validateRateSchedule');
    const refusal = {
      ok: false,
      reason: 'INVALID_RATE_SCHEDULE',
      field: 'schedule.entries[0].effectiveFrom',
      message: 'effectiveFrom must be a date YYYY-MM-DD',
    };
    expect([1, 2, 3].map(() => accrueInterest(request(invalid)))).toEqual([refusal, refusal, refusal]);
    expect(validate).toHaveBeenCalledTimes(3);
  });

  it('writes the periods once, when first read', () => {
    const result = accrued(request(pboc));
    expect(result.periods).toBe(result.periods);
  });
});
