import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every time the console shows is Asia/Shanghai's, whatever the browser's zone. */
export const ZONE = 'Asia/Shanghai';

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * An amount as the API sends it (a decimal string, "1234567.5") with thousands separators and at least two
 * decimals ("1,234,567.50"), by string manipulation only: money is never a float in the console. A string
 * that is not a decimal is shown as it came; extra decimals are kept, never rounded.
 */
export function formatMoney(amount: string | undefined | null): string {
  if (amount === undefined || amount === null) return '—';
  const match = DECIMAL.exec(amount.trim());
  if (!match) return amount;
  const [, sign = '', whole = '0', fraction = ''] = match;
  const grouped = whole.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${fraction.padEnd(2, '0')}`;
}

/** An account number grouped in fours for reading aloud and copying ("6222 0210 0112 3456 7"). */
export function groupAccountNo(accountNo: string): string {
  return accountNo.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** An instant ("2026-12-01T01:30:00Z") as Asia/Shanghai's wall clock: "2026-12-01 09:30:00". */
export function formatTime(instant: string | undefined | null): string {
  if (!instant) return '—';
  const time = dayjs(instant);
  return time.isValid() ? time.tz(ZONE).format('YYYY-MM-DD HH:mm:ss') : instant;
}

/** A calendar date as the API sends it ("2026-12-01"): shown as it is, it has no zone. */
export function formatDate(date: string | undefined | null): string {
  return date ?? '—';
}

/** The Asia/Shanghai calendar day of an instant, "YYYY-MM-DD". */
export function shanghaiDay(instant: string): string {
  return dayjs(instant).tz(ZONE).format('YYYY-MM-DD');
}

/** Today in Asia/Shanghai, "YYYY-MM-DD" (the API's calendar dates are Shanghai's). */
export function todayInShanghai(): string {
  return dayjs().tz(ZONE).format('YYYY-MM-DD');
}

/**
 * A wall-clock time typed in a form ("2026-12-01T09:30", as an <input type="datetime-local"> gives it)
 * read as Asia/Shanghai's, as the API's instant with its offset: "2026-12-01T09:30:00+08:00".
 * Undefined when it is not a time.
 */
export function shanghaiInstant(wallClock: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$/.test(wallClock.trim())) return undefined;
  const time = dayjs.tz(wallClock.trim().replace(' ', 'T'), ZONE);
  return time.isValid() ? time.format('YYYY-MM-DDTHH:mm:ssZ') : undefined;
}

/** What is left until `instant`, split for a countdown; `past` once it has come. */
export interface TimeLeft {
  past: boolean;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function timeLeft(instant: string, now: number = Date.now()): TimeLeft {
  const ms = dayjs(instant).valueOf() - now;
  const total = Math.max(0, Math.floor(ms / 1000));
  return {
    past: ms <= 0,
    days: Math.floor(total / 86_400),
    hours: Math.floor((total % 86_400) / 3600),
    minutes: Math.floor((total % 3600) / 60),
    seconds: total % 60,
  };
}

/** "3天 04:05:06" / "3d 04:05:06". */
export function formatTimeLeft(left: TimeLeft, dayUnit: string): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const clock = `${two(left.hours)}:${two(left.minutes)}:${two(left.seconds)}`;
  return left.days > 0 ? `${left.days}${dayUnit} ${clock}` : clock;
}
