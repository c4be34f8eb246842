import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IdempotencyRequest } from '@app/command-kernel';
import { type AuthenticatedRequest, callerOf } from '../../platform/auth/access.decorators';
import { actorOf } from '../../platform/auth/roles';
import { idempotencyKeyOf } from '../../platform/http/idempotency-headers';
import { idempotencyRequestOf } from './idempotency-key';

const keys = new WeakMap<object, IdempotencyRequest>();

/**
 * Not a gate: reads a POST's Idempotency-Key and lets the request through, or refuses a malformed key
 * (400). A global guard registered after the access guard and the command metrics' guard, so the key is
 * read once the caller is known and before the body's validation (a malformed key is the first 400), and
 * its refusal is counted as the command's outcome. It leaves the key for the command
 * (`RequestCommandCall`); the command kernel claims it, runs the command at most once and answers a
 * repeat with the first answer (libs/command-kernel/src/idempotency.ts).
 */
@Injectable()
export class IdempotencyKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // A public POST (the development sign-in) runs no command: it has no caller to scope a key to, and no use for one.
    const key = request.method === 'POST' && request.caller !== undefined ? idempotencyKeyOf(request.headers) : undefined;
    if (key !== undefined) keys.set(request, idempotencyRequestOf(request, actorOf(callerOf(request)), key));
    return true;
  }
}

/** The Idempotency-Key the guard read from a request, if it carried one. */
export function idempotencyOf(request: object): IdempotencyRequest | undefined {
  return keys.get(request);
}
