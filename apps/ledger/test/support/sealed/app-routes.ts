import type { INestApplication } from '@nestjs/common';
import type { FastifyInstance, HTTPMethods } from 'fastify';

/** One route the running app serves: `GET /v1/lots/:lotId` (Fastify's path syntax). */
export interface ServedRoute {
  method: string;
  path: string;
}

export const routeKey = (route: ServedRoute): string => `${route.method} ${route.path}`;

/**
 * Every route the app's Fastify instance serves, HEAD ones included (Fastify adds one per GET), read from
 * its route tree (`printRoutes`), so a route added by any means (a controller, a plugin, the OpenAPI UI)
 * is listed. Each is checked back with `hasRoute`: a misread tree fails here, not as a silent gap.
 */
export function servedRoutes(app: INestApplication): ServedRoute[] {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  const tree = fastify.printRoutes({ commonPrefix: false });
  const prefixes: string[] = [];
  const routes: ServedRoute[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) {
      if (line.trim() !== '') throw new Error(`unreadable line in the route tree: ${JSON.stringify(line)}`);
      continue;
    }
    const depth = (match[1] ?? '').length / 4;
    const parent = depth === 0 ? '' : (prefixes[depth - 1] ?? '');
    const segment = match[2] ?? '';
    // find-my-way prints a wildcard without the static part between it and the node above (`/docs/*`
    // shows as `*` under `/docs`): the candidates are tried against Fastify.
    const candidates = segment === '*' ? [`${parent}*`, `${parent}/*`] : [parent + segment];
    const methods = (match[3] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
    const path = candidates.find((candidate) => methods.every((method) => fastify.hasRoute({ method: method as HTTPMethods, url: candidate }))) ?? candidates[0]!;
    prefixes[depth] = path;
    prefixes.length = depth + 1;
    for (const method of methods) {
      if (!fastify.hasRoute({ method: method as HTTPMethods, url: path })) throw new Error(`read ${method} ${path} from the route tree, which Fastify does not know`);
      routes.push({ method, path });
    }
  }
  return routes.sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}
