import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ALLOWED_ROLES, PUBLIC_ROUTE } from '../../src/platform/auth/access.decorators';
import type { Role } from '../../src/platform/auth/roles';
import { HealthController } from '../../src/platform/health/health.controller';
import { ProbesController } from '../../src/platform/health/probes.controller';
import { InboundController } from '../../src/write/inbound/inbound.controller';
import { LifecycleController } from '../../src/write/lifecycle/lifecycle.controller';
import { EventLogController } from '../../src/read/event-log.controller';
import { QueriesController } from '../../src/read/queries.controller';
import { ListsController } from '../../src/read/lists.controller';
import { LotDocumentsController } from '../../src/read/lot-documents.controller';
import { DevSignInController } from '../../src/platform/auth/dev-sign-in.controller';
import { SetupController } from '../../src/write/setup/setup.controller';

const CONTROLLERS = [
  SetupController,
  InboundController,
  LifecycleController,
  QueriesController,
  ListsController,
  LotDocumentsController,
  EventLogController,
  HealthController,
  ProbesController,
  DevSignInController,
];

export interface DeclaredRoute {
  method: string;
  /** Nest's form: `/v1/lots/:lotId`. */
  path: string;
  /** The roles its decorators allow; undefined when public. */
  roles: Role[] | undefined;
  /** The query-string parameters the handler reads (`@Query('name')`). */
  queryParameters: string[];
}

/** Every route the controllers declare, read from Nest's decorator metadata. */
export function declaredRoutes(): DeclaredRoute[] {
  return CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller));
    const classRoles = Reflect.getMetadata(ALLOWED_ROLES, controller) as Role[] | undefined;
    const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype)
      .filter((name) => name !== 'constructor' && typeof prototype[name] === 'function' && Reflect.hasMetadata(PATH_METADATA, prototype[name] as object))
      .map((name) => {
        const handler = prototype[name] as object;
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
        const path = `/${[base, sub].filter((part) => part !== '/' && part !== '').join('/')}`;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const isPublic = classPublic || Reflect.getMetadata(PUBLIC_ROUTE, handler) === true;
        const roles = isPublic ? undefined : ((Reflect.getMetadata(ALLOWED_ROLES, handler) as Role[] | undefined) ?? classRoles ?? []);
        return { method, path, roles, queryParameters: queryParametersOf(controller, name) };
      });
  });
}

/** Nest keys a handler's argument decorators `${paramtype}:${index}`; a query one carries its name as `data`. */
function queryParametersOf(controller: Function, handlerName: string): string[] {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, { data?: unknown }>;
  return Object.entries(args)
    .filter(([key, arg]) => key.split(':')[0] === String(RouteParamtypes.QUERY) && typeof arg.data === 'string')
    .map(([, arg]) => arg.data as string)
    .sort();
}
