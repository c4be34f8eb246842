import { HttpStatus } from '@nestjs/common';
import { ApiException } from './api-error';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** An object or array the scan is inside: the member names seen so far, and where the scan is in it. */
interface Open {
  /** Undefined for an array; for an object, created at its first member. */
  names: Set<string> | undefined;
  isArray: boolean;
  /** The member whose value is being scanned (an object). */
  member: string;
  /** The element being scanned (an array). */
  index: number;
}

/**
 * Refuses a JSON text in which one object names a member twice (400 DUPLICATE_KEY, `field` being its
 * dotted path): JSON.parse keeps the last value, other parsers (a bank's ESB) the first, so the two
 * would read different requests from the same bytes. Names compare unescaped (`"am\u006funt"` is
 * `amount`). Only for text JSON.parse accepted.
 */
export function assertNoDuplicateKeys(json: string): void {
  const field = duplicateKeyPath(json);
  if (field !== undefined) {
    throw new ApiException(HttpStatus.BAD_REQUEST, 'DUPLICATE_KEY', `${field} appears more than once in the same object of the request body`, field);
  }
}

/**
 * The dotted path (`amount`, `payer.accountNo`, `entries[1].annualRate`) of the first member named
 * twice in its object, or undefined. One pass over the text, without recursion (a stack of the open
 * objects and arrays), so any depth is safe. It skips numbers, literals, colons and blanks, and string
 * values whole, so it assumes the text is valid JSON: call it only once JSON.parse accepted the text.
 */
export function duplicateKeyPath(json: string): string | undefined {
  const open: Open[] = [];
  let top: Open | undefined;
  // After `{` and after `,` in an object the next string is a member name; elsewhere strings are values.
  let nameNext = false;
  for (let i = 0; i < json.length; i += 1) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const end = closingQuote(json, i + 1);
      if (nameNext && top !== undefined) {
        const name = unescaped(json, i + 1, end);
        if (top.names === undefined) top.names = new Set();
        else if (top.names.has(name)) return pathOf(open, name);
        top.names.add(name);
        top.member = name;
        nameNext = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      top = { names: undefined, isArray: c === OPEN_ARRAY, member: '', index: 0 };
      open.push(top);
      nameNext = !top.isArray;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      open.pop();
      top = open[open.length - 1];
      nameNext = false;
    } else if (c === COMMA && top !== undefined) {
      if (top.isArray) top.index += 1;
      else nameNext = true;
    }
  }
  return undefined;
}

/** The index of the quote closing the string whose text starts at `from`: the first one not escaped. */
function closingQuote(json: string, from: number): number {
  for (let quote = json.indexOf('"', from); quote !== -1; quote = json.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (json.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if (backslashes % 2 === 0) return quote;
  }
  return json.length; // unterminated: not valid JSON, which the caller has ruled out
}

/** The string between `from` and `end` (its quotes excluded) with its escapes resolved. */
function unescaped(json: string, from: number, end: number): string {
  const text = json.slice(from, end);
  return text.indexOf('\\') === -1 ? text : (JSON.parse(json.slice(from - 1, end + 1)) as string);
}

/** The dotted path of member `name` of the innermost open object, as the validation pipe writes fields. */
function pathOf(open: Open[], name: string): string {
  let path = '';
  for (const [depth, { isArray, index, member }] of open.slice(0, -1).entries()) {
    path += isArray ? `[${index}]` : depth === 0 ? member : `.${member}`;
  }
  return open.length === 1 ? name : `${path}.${name}`;
}
