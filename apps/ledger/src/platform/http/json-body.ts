import { HttpStatus } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { ApiException } from './api-error';
import { assertJsonShape } from './json-shape';
import { assertNoDuplicateKeys } from './json-text';

/** Commands are a few hundred bytes; anything near this bound is a mistake or an attack. */
const MAX_BODY_BYTES = 64 * 1024;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * What a route may set with `@RouteConfig({ jsonBody })`: a package of items (POST
 * /v1/inbound-credit-batches) gets room for them, and its items' own defects are the handler's to answer
 * item by item (`validatedItem`), so one item cannot refuse the package.
 */
export interface JsonBodyRouteConfig {
  readonly jsonBody?: { readonly maxBytes: number; readonly itemsAt: string };
}

/**
 * Reads JSON request bodies in place of Fastify's parsers (ledger-http-adapter.ts leaves every body to
 * it) so that bad bodies are answered in the API's error shape. A preValidation hook: it runs after the
 * onRequest hooks (request id, the request's logger, the shutdown gate), so those answers carry a
 * request id and are logged like any other, and before access control and the handler.
 */
export async function readJsonBody(request: FastifyRequest): Promise<void> {
  if (!METHODS_WITH_BODY.has(request.method) || !carriesBody(request.headers)) return;
  assertJson(request.headers);
  const config = (request.routeOptions.config as JsonBodyRouteConfig | undefined)?.jsonBody;
  const text = await readUtf8(request.raw, config?.maxBytes ?? MAX_BODY_BYTES);
  const body = parseJson(text);
  // After the parse, so malformed JSON stays MALFORMED_JSON; a member named twice would otherwise be
  // its last value here and, to a parser that keeps the first, another request.
  assertNoDuplicateKeys(text);
  assertJsonShape(body, config?.itemsAt);
  request.body = body;
}

function carriesBody(headers: IncomingHttpHeaders): boolean {
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? '0') > 0;
}

function assertJson(headers: IncomingHttpHeaders): void {
  const [mediaType, ...parameters] = (headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  const isJson = mediaType === 'application/json' && parameters.every((parameter) => parameter === 'charset=utf-8');
  if (!isJson) {
    throw new ApiException(
      HttpStatus.BAD_REQUEST,
      'UNSUPPORTED_CONTENT_TYPE',
      `request bodies must be UTF-8 JSON sent as Content-Type: application/json, got "${headers['content-type'] ?? ''}"`,
    );
  }
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') {
    throw new ApiException(HttpStatus.BAD_REQUEST, 'UNSUPPORTED_CONTENT_TYPE', `request bodies must not be encoded, got "${encoding}"`);
  }
}

function readUtf8(request: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () =>
    new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${limit} bytes`);
  if (Number(request.headers['content-length']) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
      // Drains what is left unread, so the connection can carry the answer and the next request.
      request.resume();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      } else {
        stop();
        reject(tooLarge());
      }
    };
    const onEnd = () => {
      stop();
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new ApiException(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', 'the request body is not valid UTF-8'));
      }
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiException(HttpStatus.BAD_REQUEST, 'MALFORMED_JSON', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}
