import { HttpStatus } from '@nestjs/common';
import { ApiException } from './api-error';

/**
 * The deepest a request body may nest. The API's bodies nest three levels (`entries[1].annualRate`);
 * class-transformer copies bodies recursively, so a body thousands of levels deep (it fits in 64 KiB)
 * would overflow the stack there and answer 500 instead of 400.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys the DTO transformation drops without a word, so the validation pipe never sees them and could
 * not refuse them as unknown fields: Nest's ValidationPipe deletes `__proto__`, `prototype` and
 * `constructor`; class-transformer skips every key whose name is an inherited method (`toString`,
 * `hasOwnProperty`, …). No field of the API has one of these names.
 */
const DROPPED_KEYS = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/**
 * Refuses a parsed body the validation pipe cannot judge: too deep (400 MALFORMED_BODY) or carrying a
 * key the DTO transformation would drop unseen (400 UNKNOWN_FIELD with its dotted path). Iterative, so a
 * deep body cannot overflow the stack here either. `itemsAt`: a top-level array whose items the handler
 * checks one by one with this function (two levels deeper, their keys unchecked here).
 */
export function assertJsonShape(body: unknown, itemsAt?: string): void {
  const maxDepth = itemsAt === undefined ? MAX_BODY_DEPTH : MAX_BODY_DEPTH + 2;
  const pending: { value: unknown; path: string; depth: number; keys: boolean }[] = [{ value: body, path: '', depth: 0, keys: true }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value, path, depth, keys } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= maxDepth) {
      throw new ApiException(HttpStatus.BAD_REQUEST, 'MALFORMED_BODY', `the request body nests deeper than ${MAX_BODY_DEPTH} levels`);
    }
    if (Array.isArray(value)) {
      const itemKeys = keys && path !== itemsAt;
      value.forEach((element, index) => pending.push({ value: element, path: `${path}[${index}]`, depth: depth + 1, keys: itemKeys }));
      continue;
    }
    for (const [key, element] of Object.entries(value)) {
      const field = path === '' ? key : `${path}.${key}`;
      if (keys && DROPPED_KEYS.has(key)) throw new ApiException(HttpStatus.BAD_REQUEST, 'UNKNOWN_FIELD', `${field} is not a field of this request`, field);
      pending.push({ value: element, path: field, depth: depth + 1, keys });
    }
  }
}
