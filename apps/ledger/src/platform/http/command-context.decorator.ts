import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '@app/command-kernel';
import { idempotencyKeyOf } from './idempotency-headers';
import { type AuthenticatedRequest, callerOf } from '../auth/access.decorators';
import { actorOf } from '../auth/roles';

/**
 * The request's command context: correlated by the request's id (the caller's X-Request-Id when usable,
 * see request-id.ts), caused by the Idempotency-Key when given, else by the request itself.
 */
export function commandContextOf(request: AuthenticatedRequest): CommandContext {
  const requestId = request.id;
  return { correlationId: requestId, causationId: idempotencyKeyOf(request.headers) ?? requestId, actor: actorOf(callerOf(request)) };
}

/** `@RequestCommandContext() context: CommandContext`: for a query that records what it shows (a sealed look). */
export const RequestCommandContext = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
