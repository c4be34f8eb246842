/**
 * Days since 1970-01-01 as JavaScript's Date reads a `YYYY-MM-DD` text, or undefined for a date that
 * does not exist: the reading the domain used before its integer arithmetic, kept for tests as the oracle.
 */
export function dateEpochDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day);
  const exists = midnight.getUTCFullYear() === year && midnight.getUTCMonth() === month - 1 && midnight.getUTCDate() === day;
  return exists ? midnight.getTime() / 86_400_000 : undefined;
}
