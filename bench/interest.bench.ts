/**
 * `npm run bench` (interest part) — accrued interest for 1,000,000 bonds with the very call refunds
 * and the bond queries make (`accrueInterest`: exact integer sums, rate changes split periods, rounded
 * half up to the fen once), against a bare loop over the same bonds doing only the date arithmetic.
 * Those callers read only `interest`, and so does this loop: `exactInterest` and `periods` (with each
 * period's 40-place `exactAmount`) are written when read. A last line prices the 3-rate schedule again
 * reading all of them, as the tests and the audit's mismatch reports do.
 * Target: ≤ 2 s for 1,000,000 bonds on 2 cores. Not a test.
 *
 * Options (environment): BENCH_BONDS (default 1000000).
 */
import { cpus } from 'node:os';
import { PBOC_DEMAND_SCHEDULE, type RateSchedule, accrueInterest, addDays, daysBetween } from '@app/domain';

const BONDS = Number(process.env.BENCH_BONDS ?? 1_000_000);
const TO = '2026-12-31';

/** A schedule with two rate changes inside the holding periods, so many bonds split into periods. */
const CHANGING: RateSchedule = {
  scheduleId: 'BENCH-CHANGING',
  dayCount: 'ACT/365',
  entries: [
    { effectiveFrom: '2015-10-24', annualRate: '0.0035' },
    { effectiveFrom: '2026-03-01', annualRate: '0.003' },
    { effectiveFrom: '2026-09-01', annualRate: '0.0025' },
  ],
};

/** Bonds of one or two tranches, valued over the year before TO, amounts with fen. */
function bonds(): Array<{ amount: string; valueDate: string }[]> {
  return Array.from({ length: BONDS }, (_, i) => {
    const first = { amount: `${10_000 + (i % 90_000)}.${String(i % 100).padStart(2, '0')}`, valueDate: addDays('2026-01-01', i % 300) };
    return i % 4 === 0 ? [first, { amount: '1234.56', valueDate: addDays(first.valueDate, 7) }] : [first];
  });
}

function time(work: () => void): number {
  const started = performance.now();
  work();
  return (performance.now() - started) / 1_000;
}

function main(): void {
  console.log(`# interest benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${BONDS.toLocaleString('en-US')} bonds`);
  const all = bonds();
  let days = 0;
  const bare = time(() => {
    for (const tranches of all) for (const tranche of tranches) days += daysBetween(tranche.valueDate, TO);
  });
  for (const schedule of [PBOC_DEMAND_SCHEDULE, CHANGING]) {
    let failures = 0;
    const seconds = time(() => {
      for (const tranches of all) if (!accrueInterest({ tranches, to: TO, schedule }).ok) failures += 1;
    });
    if (failures > 0) throw new Error(`${failures} bonds could not be priced`);
    console.log(
      `${schedule.scheduleId} (${schedule.entries.length} rate${schedule.entries.length > 1 ? 's' : ''}): ${seconds.toFixed(2)} s, ${Math.round(BONDS / seconds).toLocaleString('en-US')} bonds/s (target ≤ 2 s); bare date loop ${bare.toFixed(2)} s`,
    );
  }
  let written = 0;
  const withDecimals = time(() => {
    for (const tranches of all) {
      const accrual = accrueInterest({ tranches, to: TO, schedule: CHANGING });
      if (!accrual.ok) throw new Error(accrual.message);
      written += accrual.value.exactInterest.length;
      for (const period of accrual.value.periods) written += period.exactAmount.length;
    }
  });
  console.log(`${CHANGING.scheduleId}, every exact decimal read: ${withDecimals.toFixed(2)} s, ${Math.round(BONDS / withDecimals).toLocaleString('en-US')} bonds/s`);
  if (days === 0 || written === 0) throw new Error('nothing counted');
}

main();
