import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../commands/command-context';
import { idempotencyKeyOf } from '../idempotency/idempotency-key';
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

/** `@RequestCommandContext() context: CommandContext` in a controller method. */
export const RequestCommandContext = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandContextOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
