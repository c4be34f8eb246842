import type { FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';

/** A request that asks for a fresh copy whatever the client holds (RFC 9111 §5.2.1.4). */
const NO_CACHE = /(?:^|,)\s*?no-cache\s*?(?:,|$)/;

/**
 * Conditional GETs (docs/api.md, "HTTP conventions"): a weak ETag over every body sent whole, and 304 Not
 * Modified without a body when a GET or HEAD answered with a success names that ETag in If-None-Match.
 * The tags and freshness rules are those of the `etag` and `fresh` packages, which the ledger has always
 * used, so tags clients hold stay valid. Streamed bodies (the OpenAPI UI's files) carry their own ETag
 * and are left alone. Returns the body to send.
 */
function answerConditionally(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if ((typeof payload !== 'string' && !Buffer.isBuffer(payload)) || reply.hasHeader('etag')) return payload;
  const etag = weakEtagOf(payload);
  reply.header('etag', etag);
  if (!isSuccessOfGet(request, reply) || !isFresh(request.headers, etag)) return payload;
  reply.code(304).removeHeader('content-type').removeHeader('content-length');
  // No body. To a HEAD, an empty stream: Fastify's HEAD route would answer any other body with Content-Length: 0.
  return request.method === 'HEAD' ? Readable.from([]) : null;
}

/** `W/"<length in hex>-<27 characters of the SHA-1 in base64>"`, as the `etag` package makes it. */
function weakEtagOf(body: string | Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64').substring(0, 27);
  return `W/"${Buffer.byteLength(body).toString(16)}-${hash}"`;
}

function isSuccessOfGet(request: FastifyRequest, reply: FastifyReply): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode >= 200 && reply.statusCode < 300;
}

/** Whether the client's copy is current, as the `fresh` package decides for an answer without Last-Modified. */
function isFresh(headers: IncomingHttpHeaders, etag: string): boolean {
  const noneMatch = headers['if-none-match'];
  if (noneMatch === undefined || noneMatch === '' || NO_CACHE.test(headers['cache-control'] ?? '')) return false;
  if (noneMatch === '*') return true;
  return noneMatch
    .split(',')
    .map((tag) => tag.replace(/^ +| +$/g, ''))
    .some((tag) => tag === etag || `W/${tag}` === etag || tag === `W/${etag}`);
}

export const answerConditionallyOnSend: onSendHookHandler = (request, reply, payload, done) => {
  done(null, answerConditionally(request, reply, payload));
};
