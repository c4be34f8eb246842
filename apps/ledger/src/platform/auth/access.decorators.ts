import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { Caller, Role } from './roles';

export const ALLOWED_ROLES = Symbol('ALLOWED_ROLES');
export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');

/** The roles that may call a route (docs/api-contract.md); tenancy (own center, own bond) is checked by the route itself. */
export const AllowedRoles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ALLOWED_ROLES, roles),
    // The same statement, for OpenAPI readers.
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'no, expired or invalid bearer token (UNAUTHENTICATED, TOKEN_EXPIRED, INVALID_TOKEN)' }),
    ApiForbiddenResponse({ description: `roles allowed: ${roles.join(', ')} (FORBIDDEN_ROLE; tenancy and sealing: FORBIDDEN_TENANT, SEALED_UNTIL_BID_OPENING)` }),
  );

/** A route anyone may call without a token (probes). Every other route must name its roles. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** A request the access guard has let through carries its caller. */
export type AuthenticatedRequest = FastifyRequest & { caller?: Caller };

export function callerOf(request: AuthenticatedRequest): Caller {
  if (request.caller === undefined) throw new Error('no caller on the request: the route is public or the access guard did not run');
  return request.caller;
}

/** `@RequestCaller() caller: Caller` in a controller method. */
export const RequestCaller = createParamDecorator((_: unknown, context: ExecutionContext) =>
  callerOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
