import { HttpStatus } from '@nestjs/common';
import type { KernelAnswer } from '@app/command-kernel';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER } from '../platform/http/idempotency-headers';

/**
 * A command's answer on the reply (`@Res({ passthrough: true }) reply: FastifyReply`): 201 when the
 * command recorded something, 200 when it was already done (a retried bank reference, a repeated
 * settlement) and the body is the first answer again, or when the answer is an Idempotency-Key's first
 * answer replayed (with `Idempotent-Replayed: true`).
 */
export function respond<T>(reply: FastifyReply, answer: KernelAnswer<T>): T {
  if (answer.replayed) reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  reply.status(answer.created && !answer.replayed ? HttpStatus.CREATED : HttpStatus.OK);
  return answer.answer;
}
