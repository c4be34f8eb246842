/**
 * JSON with object keys sorted (arrays keep their order), so one state always gives the same bytes:
 * whether a model was built in memory or read back from the read-model store, a re-sent message is
 * byte-identical to the first send, and "did the published state change" is a string comparison.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined) sorted[key] = sortKeys(inner);
    }
    return sorted;
  }
  return value;
}
