import type { onSendHookHandler } from 'fastify';

/**
 * Text sent whole says it is UTF-8 (`text/html; charset=utf-8`), as the ledger's answers always have
 * (Express wrote every string so). Fastify already says so for JSON; the OpenAPI pages need it.
 */
export const declareUtf8Text: onSendHookHandler = (_request, reply, payload, done) => {
  const type = reply.getHeader('content-type');
  if (typeof payload === 'string' && typeof type === 'string' && !/;\s*charset=/i.test(type)) reply.header('content-type', `${type}; charset=utf-8`);
  done(null, payload);
};
