import { withEntry, withUpdates, withoutEntry } from '../src/table';

/** The key-by-key copies of table.ts must be indistinguishable from the object spread they replace. */
describe('record copies', () => {
  const record = Object.freeze({ b: 1, a: 2, '10': 3, '2': 4, 'B-0123456789abcdef-L1': 5 }) as { readonly [key: string]: number };

  it('withEntry equals { ...record, [key]: value }, key order included, and leaves the record alone', () => {
    for (const [key, value] of [['a', 9], ['new', 9], ['1', 9], ['B-0123456789abcdef-L1', 0]] as const) {
      const copy = withEntry(record, key, value);
      const spread = { ...record, [key]: value };
      expect(copy).toStrictEqual(spread);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(spread));
    }
    expect(record).toEqual({ b: 1, a: 2, '10': 3, '2': 4, 'B-0123456789abcdef-L1': 5 });
  });

  it('withoutEntry and withUpdates equal their spread forms', () => {
    const { a: _a, ...rest } = record;
    expect(JSON.stringify(withoutEntry(record, 'a'))).toBe(JSON.stringify(rest));
    expect(withoutEntry(record, 'missing')).toStrictEqual({ ...record });
    expect(JSON.stringify(withUpdates(record, ['a', '2', 'missing'], (value) => value * 10))).toBe(JSON.stringify({ ...record, a: 20, '2': 40 }));
  });

  it('keeps "__proto__" an own property, as JSON.parse and the spread do, never the prototype', () => {
    const parsed = JSON.parse('{"__proto__": 1, "x": 2}') as { [key: string]: number };
    const copy = withEntry(parsed, '__proto__', 3);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'x']);
    expect(JSON.stringify(copy)).toBe('{"__proto__":3,"x":2}');
    expect(Object.keys(withoutEntry(parsed, 'x'))).toEqual(['__proto__']);
  });
});
