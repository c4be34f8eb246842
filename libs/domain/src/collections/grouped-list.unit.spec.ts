import { type GroupedLists, groupedAppend, groupedChange, groupedItem, groupedItems, groupedLength } from './grouped-list';
import { emptyTable, tableSize } from './table';

/** Lists made by appending `[group, item]` pairs in turn, from empty tables. */
function given(...appends: [string, string][]): GroupedLists<string> {
  let lists: GroupedLists<string> = { items: emptyTable(), counts: emptyTable() };
  for (const [group, item] of appends) lists = groupedAppend(lists.items, lists.counts, group, item);
  return lists;
}

describe('grouped lists', () => {
  it('lists a group in the order appended, apart from the other groups', () => {
    const lists = given(['L1', 'a'], ['L2', 'x'], ['L1', 'b'], ['L1', 'c']);
    expect(groupedItems(lists.items, lists.counts, 'L1')).toEqual(['a', 'b', 'c']);
    expect(groupedItems(lists.items, lists.counts, 'L2')).toEqual(['x']);
    expect(groupedLength(lists.counts, 'L1')).toBe(3);
    expect(groupedItem(lists.items, 'L1', 1)).toBe('b');
  });

  it('has an empty list and no items for a group never appended to', () => {
    const lists = given(['L1', 'a']);
    expect(groupedLength(lists.counts, 'L9')).toBe(0);
    expect(groupedItems(lists.items, lists.counts, 'L9')).toEqual([]);
    expect(groupedItem(lists.items, 'L9', 0)).toBeUndefined();
    expect(groupedItem(lists.items, 'L1', 1)).toBeUndefined();
  });

  it('keeps groups apart whose ids contain the separator', () => {
    const lists = given(['L', 'a'], ['L/0', 'b'], ['L', 'c']);
    expect(groupedItems(lists.items, lists.counts, 'L')).toEqual(['a', 'c']);
    expect(groupedItems(lists.items, lists.counts, 'L/0')).toEqual(['b']);
  });

  it('is persistent: an append leaves the lists it was given as they were', () => {
    const before = given(['L1', 'a']);
    const json = JSON.stringify(before);
    const after = groupedAppend(before.items, before.counts, 'L1', 'b');
    expect(JSON.stringify(before)).toBe(json);
    expect(groupedItems(after.items, after.counts, 'L1')).toEqual(['a', 'b']);
  });

  it('stores one entry per item and one count per group, so two folds of the same appends are equal as JSON', () => {
    const appends: [string, string][] = [['L1', 'a'], ['L2', 'x'], ['L1', 'b']];
    const lists = given(...appends);
    expect(tableSize(lists.items)).toBe(3);
    expect(tableSize(lists.counts)).toBe(2);
    expect(JSON.stringify(given(...appends))).toBe(JSON.stringify(lists));
  });

  it("changes a group's n-th item in place, and nothing for an item that is not there", () => {
    const lists = given(['L1', 'a'], ['L1', 'b']);
    const changed = groupedChange(lists.items, 'L1', 1, (item) => item.toUpperCase());
    expect(groupedItems(changed, lists.counts, 'L1')).toEqual(['a', 'B']);
    expect(groupedChange(lists.items, 'L1', 2, (item) => item.toUpperCase())).toBe(lists.items);
    expect(groupedChange(lists.items, 'L2', 0, (item) => item.toUpperCase())).toBe(lists.items);
  });
});
