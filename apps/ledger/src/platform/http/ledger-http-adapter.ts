import { FastifyAdapter } from '@nestjs/platform-fastify';
import { echoRequestIdOnRequest, requestIdOf } from '../logging/request-id';
import { answerConditionallyOnSend } from './conditional-get';
import { answerFrameworkError } from './framework-errors';
import { readJsonBody } from './json-body';

/** The methods whose bodies Fastify would read itself. */
const METHODS_FASTIFY_READS_BODIES_OF = ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'QUERY'];

/**
 * The ledger's HTTP platform: Fastify (docs/benchmarks.md says why), set up for the conventions of
 * docs/api.md ("HTTP conventions"): every error in the API's shape, bodies read by the API's rules.
 */
export function ledgerHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    routerOptions: {
      // Paths match in any letter case and with one trailing slash; a path parameter of any length
      // reaches its route, whose check answers 400 naming it (Fastify's default would answer 414, a status
      // outside the contract, past 100 characters).
      caseSensitive: false,
      ignoreTrailingSlash: true,
      maxParamLength: Number.MAX_SAFE_INTEGER,
    },
    // A request is bounded in time (Fastify's default never times one out). Idle connections close after
    // 5 s as they always have (Node's default; Fastify's is 72 s): changing it is for operations, with
    // the load balancer's idle timeout, not a side effect of the platform.
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    // A request that arrives while the app closes meets the shutdown gate (503 SHUTTING_DOWN), not Fastify's own 503.
    return503OnClosing: false,
    genReqId: requestIdOf,
    frameworkErrors: answerFrameworkError,
  });
  const fastify = adapter.getInstance();
  // Fastify would parse bodies with media-type rules and errors of its own (415 for a malformed
  // Content-Type, even without a body); declared without bodies, they are all left to readJsonBody.
  for (const method of METHODS_FASTIFY_READS_BODIES_OF) fastify.addHttpMethod(method, { hasBody: false, overrideExisting: true });
  // Malformed HTTP (a header section over 16 KiB, a bad request line) gets Node's answer, a status line
  // without a body; Fastify's handler would send a JSON body in Fastify's error shape, not the API's.
  fastify.server.removeAllListeners('clientError');
  fastify.addHook('onRequest', echoRequestIdOnRequest);
  fastify.addHook('preValidation', readJsonBody);
  fastify.addHook('onSend', answerConditionallyOnSend);
  return adapter;
}
