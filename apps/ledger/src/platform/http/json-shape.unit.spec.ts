import { ApiException } from './api-error';
import { MAX_BODY_DEPTH, assertJsonShape } from './json-shape';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
};

function errorOf(body: unknown) {
  try {
    assertJsonShape(body);
  } catch (error) {
    if (error instanceof ApiException) return { status: error.getStatus(), ...error.body.error };
    throw error;
  }
  return undefined;
}

describe('assertJsonShape', () => {
  it('passes the API’s bodies and scalars', () => {
    expect(errorOf({ scheduleId: 'S', entries: [{ effectiveFrom: '2026-01-01', annualRate: '0.0035' }] })).toBeUndefined();
    expect(errorOf(null)).toBeUndefined();
    expect(errorOf('text')).toBeUndefined();
    expect(errorOf(nested(MAX_BODY_DEPTH))).toBeUndefined();
  });

  it('refuses a body nested deeper than the bound, without recursing', () => {
    expect(errorOf(nested(MAX_BODY_DEPTH + 1))).toEqual({ status: 400, code: 'MALFORMED_BODY', message: expect.stringContaining(`${MAX_BODY_DEPTH} levels`) });
    expect(errorOf(nested(200_000))).toMatchObject({ code: 'MALFORMED_BODY' });
  });

  it('refuses the keys the DTO transformation would drop unseen, naming where they are', () => {
    expect(errorOf(JSON.parse('{"centerId":"C1","__proto__":{}}'))).toEqual({
      status: 400,
      code: 'UNKNOWN_FIELD',
      message: '__proto__ is not a field of this request',
      field: '__proto__',
    });
    expect(errorOf(JSON.parse('{"payer":{"constructor":1}}'))).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'payer.constructor' });
    expect(errorOf(JSON.parse('{"entries":[{},{"__proto__":null}]}'))).toMatchObject({ code: 'UNKNOWN_FIELD', field: 'entries[1].__proto__' });
    for (const key of ['prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__']) {
      expect(errorOf({ name: 'n', [key]: 1 })).toMatchObject({ code: 'UNKNOWN_FIELD', field: key });
    }
    expect(errorOf({ then: 1, x: 1 })).toBeUndefined(); // ordinary unknown fields are the validation pipe's
  });
});
