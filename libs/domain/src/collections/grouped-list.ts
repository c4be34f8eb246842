import { type Table, tableChange, tableGet, tableSet } from './table';

/**
 * A list per group (a lot's bonds, refunds, statement lines) in two persistent tables (table.ts):
 * `items`, `{group}/{n}` → the group's n-th item, and `counts`, group → the list's length. One entry per
 * item, so an append copies no list of the group's other items, whatever its length.
 *
 * Two tables, not one object holding both: the read-model store saves a model's top-level tables entry by
 * entry and anything else whole, so a model keeps `items` and `counts` as two fields of its own.
 */
export interface GroupedLists<V> {
  readonly items: Table<V>;
  readonly counts: Table<number>;
}

function itemKey(group: string, n: number): string {
  return `${group}/${n}`;
}

/** How many items the group has; 0 for a group never appended to. */
export function groupedLength(counts: Table<number>, group: string): number {
  return tableGet(counts, group) ?? 0;
}

/** The group's n-th item (from 0); undefined past its end. */
export function groupedItem<V>(items: Table<V>, group: string, n: number): V | undefined {
  return tableGet(items, itemKey(group, n));
}

/** The group's items in the order appended; empty for a group never appended to. */
export function groupedItems<V>(items: Table<V>, counts: Table<number>, group: string): V[] {
  const length = groupedLength(counts, group);
  const list: V[] = new Array(length);
  for (let n = 0; n < length; n++) list[n] = tableGet(items, itemKey(group, n))!;
  return list;
}

/** `item` last in the group's list: the item goes in at n = the group's length, and the length grows by one. */
export function groupedAppend<V>(items: Table<V>, counts: Table<number>, group: string, item: V): GroupedLists<V> {
  const length = groupedLength(counts, group);
  return { items: tableSet(items, itemKey(group, length), item), counts: tableSet(counts, group, length + 1) };
}

/** The group's n-th item replaced by `change(item)`; the same table when there is no such item. */
export function groupedChange<V>(items: Table<V>, group: string, n: number, change: (item: V) => V): Table<V> {
  return tableChange(items, itemKey(group, n), change);
}
