import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { IdempotencyRequest } from '@app/command-kernel';
import type { Observable } from 'rxjs';
import { type AuthenticatedRequest, callerOf } from '../../platform/auth/access.decorators';
import { actorOf } from '../../platform/auth/roles';
import { idempotencyKeyOf } from '../../platform/http/idempotency-headers';
import { idempotencyRequestOf } from './idempotency-key';

const keys = new WeakMap<object, IdempotencyRequest>();

/**
 * Reads a POST's Idempotency-Key before the body's validation (a malformed key is the first 400) and
 * leaves it for the command (`RequestCommandCall`); the command kernel claims it, runs the command at
 * most once and answers a repeat with the first answer (libs/command-kernel/src/idempotency.ts).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A public POST (the development sign-in) runs no command: it has no caller to scope a key to, and no use for one.
    const key = request.method === 'POST' && request.caller !== undefined ? idempotencyKeyOf(request.headers) : undefined;
    if (key !== undefined) keys.set(request, idempotencyRequestOf(request, actorOf(callerOf(request)), key));
    return next.handle();
  }
}

/** The Idempotency-Key the interceptor read from a request, if it carried one. */
export function idempotencyOf(request: object): IdempotencyRequest | undefined {
  return keys.get(request);
}
