/**
 * How models and their entries are copied on hot paths, and why not always with a spread. V8 (Node 20)
 * copies `{ ...source, changed }` fast only when `source` was made by an object literal; when it was
 * made by a spread itself — as a model or a bond is, event after event, if every version is a spread of
 * the previous one — the copy takes a slow path: ~130 ns for a three-field model, ~180 ns for a bond,
 * against ~3 ns for a literal naming each field and ~30 ns for a spread of a literal-made object; a
 * spread that ADDS a property its source lacks is slower still (~0.9 µs for a bond). Measured in
 * micro-benchmarks and in the rebuild of the benchmark log. So models are rebuilt by literal
 * constructors (`bondsModel(…)`, the `at` of `defineProjection`), the entries changed on every event by
 * constructors too (`makeBond`, `makeLot`…), and other entries that gain a property (a settled
 * refund's `bankRef`) go through `copyWith`.
 */
export function copyWith<T extends object>(entry: T, changes: Partial<T>): T {
  return Object.assign({}, entry, changes);
}
