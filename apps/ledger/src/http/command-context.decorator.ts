import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CommandContext } from '../commands/command-context';
import { idempotencyKeyOf } from '../idempotency/idempotency-key';
import type { HttpRequest } from './http-request';

/** Every caller is anonymous until access control names them; this is the one place to change. */
const ACTOR = 'anonymous';

/**
 * The request's command context: correlated by the request id pino-http assigned (the caller's
 * X-Request-Id when usable), caused by the Idempotency-Key when given, else by the request itself.
 */
export function commandContextOf(request: HttpRequest): CommandContext {
  const requestId = String(request.id);
  return { correlationId: requestId, causationId: idempotencyKeyOf(request.headers) ?? requestId, actor: ACTOR };
}

/** `@RequestCommandContext() context: CommandContext` in a controller method. */
export const RequestCommandContext = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandContextOf(context.switchToHttp().getRequest<HttpRequest>()),
);
