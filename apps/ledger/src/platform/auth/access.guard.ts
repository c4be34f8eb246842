import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiException } from '../http/api-error';
import { AccessTokenError, AccessTokenVerifier, bearerTokenOf } from './access-token';
import { ALLOWED_ROLES, type AuthenticatedRequest, PUBLIC_ROUTE } from './access.decorators';
import type { AuthConfig } from './auth-config';
import type { Role } from './roles';

export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/**
 * Every route needs a valid bearer token whose role the route allows (401 without or with a bad
 * token, 403 `FORBIDDEN_ROLE` otherwise), except routes marked @Public(). A route that names no roles
 * is refused to everyone: forgetting the decorator closes a route instead of opening it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly tokens: AccessTokenVerifier;

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_CONFIG) config: AuthConfig,
  ) {
    this.tokens = new AccessTokenVerifier(config);
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      throw new ApiException(401, 'UNAUTHENTICATED', 'send a bearer token: Authorization: Bearer <jwt>', 'authorization');
    }
    try {
      request.caller = this.tokens.verify(token);
    } catch (error) {
      if (error instanceof AccessTokenError) throw new ApiException(401, error.code, error.message, 'authorization');
      throw error;
    }
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets) ?? [];
    if (!allowed.includes(request.caller.role)) {
      const who = allowed.length === 0 ? 'no role' : `only ${allowed.join(', ')}`;
      throw new ApiException(403, 'FORBIDDEN_ROLE', `role ${request.caller.role} may not call this route (${who} may)`, 'authorization');
    }
    return true;
  }
}
