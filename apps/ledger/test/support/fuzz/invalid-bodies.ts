import fc from 'fast-check';
import { type BodySpec, anyText, deeplyNested, invalidValue } from './invalid-values';

type Body = Record<string, unknown>;

/** Sets an own property, even `__proto__` (an assignment would change the prototype instead). */
function setOwn(body: Body, key: string, value: unknown): void {
  Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
}

function copy(body: Body): Body {
  const result: Body = {};
  for (const [key, value] of Object.entries(body)) setOwn(result, key, value);
  return result;
}

/** Keys no body of the API has; the first ones are those JavaScript objects treat specially. */
const unknownKey = (spec: BodySpec) =>
  fc
    .oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then', ''),
      fc.constantFrom(...Object.keys(spec)).chain((key) => fc.constantFrom(key.toUpperCase(), ` ${key}`, `${key}\u0000`, `${key}.x`)),
      anyText(16),
    )
    .filter((key) => !Object.prototype.hasOwnProperty.call(spec, key));

type Mutation = (body: Body) => void;

/** One change that makes a valid body invalid; none undoes another (a removed field is a required one). */
function mutation(spec: BodySpec, valid: Body): fc.Arbitrary<Mutation> {
  const required = Object.entries(spec).flatMap(([name, field]) => (field.optional ? [] : [name]));
  const options: fc.Arbitrary<Mutation>[] = [
    fc.constantFrom(...Object.entries(spec)).chain(([name, field]) => invalidValue(field, valid[name], invalidBody).map((value): Mutation => (body) => setOwn(body, name, value))),
    fc.tuple(unknownKey(spec), fc.oneof({ weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 1, arbitrary: deeplyNested })).map(([key, value]): Mutation => (body) => setOwn(body, key, value)),
  ];
  if (required.length > 0) options.push(fc.constantFrom(...required).map((name): Mutation => (body) => delete body[name]));
  return fc.oneof(...options);
}

/** `valid` with one to three mutations: a body every route of this spec must refuse. */
export function invalidBody(spec: BodySpec, valid: Body): fc.Arbitrary<Body> {
  const mutations = mutation(spec, valid);
  // Mostly one defect, so that each field's own check answers; sometimes several at once.
  const some = fc.oneof({ weight: 3, arbitrary: fc.array(mutations, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(mutations, { minLength: 2, maxLength: 3 }) });
  return some.map((mutations) => {
    const body = copy(valid);
    for (const mutate of mutations) mutate(body);
    return body;
  });
}
