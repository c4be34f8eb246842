import { addDays, isCalendarDate } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';

/**
 * Where a replay stops: at a global position (inclusive) and/or at a recording time. The replay stops
 * at the first event beyond the cut, so what it audits is always a prefix of the log, i.e. a state the
 * ledger really was in (filtering by time instead could skip an event recorded by a late clock).
 */
export interface AsOf {
  /** The last position replayed. */
  readonly position?: bigint | undefined;
  /** Events recorded (metadata.recordedAt) before this instant are replayed. */
  readonly recordedBefore?: { readonly epochMs: number; readonly given: string } | undefined;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseAsOfPosition(text: string): bigint {
  if (!/^\d{1,19}$/.test(text)) throw new UsageError(`--as-of-position must be a non-negative integer, got "${text}"`);
  return BigInt(text);
}

/**
 * An instant with its offset (`2026-12-05T17:00:00+08:00`): events recorded at or before it. A date
 * (`2026-12-05`): the whole business day in China Standard Time, i.e. events recorded before the next
 * day's 00:00 +08:00, as a bank's end-of-day statement. An instant without offset is refused: it would
 * mean different moments on different machines.
 */
export function parseAsOfInstant(text: string): NonNullable<AsOf['recordedBefore']> {
  if (isCalendarDate(text) && text < '9999-12-31') {
    return { epochMs: Date.parse(`${addDays(text, 1)}T00:00:00+08:00`), given: text };
  }
  if (INSTANT_WITH_OFFSET.test(text)) {
    const epochMs = Date.parse(text);
    // Recorded times have millisecond precision: "at or before t" is "before t + 1 ms".
    if (!Number.isNaN(epochMs)) return { epochMs: epochMs + 1, given: text };
  }
  throw new UsageError(`--as-of must be a date YYYY-MM-DD or an instant with its offset (2026-12-05T17:00:00+08:00), got "${text}"`);
}

/** True for the first event the replay must not include. */
export function isBeyond(asOf: AsOf, event: Pick<RecordedEvent, 'position' | 'metadata'>): boolean {
  if (asOf.position !== undefined && event.position > asOf.position) return true;
  if (asOf.recordedBefore !== undefined) {
    const recordedAt = Date.parse(String(event.metadata.recordedAt));
    // An event without a readable recordedAt cannot be placed in time; it ends a time-bounded replay.
    if (Number.isNaN(recordedAt) || recordedAt >= asOf.recordedBefore.epochMs) return true;
  }
  return false;
}
