import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { type AuthenticatedRequest } from '../platform/auth/access.decorators';
import { commandContextOf } from '../platform/http/command-context.decorator';
import { idempotencyOf } from './idempotency/idempotency-key.guard';
import type { CommandCall } from './ledger-commands';

/** `@RequestCommandCall() call: CommandCall` in a controller method: the context and the Idempotency-Key. */
export const RequestCommandCall = createParamDecorator((_: unknown, context: ExecutionContext): CommandCall => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const idempotency = idempotencyOf(request);
  return idempotency === undefined ? { context: commandContextOf(request) } : { context: commandContextOf(request), idempotency };
});
