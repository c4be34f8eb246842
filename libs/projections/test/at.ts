/** The element at `index` (negative counts from the end), failing the test when there is none (`noUncheckedIndexedAccess`). */
export function at<T>(list: readonly T[], index: number): T {
  const item = list.at(index);
  if (item === undefined) throw new Error(`expected an element at ${index}, found ${list.length} elements`);
  return item;
}
