import { HttpStatus } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiException } from './api-error';

/** Tells the caller (and the command metrics) that the answer is the first one again and nothing ran. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Printable ASCII without spaces, bounded: safe in stream names, metadata and logs. */
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,128}$/;

/** The request's Idempotency-Key, undefined when absent; a malformed one is a 400. */
export function idempotencyKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const key = headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !ACCEPTABLE_KEY.test(key)) {
    throw new ApiException(
      HttpStatus.BAD_REQUEST,
      'INVALID_IDEMPOTENCY_KEY',
      `${IDEMPOTENCY_KEY_HEADER} must be 1 to 128 printable ASCII characters without spaces`,
      IDEMPOTENCY_KEY_HEADER,
    );
  }
  return key;
}
