import { canonicalJson } from '@app/event-store';
import type { ProjectionEvent } from '@app/projections';
import { buildScenario } from '../../projections/test/scenario';
import { buildLongHistory, buildSealedLotHistory, buildSharedNumberHistory } from '../test/support/histories';
import { allPublished, applyEvent, changesOf, initialModels } from './published-state';

/**
 * The messaging library had its own canonical JSON until it took the event store's; this is that one,
 * kept as the oracle for "no message byte changes".
 */
function formerMessagingJson(value: unknown): string {
  const sortKeys = (inner: unknown): unknown => {
    if (Array.isArray(inner)) return inner.map(sortKeys);
    if (inner !== null && typeof inner === 'object') {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) {
        const member = (inner as Record<string, unknown>)[key];
        if (member !== undefined) sorted[key] = sortKeys(member);
      }
      return sorted;
    }
    return inner;
  };
  return JSON.stringify(sortKeys(value));
}

describe("a message's state bytes (the store's canonicalJson)", () => {
  it.each([
    ['the projections scenario', buildScenario().harness.log],
    ['the sealed-lot history', buildSealedLotHistory().log],
    ['a long history', buildLongHistory(6, 5)],
    ['one master account number at two banks', buildSharedNumberHistory().log],
  ])('are the bytes messaging wrote before, for every change published at every event of %s', (_name, log: readonly ProjectionEvent[]) => {
    let models = initialModels();
    let compared = 0;
    for (const event of log) {
      const next = applyEvent(models, event);
      for (const change of [...changesOf(event, models, next), ...allPublished(next)]) {
        expect(change.stateJson).toBe(formerMessagingJson(change.state));
        compared += 1;
      }
      models = next;
    }
    expect(compared).toBeGreaterThan(log.length);
  });

  it('differ from the former ones only where no published state goes: integer-like keys, toJSON, __proto__, a bare undefined', () => {
    // Published states are records of fixed camelCase field names holding strings, numbers, booleans,
    // arrays and such records (docs/topics.md): none of these inputs is one.
    expect(canonicalJson({ b: 1, '10': 2, '9': 3 })).toBe('{"10":2,"9":3,"b":1}');
    expect(formerMessagingJson({ b: 1, '10': 2, '9': 3 })).toBe('{"9":3,"10":2,"b":1}');
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    expect(formerMessagingJson({ at: new Date(0) })).toBe('{"at":{}}');
    const proto = JSON.parse('{"__proto__":1}') as unknown;
    expect([canonicalJson(proto), formerMessagingJson(proto)]).toEqual(['{"__proto__":1}', '{}']);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    // Both drop undefined members and write undefined in a list as null.
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe(formerMessagingJson({ a: undefined, b: [undefined] }));
  });
});
