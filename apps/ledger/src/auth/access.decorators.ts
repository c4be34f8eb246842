import { ExecutionContext, SetMetadata, createParamDecorator } from '@nestjs/common';
import type { HttpRequest } from '../http/http-request';
import type { Caller, Role } from './roles';

export const ALLOWED_ROLES = Symbol('ALLOWED_ROLES');
export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');

/** The roles that may call a route (shared/API.md); tenancy (own center, own bond) is checked by the route itself. */
export const AllowedRoles = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** A route anyone may call without a token (probes). Every other route must name its roles. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A request the access guard has let through carries its caller. */
export type AuthenticatedRequest = HttpRequest & { caller?: Caller };

export function callerOf(request: AuthenticatedRequest): Caller {
  if (request.caller === undefined) throw new Error('no caller on the request: the route is public or the access guard did not run');
  return request.caller;
}

/** `@RequestCaller() caller: Caller` in a controller method. */
export const RequestCaller = createParamDecorator((_: unknown, context: ExecutionContext) =>
  callerOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
