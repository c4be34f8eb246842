/** The pause before starting the publisher (or its thread) again: 1 s, doubled after each failure, at most 30 s. */
export const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export function nextRetryMs(ms: number): number {
  return Math.min(ms * 2, MAX_RETRY_MS);
}
