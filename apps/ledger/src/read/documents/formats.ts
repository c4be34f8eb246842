import { Decimal, instantMs } from '@app/domain';

/** How documents print what the API gives as strings: nothing is computed from money but by string or Decimal. */

const CHINA_STANDARD_TIME_OFFSET_MS = 8 * 60 * 60 * 1000;

/** "1234567.89" → "1,234,567.89", by the string. */
export function groupedAmount(amount: string): string {
  const [whole = '', fraction] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** An instant as China Standard Time reads it: "2026-12-15 09:00:00". Not an instant (e.g. ""): as it is. */
export function cstTime(instant: string): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  return new Date(instantMs(instant) + CHINA_STANDARD_TIME_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** An annual rate "0.0035" as "0.35%" (Decimal, exact). */
export function ratePercent(annualRate: string): string {
  return `${Decimal(annualRate).times(Decimal('100')).toString()}%`;
}

/** A schedule's rates as one line: "2015-10-24 起 0.35%; 2025-01-01 起 0.3%". */
export function ratesText(rates: readonly { readonly effectiveFrom: string; readonly annualRate: string }[]): string {
  return rates.map((rate) => `${rate.effectiveFrom} 起 ${ratePercent(rate.annualRate)}`).join('; ');
}
