import type { FastifyRequest } from 'fastify';

/** Where a request reached its controller: the route's template and the handler's name. */
interface Reached {
  route: string;
  command: string;
}

const reached = new WeakMap<FastifyRequest, Reached>();

/**
 * Called where a request is let through to its controller handler (CommandMetricsGuard, after access
 * control). Fastify knows the route's template (`/v1/lots/:lotId/virtual-accounts`) from the start, but a
 * request refused before its handler (a bad body, access control, the shutdown) is labelled as one that
 * reached no route.
 */
export function rememberRoute(request: FastifyRequest, command: string): void {
  reached.set(request, { route: request.routeOptions.url ?? 'none', command });
}

/**
 * The route label of a request: its controller's template, never the raw path (ids in label values
 * would make a time series per lot); `none` when no handler was reached (no such route, or refused
 * before: a bad body, access control, the shutdown).
 */
export function routeOf(request: FastifyRequest): string {
  return reached.get(request)?.route ?? 'none';
}

/** The route and handler a request reached, if it reached one. */
export function reachedHandlerOf(request: FastifyRequest): Reached | undefined {
  return reached.get(request);
}
