/**
 * JSON text of fuzzed bodies. Deep nesting is carried as ready-made text (`RawJson`): JSON.stringify
 * recurses and would overflow the test's own stack long before the service's bound matters.
 */
export class RawJson {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text.length > 60 ? `${this.text.slice(0, 30)}…(${this.text.length} chars)` : this.text;
  }
}

/** JSON nested `depth` levels, arrays and objects alternately, around a string. */
export function nestedJson(depth: number): RawJson {
  const opens: string[] = [];
  const closes: string[] = [];
  for (let i = 0; i < depth; i += 1) {
    opens.push(i % 2 === 0 ? '[' : '{"a":');
    closes.push(i % 2 === 0 ? ']' : '}');
  }
  return new RawJson(`${opens.join('')}"leaf"${closes.reverse().join('')}`);
}

/** Like JSON.stringify for the shallow values fast-check makes, with RawJson inserted as is; own `__proto__` keys kept. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
