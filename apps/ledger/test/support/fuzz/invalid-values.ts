import fc from 'fast-check';
import { nestedJson } from './json-text';

/**
 * The wire forms of docs/api-contract.md as field kinds, and for each kind an arbitrary of values the contract
 * refuses. "Refused" is decided from the contract's own wording (regexes written here, not imported
 * from the service), so a validator that drifts from the contract is caught.
 */
export type FieldKind =
  | { kind: 'identifier' }
  /** A string of `min` (default 1) to `max` characters. */
  | { kind: 'text'; min?: number; max: number }
  | { kind: 'amount' }
  | { kind: 'instant' }
  | { kind: 'date' }
  | { kind: 'rate' }
  | { kind: 'currency' }
  | { kind: 'oneOf'; values: readonly string[] }
  /** The payee number of a credit: any 1–64 characters (a mistyped number is money for suspense). */
  | { kind: 'payee' }
  /** The virtual account of a suspense MATCH: 19 digits. */
  | { kind: 'virtualAccountNo' }
  | { kind: 'object'; fields: BodySpec }
  | { kind: 'array'; of: BodySpec; min: number; max: number };

export type Field = FieldKind & { optional?: boolean };
export type BodySpec = { readonly [name: string]: Field };

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const VALID_AMOUNT = /^(0|[1-9]\d{0,14})\.\d{2}$/;
const LOOKS_LIKE_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;
const LOOKS_LIKE_DATE = /^\d{4}-\d{2}-\d{2}$/;
const VALID_RATE = /^0(\.\d{1,8})?$/;

/** Any text: full Unicode (astral planes, controls, lone surrogates), or plain ASCII. */
export const anyText = (maxLength = 80): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), maxLength: 4 }),
    fc.string({ maxLength }),
  );

/** Longer than any bounded field, counted in code points (validators count surrogate pairs once). */
export const hugeText = (over: number): fc.Arbitrary<string> =>
  fc.tuple(fc.integer({ min: over + 1, max: Math.max(over + 1, 12_000) }), anyText(8)).map(([length, noise]) => noise + 'A'.repeat(length));

/** JSON nested beyond the service's bound (32), up to thousands of levels (1,500 overflowed its stack once). */
export const deeplyNested: fc.Arbitrary<unknown> = fc.oneof(fc.integer({ min: 33, max: 64 }), fc.integer({ min: 65, max: 8_000 })).map(nestedJson);

/** JSON values that are not strings. `null` only where absence is refused too (required fields). */
function notAString(required: boolean): fc.Arbitrary<unknown> {
  const values: fc.WeightedArbitrary<unknown>[] = [
    { weight: 2, arbitrary: fc.integer() },
    { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
    { weight: 1, arbitrary: deeplyNested },
  ];
  if (required) values.push({ weight: 1, arbitrary: fc.constant(null) });
  return fc.oneof(...values);
}

function invalidStrings(kind: FieldKind): fc.Arbitrary<string> {
  switch (kind.kind) {
    case 'identifier':
      return fc.oneof(
        fc.constantFrom('', ' ', '-lead', '.lead', '_lead', 'has space', 'slash/inside', 'tab\tinside', 'Ünïcode', '全角', 'x'.repeat(65)),
        anyText(100).filter((text) => !IDENTIFIER.test(text)),
        hugeText(64),
      );
    case 'text':
      return (kind.min ?? 1) > 0 ? fc.oneof(fc.constant(''), hugeText(kind.max)) : hugeText(kind.max);
    case 'amount':
      return fc.oneof(
        fc.constantFrom('0.00', '-1.00', '+1.00', '1', '1.0', '1.000', '1.005', '.50', '1,000.00', '1e3', '0x10', ' 1.00', '1.00 ', '１.００', 'NaN', 'Infinity', '1000000000000000.00', '01.00'),
        fc.integer({ min: 16, max: 40 }).map((digits) => `9${'0'.repeat(digits - 1)}.00`),
        anyText(30).filter((text) => !VALID_AMOUNT.test(text)),
      );
    case 'instant':
      return fc.oneof(
        fc.constantFrom(
          '2026-12-01T10:02:03', // no offset
          '2026-12-01',
          '2026-12-01 10:02:03+08:00',
          '2026-12-01T24:00:00Z',
          '2026-13-01T10:00:00Z',
          '2026-02-30T10:00:00Z',
          '2026-12-01T10:60:00Z',
          '2026-12-01T10:00:00+19:00',
          '2026-12-01T10:00:00+0800',
          '1764554523',
          'tomorrow',
        ),
        anyText(40).filter((text) => !LOOKS_LIKE_INSTANT.test(text)),
      );
    case 'date':
      return fc.oneof(
        fc.constantFrom('2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '26-12-01', '2026/12/01', '01/12/2026', '2026-12-01T00:00:00Z', '20261201', '+002026-12-01', '２０２６-１２-０１'),
        anyText(20).filter((text) => !LOOKS_LIKE_DATE.test(text)),
      );
    case 'rate':
      return fc.oneof(
        fc.constantFrom('1', '1.0', '0.35%', '-0.01', '0.123456789', '.5', '0,0035', '3.5e-3', ' 0.0035', 'NaN'),
        anyText(20).filter((text) => !VALID_RATE.test(text)),
      );
    case 'currency':
      return fc.oneof(fc.constantFrom('cny', 'CNYY', 'CN', 'RMB1', ' CNY', '¥'), anyText(6).filter((text) => !/^[A-Z]{3}$/.test(text)));
    case 'oneOf':
      return fc.oneof(
        fc.constantFrom(...kind.values.flatMap((value) => [value.toLowerCase(), ` ${value}`, `${value} `, `${value}X`])).filter((text) => !kind.values.includes(text)),
        anyText(20).filter((text) => !kind.values.includes(text)),
      );
    case 'payee':
      return fc.oneof(fc.constant(''), hugeText(64));
    case 'virtualAccountNo':
      return fc.oneof(
        fc.constantFrom('955880000000000001', '95588000000000000123', '955880000000000001x', ' 9558800000000000018', '９５５８８００００００００００００００１８'),
        anyText(25).filter((text) => !/^\d{19}$/.test(text)),
      );
    default:
      return fc.string();
  }
}

/** Builds invalid bodies of a nested spec from a valid one (see invalid-bodies.ts). */
export type NestedInvalid = (spec: BodySpec, valid: Record<string, unknown>) => fc.Arbitrary<unknown>;

/** A value the contract refuses for a field of this kind (present in the body); `valid` is the field's valid value. */
export function invalidValue(field: Field, valid: unknown, nested: NestedInvalid): fc.Arbitrary<unknown> {
  const required = !field.optional;
  switch (field.kind) {
    case 'object':
      return fc.oneof(
        fc.oneof(fc.integer(), fc.boolean(), anyText(20), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), deeplyNested, ...(required ? [fc.constant(null)] : [])),
        nested(field.fields, valid as Record<string, unknown>),
      );
    case 'array': {
      const [element] = valid as Record<string, unknown>[];
      if (element === undefined) throw new Error('a valid array field needs an element to vary');
      return fc.oneof(
        fc.oneof(fc.integer(), fc.boolean(), anyText(20), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), deeplyNested, ...(required ? [fc.constant(null)] : [])),
        ...(field.min > 0 ? [fc.constant([])] : []),
        fc.constant(Array.from({ length: field.max + 1 }, () => element)),
        fc.array(nested(field.of, element), { minLength: 1, maxLength: 3 }),
        fc.array(fc.oneof(fc.integer(), anyText(10), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 })), { minLength: 1, maxLength: 3 }),
      );
    }
    default:
      return fc.oneof(notAString(required), invalidStrings(field));
  }
}
