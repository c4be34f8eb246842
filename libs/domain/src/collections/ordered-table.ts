import { type Table, emptyTable, tableGet, tableSet } from './table';

/**
 * A persistent table (table.ts) that also keeps the order its keys were first set in, for a state that
 * grows by one entry per event and is listed in that order now and then (a lot's bonds: refund runs go
 * in the order the lot opened them). A write costs two table writes whatever the size; listing costs a
 * lookup per entry.
 */
export interface OrderedTable<V> {
  readonly byKey: Table<V>;
  /** Position ("0", "1", …) → key, in the order the keys were first set. */
  readonly keys: Table<string>;
  readonly size: number;
}

const EMPTY: OrderedTable<never> = Object.freeze({ byKey: emptyTable<never>(), keys: emptyTable<string>(), size: 0 });

export function emptyOrderedTable<V>(): OrderedTable<V> {
  return EMPTY;
}

export function orderedGet<V>(table: OrderedTable<V>, key: string): V | undefined {
  return tableGet(table.byKey, key);
}

/** A new key goes last; a key already there keeps its place. */
export function orderedSet<V>(table: OrderedTable<V>, key: string, value: V): OrderedTable<V> {
  const known = tableGet(table.byKey, key) !== undefined;
  const byKey = tableSet(table.byKey, key, value);
  return known ? { byKey, keys: table.keys, size: table.size } : { byKey, keys: tableSet(table.keys, String(table.size), key), size: table.size + 1 };
}

/** The values in the order their keys were first set. */
export function orderedValues<V>(table: OrderedTable<V>): V[] {
  const values: V[] = new Array(table.size);
  for (let position = 0; position < table.size; position++) values[position] = tableGet(table.byKey, tableGet(table.keys, String(position))!)!;
  return values;
}
