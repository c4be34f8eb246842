import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { JsonValue } from '@app/event-store';
import type { FastifyReply } from 'fastify';
import { mergeMap, Observable, of } from 'rxjs';
import { ApiException } from '../http/api-error';
import { commandContextOf } from '../http/command-context.decorator';
import { type AuthenticatedRequest, callerOf } from '../auth/access.decorators';
import { actorOf } from '../auth/roles';
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyHash, idempotencyKeyOf, requestFingerprint } from './idempotency-key';
import { IdempotencyRecords, IdempotentResponse } from './idempotency-records';

/** Tells the caller (and the command metrics) that the answer is the first one again and nothing ran. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Idempotency-Key on every POST, per caller: a repeat of the same request answers the first success again with 200;
 * the key on another request is a 409. Failures are not recorded, so retrying one runs the command again.
 *
 * The remaining window: the command's events and the record are two appends. A crash between them, or a
 * second request racing the first, runs the command again. Command handlers are written to be naturally
 * idempotent or to conflict (bank references, deterministic event ids, state checks), so nothing is ever
 * posted twice; the caller then gets the first answer or a 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly records: IdempotencyRecords) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const key = request.method === 'POST' ? idempotencyKeyOf(request.headers) : undefined;
    if (key === undefined) return next.handle();

    const reply = http.getResponse<FastifyReply>();
    const keyHash = idempotencyKeyHash(actorOf(callerOf(request)), key);
    const fingerprint = requestFingerprint(request);
    const earlier = await this.records.find(keyHash);
    if (earlier !== undefined) return of(answerAgain(earlier, fingerprint, reply));

    return next.handle().pipe(
      mergeMap(async (body: unknown) => {
        // Nest set the route's status before the handler ran; an error never reaches this point.
        const status = reply.statusCode;
        if (status < 200 || status >= 300) return body;
        const answer: IdempotentResponse = { keyHash, fingerprint, status, body: (body ?? null) as JsonValue };
        const recorded = await this.records.record(answer, commandContextOf(request));
        return recorded === answer ? body : answerAgain(recorded, fingerprint, reply);
      }),
    );
  }
}

function answerAgain(recorded: IdempotentResponse, fingerprint: string, reply: FastifyReply): JsonValue {
  if (recorded.fingerprint !== fingerprint) {
    throw new ApiException(
      HttpStatus.CONFLICT,
      'IDEMPOTENCY_CONFLICT',
      `this ${IDEMPOTENCY_KEY_HEADER} was already used for a different request`,
      IDEMPOTENCY_KEY_HEADER,
    );
  }
  reply.status(HttpStatus.OK).header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return recorded.body;
}
