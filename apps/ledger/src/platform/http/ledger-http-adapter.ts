import { FastifyAdapter } from '@nestjs/platform-fastify';
import { parse as parseQuery } from 'node:querystring';
import { echoRequestId, requestIdOf } from '../logging/request-id';
import { answerConditionallyOnSend } from './conditional-get';
import { readJsonBody } from './json-body';
import { routePathsAsSent } from './paths-as-sent';
import { answerUndecodablePath } from './undecodable-path';
import { declareUtf8Text } from './utf8-text';

/** The methods whose bodies Fastify would read itself. */
const METHODS_FASTIFY_READS_BODIES_OF = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY'];

/**
 * The ledger's HTTP platform: Fastify (docs/benchmarks.md says why), set up so that clients are routed
 * and answered exactly as they were on Express, the platform before it.
 */
export function ledgerHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    routerOptions: {
      // Paths match in any letter case and with one trailing slash; a path parameter of any length
      // reaches its route, whose identifier check answers 400 for a bad one.
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: Number.MAX_SAFE_INTEGER,
      // Node's parser, as Express used (a repeated parameter is an array, a bad escape reads as U+FFFD);
      // a #fragment is no part of the query.
      querystringParser: (query) => parseQuery(query.split('#')[0]),
    },
    // Node's own server defaults, rather than Fastify's (idle connections kept 72 s, requests never timed out).
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // A request that arrives while the app closes meets the shutdown gate (503 SHUTTING_DOWN), not Fastify's own 503.
    return503OnClosing: false,
    genReqId: requestIdOf,
    frameworkErrors: answerUndecodablePath,
  });
  const fastify = adapter.getInstance();
  // Fastify would parse bodies with media-type rules and errors of its own (415 for a malformed
  // Content-Type, even without a body); declared without bodies, they are all left to readJsonBody.
  for (const method of METHODS_FASTIFY_READS_BODIES_OF) fastify.addHttpMethod(method, { hasBody: false, overrideExisting: true });
  // Node answers malformed HTTP itself (a status line, no body), as it did; Fastify's handler would send JSON.
  fastify.server.removeAllListeners('clientError');
  fastify.addHook('onRequest', echoRequestId);
  fastify.addHook('preValidation', readJsonBody);
  fastify.addHook('preValidation', routePathsAsSent);
  fastify.addHook('onSend', declareUtf8Text);
  fastify.addHook('onSend', answerConditionallyOnSend);
  return adapter;
}
