import fc from 'fast-check';
import { at } from '../../test/at';
import { emptyTable, isTable, tableDiff, tableDelete, tableEntries, tableGet, tableHas, tableSet, tableSize, tableUpdate, tableValues } from './table';

describe('table', () => {
  it('sets, gets, updates and counts', () => {
    let table = emptyTable<number>();
    for (let i = 0; i < 1000; i++) table = tableSet(table, `key-${i}`, i);
    expect(tableSize(table)).toBe(1000);
    expect(tableGet(table, 'key-417')).toBe(417);
    expect(tableHas(table, 'key-1000')).toBe(false);
    table = tableUpdate(table, 'key-417', (value) => (value ?? 0) + 1);
    expect(tableGet(table, 'key-417')).toBe(418);
    expect(tableValues(table).reduce((sum, value) => sum + value, 0)).toBe(499_501);
    expect(new Set(tableEntries(table).map(([key]) => key)).size).toBe(1000);
  });

  it('is persistent: an older version is unchanged by later writes', () => {
    const before = tableSet(emptyTable<string>(), 'a', '1');
    const snapshot = JSON.stringify(before);
    const after = tableDelete(tableSet(tableSet(before, 'a', '2'), 'b', '3'), 'a');
    expect(JSON.stringify(before)).toBe(snapshot);
    expect(tableGet(after, 'a')).toBeUndefined();
    expect(tableGet(after, 'b')).toBe('3');
  });

  it("does not find Object.prototype's members", () => {
    const table = tableSet(emptyTable<string>(), 'x', 'y');
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(tableGet(table, key)).toBeUndefined();
    expect(tableGet(tableSet(table, 'constructor', 'lot'), 'constructor')).toBe('lot');
  });

  it('leaves no trace of deleted keys: same content, same JSON', () => {
    let table = emptyTable<number>();
    for (let i = 0; i < 200; i++) table = tableSet(table, `k${i}`, i);
    for (let i = 100; i < 200; i++) table = tableDelete(table, `k${i}`);
    let direct = emptyTable<number>();
    for (let i = 0; i < 100; i++) direct = tableSet(direct, `k${i}`, i);
    expect(JSON.stringify(table)).toBe(JSON.stringify(direct));
    expect(tableDelete(direct, 'absent')).toBe(direct);
    expect(tableDelete(tableSet(emptyTable<number>(), 'only', 1), 'only')).toEqual(emptyTable());
  });

  it('has one layout per content, whatever the order of writes', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `B-${i.toString(16).padStart(16, '0')}-L${i % 7}`);
    const forwards = keys.reduce((table, key) => tableSet(table, key, key.length), emptyTable<number>());
    const backwards = [...keys].reverse().reduce((table, key) => tableSet(table, key, key.length), emptyTable<number>());
    expect(backwards).toStrictEqual(forwards);
    expect(JSON.stringify(backwards)).toBe(JSON.stringify(forwards));
    expect(tableSize(forwards)).toBe(3000);
    const key = at(keys, 5);
    expect(tableSet(forwards, key, key.length)).toBe(forwards); // an unchanged value copies nothing
  });

  it('keeps keys whose 32-bit hashes are equal apart (FNV-1a: "k4uzx" and "kf2ad")', () => {
    const both = tableSet(tableSet(emptyTable<string>(), 'kf2ad', 'second'), 'k4uzx', 'first');
    expect([tableGet(both, 'k4uzx'), tableGet(both, 'kf2ad')]).toEqual(['first', 'second']);
    expect(tableSize(both)).toBe(2);
    expect(tableSet(tableSet(emptyTable<string>(), 'k4uzx', 'first'), 'kf2ad', 'second')).toStrictEqual(both);
    const one = tableDelete(both, 'k4uzx');
    expect(tableGet(one, 'kf2ad')).toBe('second');
    expect(one).toStrictEqual(tableSet(emptyTable<string>(), 'kf2ad', 'second'));
  });

  it('diffs two versions: every key set, changed or removed, and nothing else', () => {
    const key = fc.constantFrom(...Array.from({ length: 400 }, (_, i) => `k${i}`), 'k4uzx', 'kf2ad');
    const writes = fc.array(fc.tuple(key, fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined })), { maxLength: 300 });
    fc.assert(
      fc.property(writes, writes, (first, second) => {
        const apply = (table: ReturnType<typeof emptyTable<number>>, list: typeof first) =>
          list.reduce((t, [k, v]) => (v === undefined ? tableDelete(t, k) : tableSet(t, k, v)), table);
        const before = apply(emptyTable<number>(), first);
        const after = apply(before, second);
        const seen = new Map<string, number | undefined>();
        tableDiff(before, after, (k, v) => {
          expect(seen.has(k)).toBe(false);
          seen.set(k, v);
        });
        const expected = new Map<string, number | undefined>();
        for (const [k] of [...tableEntries(before), ...tableEntries(after)]) {
          if (tableGet(before, k) !== tableGet(after, k)) expected.set(k, tableGet(after, k));
        }
        expect(seen).toEqual(expected);
      }),
    );
  });

  it('tells tables from other values', () => {
    expect(isTable(emptyTable())).toBe(true);
    expect(isTable(tableSet(emptyTable<number>(), 'a', 1))).toBe(true);
    for (const other of [null, 1, 'x', [], {}, { bits: 1 }, { bits: 1, kids: [], more: 1 }, { bits: '1', kids: [] }]) expect(isTable(other)).toBe(false);
  });
});
