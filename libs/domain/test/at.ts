/**
 * Reads that fail the test, with what was there, instead of passing `undefined` on: for lists and
 * records read under `noUncheckedIndexedAccess`.
 */

/** The element at `index` (negative counts from the end). */
export function at<T>(list: readonly T[], index: number): T {
  const item = list.at(index);
  if (item === undefined) throw new Error(`expected an element at ${index}, found ${list.length} elements`);
  return item;
}

/** `value`, which the test expects to be there (`what` names it in the failure). */
export function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`expected ${what}, found undefined`);
  return value;
}
