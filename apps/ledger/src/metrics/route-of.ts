import type { IncomingMessage } from 'node:http';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };

/** The template of the controller route that handles each request, once its handler is reached. */
const templates = new WeakMap<IncomingMessage, string>();

/**
 * Called where a controller handler is about to run (an interceptor): only there is Express' `route`
 * the controller's template (`/v1/lots/:lotId/virtual-accounts`). Earlier, in middleware, it can be
 * the raw path of the request.
 */
export function rememberRoute(request: RoutedRequest): string {
  const path = request.route?.path;
  const template = typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : 'none';
  templates.set(request, template);
  return template;
}

/**
 * The route label of a request: its controller's template, never the raw path (ids in label values
 * would make a time series per lot); `none` when no handler was reached (no such route, or refused
 * before: a bad body, access control, the shutdown).
 */
export function routeOf(request: IncomingMessage): string {
  return templates.get(request) ?? 'none';
}
