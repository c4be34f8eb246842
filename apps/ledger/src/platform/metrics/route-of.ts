import type { FastifyRequest } from 'fastify';

/** The template of the controller route that handles each request, once its handler is reached. */
const templates = new WeakMap<FastifyRequest, string>();

/**
 * Called where a controller handler is about to run (an interceptor). Fastify knows the route's template
 * (`/v1/lots/:lotId/virtual-accounts`) from the start, but a request refused before its handler (a bad
 * body, access control, the shutdown) is labelled as one that reached no route.
 */
export function rememberRoute(request: FastifyRequest): string {
  const template = request.routeOptions.url ?? 'none';
  templates.set(request, template);
  return template;
}

/**
 * The route label of a request: its controller's template, never the raw path (ids in label values
 * would make a time series per lot); `none` when no handler was reached (no such route, or refused
 * before: a bad body, access control, the shutdown).
 */
export function routeOf(request: FastifyRequest): string {
  return templates.get(request) ?? 'none';
}
