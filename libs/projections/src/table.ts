/**
 * A persistent (copy-on-write) string-keyed map made of plain JSON objects, for read models that grow
 * with the ledger (accounts, bonds, refunds, credits).
 *
 * Why not one flat object: a pure `apply` may not mutate its model, and copying a flat object of n
 * keys on every event costs O(n) per event (measured: ~3 ms at 10 000 keys, ~70 ms at 100 000), so
 * replaying a bank's log would be quadratic. Here keys are spread over 64 × 64 buckets by a fixed
 * string hash (FNV-1a), and a write copies one top-level object (≤ 64 keys), one second-level object
 * (≤ 64 keys) and one bucket (≈ n / 4096 keys), sharing everything else with the previous version.
 *
 * The layout is a pure function of the keys and values, so two folds of the same events give equal
 * (deep-equal, and equal as JSON) tables. Iteration order is the buckets' order, not insertion order:
 * models that need an order store one (e.g. a global position) and sort.
 */
export type Table<V> = { readonly [slot: string]: { readonly [slot: string]: { readonly [key: string]: V } } };

const FANOUT_BITS = 6;
const FANOUT_MASK = (1 << FANOUT_BITS) - 1;

export function emptyTable<V>(): Table<V> {
  return {};
}

/** FNV-1a over the UTF-16 code units: fixed, fast, and the same in every process. */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function slotsOf(key: string): [string, string] {
  const h = hash(key);
  return [String(h & FANOUT_MASK), String((h >>> FANOUT_BITS) & FANOUT_MASK)];
}

/** Sets an own property, also for the key "__proto__" (which plain assignment would take as the prototype). */
function put<V>(target: { [key: string]: V }, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * `{ ...record, [key]: value }` for records keyed by ids (bond, refund, credit, account ids): the same
 * keys in the same order, built by copying key by key. Why not the spread: every id V8 has never seen as
 * a property name adds a hidden-class transition, and object spread of such records slows down with the
 * number of distinct ids in the process (measured: ~1 µs per copy of a 40-key record with 40,000 ids
 * seen, ~20 µs with 160,000), which made a rebuild of a million events slower the longer it ran.
 */
export function withEntry<V>(record: { readonly [key: string]: V }, key: string, value: V): { readonly [key: string]: V } {
  const next: { [key: string]: V } = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i += 1) put(next, keys[i], record[keys[i]]);
  put(next, key, value);
  return next;
}

/** A copy of the record without `key` (see `withEntry`). */
export function withoutEntry<V>(record: { readonly [key: string]: V }, key: string): { readonly [key: string]: V } {
  const next: { [key: string]: V } = {};
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i += 1) if (keys[i] !== key) put(next, keys[i], record[keys[i]]);
  return next;
}

/** A copy of the record with `update` applied to the values of `keys` that it has (see `withEntry`). */
export function withUpdates<V>(record: { readonly [key: string]: V }, keys: readonly string[], update: (value: V) => V): { readonly [key: string]: V } {
  const changed = new Set(keys);
  const next: { [key: string]: V } = {};
  const present = Object.keys(record);
  for (let i = 0; i < present.length; i += 1) {
    const key = present[i];
    put(next, key, changed.has(key) ? update(record[key]) : record[key]);
  }
  return next;
}

/** An own property only: a key such as "constructor" must not find Object.prototype's. */
export function own<V>(record: { readonly [key: string]: V }, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

export function tableGet<V>(table: Table<V>, key: string): V | undefined {
  const [a, b] = slotsOf(key);
  const level = own(table, a);
  const bucket = level && own(level, b);
  return bucket && own(bucket, key);
}

export function tableHas<V>(table: Table<V>, key: string): boolean {
  return tableGet(table, key) !== undefined;
}

export function tableSet<V>(table: Table<V>, key: string, value: V): Table<V> {
  const [a, b] = slotsOf(key);
  const level = own(table, a) ?? {};
  const bucket = own(level, b) ?? {};
  // The two upper levels are keyed "0".."63" (array indices: cheap to spread); buckets by the keys themselves.
  return { ...table, [a]: { ...level, [b]: withEntry(bucket, key, value) } };
}

/** Sets the key to `update(current)`; `current` is undefined for a new key. */
export function tableUpdate<V>(table: Table<V>, key: string, update: (current: V | undefined) => V): Table<V> {
  return tableSet(table, key, update(tableGet(table, key)));
}

/** Removes a key, and any bucket it leaves empty (so the JSON form does not depend on past deletions). */
export function tableDelete<V>(table: Table<V>, key: string): Table<V> {
  const [a, b] = slotsOf(key);
  const level = own(table, a);
  const bucket = level && own(level, b);
  if (!bucket || own(bucket, key) === undefined) return table;
  const restOfBucket = withoutEntry(bucket, key);
  const nextLevel = Object.keys(restOfBucket).length > 0 ? { ...level, [b]: restOfBucket } : withoutEntry(level, b);
  return Object.keys(nextLevel).length > 0 ? { ...table, [a]: nextLevel } : withoutEntry(table, a);
}

export function tableEntries<V>(table: Table<V>): [string, V][] {
  const entries: [string, V][] = [];
  for (const level of Object.values(table)) {
    for (const bucket of Object.values(level)) entries.push(...Object.entries(bucket));
  }
  return entries;
}

export function tableValues<V>(table: Table<V>): V[] {
  return tableEntries(table).map(([, value]) => value);
}

export function tableSize<V>(table: Table<V>): number {
  let size = 0;
  for (const level of Object.values(table)) {
    for (const bucket of Object.values(level)) size += Object.keys(bucket).length;
  }
  return size;
}
