import { ApiException } from './api-error';
import { MAX_BODY_DEPTH } from './json-shape';
import { assertNoDuplicateKeys, duplicateKeyPath } from './json-text';

/** The scanner's answer for a text JSON.parse accepts (checked first: the scanner is only for such text). */
function duplicateIn(json: string): string | undefined {
  JSON.parse(json);
  return duplicateKeyPath(json);
}

describe('duplicateKeyPath', () => {
  it('finds nothing in bodies whose objects name each member once', () => {
    expect(duplicateIn('{"bankRef":"X","amount":"1.00","payer":{"accountNo":"1","name":"n"}}')).toBeUndefined();
    expect(duplicateIn('{"entries":[{"annualRate":"0.1"},{"annualRate":"0.2"}],"annualRate":"0.3"}')).toBeUndefined();
    expect(duplicateIn('{"a":{"a":{"a":1}}}')).toBeUndefined(); // the same name in different objects
    expect(duplicateIn('[{"a":1},{"a":2}]')).toBeUndefined();
    expect(duplicateIn('{}')).toBeUndefined();
    expect(duplicateIn('{"a":{},"b":[],"c":[{}],"d":{"e":{}}}')).toBeUndefined();
    expect(duplicateIn('[]')).toBeUndefined();
    expect(duplicateIn(' \t\r\n{ "a" : 1 , "b" : [ 1 , 2 ] } \n')).toBeUndefined();
    for (const scalar of ['null', 'true', '0', '-1.5e3', '"text"', '"{\\"a\\":1,\\"a\\":2}"']) expect(duplicateIn(scalar)).toBeUndefined();
  });

  it('names a duplicate at the top level', () => {
    expect(duplicateIn('{"bankRef":"X","amount":"1.00","amount":"900000.00"}')).toBe('amount');
    expect(duplicateIn('{"amount":"1.00","bankRef":"X","amount":"1.00"}')).toBe('amount'); // same value too
    expect(duplicateIn('{"a":1,"b":2,"c":3,"b":4,"a":5}')).toBe('b'); // the first one repeated, in text order
    expect(duplicateIn('{"":1,"":2}')).toBe('');
  });

  it('names a nested duplicate with its dotted path, through objects and arrays', () => {
    expect(duplicateIn('{"payer":{"accountNo":"1","name":"n","accountNo":"2"}}')).toBe('payer.accountNo');
    expect(duplicateIn('{"entries":[{"annualRate":"0.1"},{"annualRate":"0.2","annualRate":"0.3"}]}')).toBe('entries[1].annualRate');
    expect(
      duplicateIn('{"credits":[{"payer":{"name":"a"}},{},[1,{"x":1}],{"payer":{"name":"a","bankCode":"b","name":"c"}}]}'),
    ).toBe('credits[3].payer.name');
    expect(duplicateIn('[1,[2,3],{"a":1,"a":2}]')).toBe('[2].a');
    expect(duplicateIn('{"a":[[{"b":[{"c":1,"c":1}]}]]}')).toBe('a[0][0].b[0].c');
    // A member after a nested object is judged in its own object, not the nested one.
    expect(duplicateIn('{"a":{"b":1},"b":2}')).toBeUndefined();
    expect(duplicateIn('{"a":{"b":1},"c":[{"b":1}],"a":2}')).toBe('a');
  });

  it('compares names after unescaping them', () => {
    expect(duplicateIn('{"amount":"1.00","am\\u006funt":"2.00"}')).toBe('amount');
    expect(duplicateIn('{"a\\u0062":1,"ab":2}')).toBe('ab');
    expect(duplicateIn('{"ab":1,"a\\u0062":2}')).toBe('ab');
    expect(duplicateIn('{"\\u0041":1,"A":2}')).toBe('A');
    expect(duplicateIn('{"a\\/b":1,"a/b":2}')).toBe('a/b');
    expect(duplicateIn('{"\\ud83d\\ude00":1,"😀":2}')).toBe('😀');
    expect(duplicateIn('{"q\\"":1,"q\\u0022":2}')).toBe('q"');
    expect(duplicateIn('{"payer":{"n\\u0061me":1,"name":2}}')).toBe('payer.name');
  });

  it('keeps names apart that differ once unescaped', () => {
    expect(duplicateIn('{"a":1,"A":2}')).toBeUndefined();
    expect(duplicateIn('{"\\u0061":1,"\\u0041":2}')).toBeUndefined();
    expect(duplicateIn('{"a\\\\u0062":1,"ab":2}')).toBeUndefined(); // a, a backslash, u0062: not "ab"
    expect(duplicateIn('{"a\\\\u0062":1,"a\\\\u0062":2}')).toBe('a\\u0062');
    expect(duplicateIn('{"e\\u0301":1,"\\u00e9":2}')).toBeUndefined(); // no Unicode normalization
    expect(duplicateIn('{"a ":1,"a":2}')).toBeUndefined();
  });

  it('is not confused by braces, brackets, quotes, backslashes, commas and colons inside strings', () => {
    expect(duplicateIn('{"a":"}","a2":"{","b":"]","c":"[","d":",\\"d\\":1"}')).toBeUndefined();
    expect(duplicateIn('{"a":"x\\",\\"a\\":\\"y","b":1}')).toBeUndefined();
    expect(duplicateIn('{"a":"\\\\","a":1}')).toBe('a'); // the value ends at its quote after an escaped backslash
    expect(duplicateIn('{"a":"\\\\\\"","b":"\\\\\\\\","b":2}')).toBe('b');
    expect(duplicateIn('{"k{":1,"k}":2,"k,":3,"k:":4,"k[":5,"k]":6,"k\\"":7}')).toBeUndefined();
    expect(duplicateIn('{"k,":1,"k,":2}')).toBe('k,');
    expect(duplicateIn('{"x":"a:b,c","y":{"z":"}]}","z":0}}')).toBe('y.z');
    expect(duplicateIn('{"x":["a","b,","c]",{"d":1}],"x":2}')).toBe('x');
    // Dots and brackets in a name are written as they are, as the validation pipe would.
    expect(duplicateIn('{"a.b":{"c[0]":1,"c[0]":2}}')).toBe('a.b.c[0]');
  });

  it('scans any depth without recursing', () => {
    const depth = 100_000;
    const deep = `${'{"a":['.repeat(depth)}{"k":1,"k":2}${']}'.repeat(depth)}`;
    expect(duplicateIn(deep)).toBe(`${'a[0].'.repeat(depth)}k`);
    const unique = `${'[{"a":1,"b":'.repeat(depth)}0${'}]'.repeat(depth)}`;
    expect(duplicateIn(unique)).toBeUndefined();
    expect(duplicateIn(`${'[{"a":'.repeat(MAX_BODY_DEPTH)}0${'}]'.repeat(MAX_BODY_DEPTH)}`)).toBeUndefined();
  });

  it('agrees with a recursive reference over generated bodies', () => {
    const random = seeded(20240611);
    const names = ['a', 'b', 'ab', 'A', 'amount', '', 'x.y', '"', '\\', '{', ':', ',', 'é', '😀'];
    const pick = <T>(items: readonly T[]): T => {
      const item = items[Math.floor(random() * items.length)];
      if (item === undefined) throw new Error('nothing to pick from');
      return item;
    };
    const escapeName = (name: string) =>
      [...name].map((ch) => (random() < 0.3 ? Array.from({ length: ch.length }, (_, unit) => `\\u${ch.charCodeAt(unit).toString(16).padStart(4, '0')}`).join('') : JSON.stringify(ch).slice(1, -1))).join('');
    type Tree = { members: [string, Tree][] } | { elements: Tree[] } | { scalar: string };
    const tree = (depth: number): Tree => {
      const roll = random();
      if (depth > 5 || roll < 0.3) return { scalar: pick(['1', 'null', '"s"', '"}\\",\\"a\\":{"', '"\\\\"', '[]', '{}']) };
      if (roll < 0.7) return { members: Array.from({ length: Math.floor(random() * 5) }, () => [pick(names), tree(depth + 1)]) };
      return { elements: Array.from({ length: Math.floor(random() * 4) }, () => tree(depth + 1)) };
    };
    const text = (node: Tree): string => {
      if ('scalar' in node) return node.scalar;
      if ('elements' in node) return `[${node.elements.map(text).join(',')}]`;
      return `{${node.members.map(([name, value]) => `"${escapeName(name)}" : ${text(value)}`).join(' ,')}}`;
    };
    // The first duplicate in text order: a nested object's members come before its later siblings.
    const firstDuplicate = (node: Tree, path: string, top: boolean): string | undefined => {
      if ('scalar' in node) return undefined;
      if ('elements' in node) {
        for (const [index, element] of node.elements.entries()) {
          const found = firstDuplicate(element, `${path}[${index}]`, false);
          if (found !== undefined) return found;
        }
        return undefined;
      }
      const seen = new Set<string>();
      for (const [name, value] of node.members) {
        const field = top ? name : `${path}.${name}`;
        if (seen.has(name)) return field;
        seen.add(name);
        const found = firstDuplicate(value, field, false);
        if (found !== undefined) return found;
      }
      return undefined;
    };
    let duplicates = 0;
    for (let run = 0; run < 3_000; run += 1) {
      const body = tree(0);
      const json = text(body); // once: names are escaped at random
      const expected = firstDuplicate(body, '', true);
      if (expected !== undefined) duplicates += 1;
      expect({ json, found: duplicateIn(json) }).toEqual({ json, found: expected });
    }
    expect(duplicates).toBeGreaterThan(300); // both answers were exercised
  });
});

describe('assertNoDuplicateKeys', () => {
  it('answers 400 DUPLICATE_KEY naming the member', () => {
    let refusal: unknown;
    try {
      assertNoDuplicateKeys('{"payer":{"accountNo":"1","accountNo":"2"}}');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ApiException);
    const exception = refusal as ApiException;
    expect({ status: exception.getStatus(), ...exception.body.error }).toEqual({
      status: 400,
      code: 'DUPLICATE_KEY',
      message: expect.stringContaining('payer.accountNo'),
      field: 'payer.accountNo',
    });
    expect(() => assertNoDuplicateKeys('{"payer":{"accountNo":"1"},"accountNo":"2"}')).not.toThrow();
  });
});

/** A small deterministic generator (mulberry32), so a failure replays. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
