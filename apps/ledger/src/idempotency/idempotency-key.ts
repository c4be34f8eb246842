import { HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiException } from '../http/api-error';

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

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Where a key's record lives (`idempotency-{hash}`): keys are the caller's own, so another caller's
 * key never answers for, or conflicts with, this one. `actor` as in event metadata.
 */
export function idempotencyKeyHash(actor: string, key: string): string {
  return sha256Hex(`${actor}\u0000${key}`);
}

/** What makes two requests "the same request": method, path and body, whatever the key order or spacing. */
export function requestFingerprint(request: FastifyRequest): string {
  return sha256Hex(`${request.method} ${request.originalUrl}\n${canonicalJson(request.body)}`);
}

/** JSON with object keys sorted at every level; an absent body reads as null. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
