import type { IdempotencyRequest } from '@app/command-kernel';
import { canonicalJson } from '@app/event-store';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A POST's Idempotency-Key as the command kernel takes it. Keys are the caller's own (`actor` as in event
 * metadata), so another caller's key never answers for, or conflicts with, this one. Two requests are the
 * same when they name the same route with the same path parameters and the same parsed body: the path
 * as the route's template filled with the parameters (routing takes any letter case and a trailing slash,
 * so the path as sent is not the request), the body whatever its key order or spacing.
 */
export function idempotencyRequestOf(request: FastifyRequest, actor: string, key: string): IdempotencyRequest {
  const params = (request.params ?? {}) as Record<string, string>;
  const path = (request.routeOptions.url ?? request.url).replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  return {
    keyHash: sha256Hex(`${actor}\u0000${key}`),
    fingerprint: sha256Hex(`${request.method} ${path}\n${canonicalJson(request.body ?? null)}`),
  };
}
