import fc from 'fast-check';
import { invalidBody } from './invalid-bodies';
import { anyText, deeplyNested } from './invalid-values';
import { toJsonText } from './json-text';
import type { FuzzRoute } from './post-routes';

/** One request the route must refuse: the family says why (for the failure report). */
export interface FuzzRequest {
  family: string;
  path: string;
  headers: Record<string, string>;
  /** Undefined: a request without a body. */
  body: Buffer | undefined;
}

const UNRESERVED = /^[A-Za-z0-9_.~-]$/;

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as on any wire). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((byte) => (UNRESERVED.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const hex16 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 16, maxLength: 16 });

/**
 * Path segments naming nothing the fixture holds: random, malformed escapes, look-alike ids (bonds and
 * refunds of the fixture's lots, credits at the fixture's banks and in the form without a bank), long ones.
 */
function unknownIds(route: FuzzRoute, known: ReadonlySet<string>, lotIds: readonly string[], bankCodes: readonly string[]): fc.Arbitrary<string> {
  const bankRef = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 20 });
  return fc
    .oneof(
      anyText(80).map(percentEncode),
      fc.constantFrom('%', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '%20', '%0D%0A', '*', ';', '~'),
      fc.tuple(fc.constantFrom('B', 'R'), hex16, fc.constantFrom(...lotIds)).map(([kind, hash, lotId]) => `${kind}-${hash}-${lotId}`),
      fc.tuple(fc.constantFrom(...bankCodes), bankRef).map(([bankCode, ref]) => `C-${bankCode}-${ref}`),
      bankRef.map((ref) => `C-${ref}`),
      fc.integer({ min: 65, max: 1_500 }).map((length) => 'L'.repeat(length)),
      fc.constant(percentEncode(route.param ?? '') + 'x'),
    )
    .filter((segment) => !known.has(decoded(segment) ?? ''));
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'Application/JSON; Charset=UTF-8'];

/** Not `application/json` (optionally `; charset=utf-8`), as the API requires. */
function isAcceptedContentType(value: string): boolean {
  const [media, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  return media === 'application/json' && parameters.every((parameter) => parameter === 'charset=utf-8');
}

const wrongContentType = fc.oneof(
  fc.constantFrom(
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/xml',
    'application/jsonx',
    'application/json-patch+json',
    'application/vnd.api+json',
    'text/json',
    'application/json, text/plain',
    '*/*',
    '',
  ),
  fc.string({ maxLength: 60 }).filter((value) => !isAcceptedContentType(value)),
);

/** An Idempotency-Key header on one request in five: mostly well-formed, sometimes empty, too long or with spaces. */
const idempotencyKey: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 128 }) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', 'k'.repeat(129), 'has space')) },
);

const json = (value: unknown) => Buffer.from(toJsonText(value), 'utf8');

/** Text that JSON.parse refuses: random, near misses, or a valid body cut short. */
function notJson(valid: object): fc.Arbitrary<Buffer> {
  const text = JSON.stringify(valid);
  return fc
    .oneof(
      anyText(200),
      fc.constantFrom('{', '{"a":1,}', "{'a':1}", '{"a":01}', 'NaN', '[1,]', '{"a":1}{"b":2}', '\uFEFF{', '{"a":"\u0001"}', '{"a":undefined}', 'nul'),
      fc.integer({ min: 1, max: text.length - 1 }).map((cut) => text.slice(0, cut)),
    )
    .filter((candidate) => {
      try {
        // As the service reads it: UTF-8 (a lone surrogate becomes U+FFFD), a leading BOM ignored (RFC 8259 allows it).
        JSON.parse(Buffer.from(candidate, 'utf8').toString('utf8').replace(/^\uFEFF/, ''));
        return false;
      } catch {
        return true;
      }
    })
    .map((candidate) => Buffer.from(candidate, 'utf8'));
}

/** A valid body with bytes that are not UTF-8 in its first string value. */
function notUtf8(valid: object): fc.Arbitrary<Buffer> {
  const text = JSON.stringify(valid);
  const at = text.indexOf('":"') + 3;
  return fc
    .constantFrom([0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80])
    .map((bytes) => Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]));
}

/** Any JSON but an object made of the route's fields only (which could be valid). */
function randomJson(route: FuzzRoute): fc.Arbitrary<Buffer> {
  return fc
    .oneof(fc.jsonValue({ maxDepth: 4 }), deeplyNested, fc.constant(null), fc.constant([route.valid]))
    .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).some((key) => !Object.prototype.hasOwnProperty.call(route.spec, key)))
    .map(json);
}

/** Requests the route must refuse with a 4xx in the API's error shape, changing nothing. */
export function invalidRequests(route: FuzzRoute, known: ReadonlySet<string>, lotIds: readonly string[], bankCodes: readonly string[]): fc.Arbitrary<FuzzRequest> {
  const jsonHeaders = fc.constantFrom(...JSON_TYPES).map((type) => ({ 'Content-Type': type }));
  const at = (family: string, path: fc.Arbitrary<string>, headers: fc.Arbitrary<Record<string, string>>, body: fc.Arbitrary<Buffer | undefined>) =>
    fc.record({ path, headers, body, key: idempotencyKey }).map(({ path: p, headers: h, body: b, key }): FuzzRequest => ({
      family,
      path: p,
      headers: key === undefined ? h : { ...h, 'Idempotency-Key': key },
      body: b,
    }));
  const ownPath = fc.constant(route.path());
  const families: fc.WeightedArbitrary<FuzzRequest>[] = [
    { weight: 8, arbitrary: at('invalid body', ownPath, jsonHeaders, invalidBody(route.spec, route.valid).map(json)) },
    { weight: 1, arbitrary: at('random JSON', ownPath, jsonHeaders, randomJson(route)) },
    { weight: 1, arbitrary: at('not JSON', ownPath, jsonHeaders, notJson(route.valid)) },
    { weight: 1, arbitrary: at('not UTF-8', ownPath, jsonHeaders, notUtf8(route.valid)) },
    { weight: 1, arbitrary: at('no body', ownPath, fc.oneof(jsonHeaders, fc.constant({})), fc.constantFrom(undefined, Buffer.alloc(0))) },
    {
      weight: 1,
      arbitrary: at(
        'valid body, not sent as JSON',
        ownPath,
        fc.oneof(
          wrongContentType.map((type) => ({ 'Content-Type': type })),
          fc.constant({}),
          fc.constantFrom('gzip', 'deflate', 'br').map((encoding) => ({ 'Content-Type': 'application/json', 'Content-Encoding': encoding })),
        ),
        fc.constant(json(route.valid)),
      ),
    },
  ];
  if (route.param !== undefined) {
    const unknownPath = unknownIds(route, known, lotIds, bankCodes).map((segment) => route.path(segment));
    // An unknown id with a valid body is refused by the id alone, except where the route creates what it names.
    const body = route.unknownParamRefused ? fc.constant(json(route.valid)) : invalidBody(route.spec, route.valid).map(json);
    families.push({ weight: 3, arbitrary: at('unknown id in the path', unknownPath, jsonHeaders, body) });
  }
  return fc.oneof(...families);
}
