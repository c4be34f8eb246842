import { HttpStatus } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * What a command route answers: 201 when the command recorded something new, 200 when it was already
 * done (a retried bank reference, a repeated settlement) and the body is the first answer again.
 */
export interface CommandAnswer<T> {
  created: boolean;
  body: T;
}

/** The answer's body, its status set on the reply (`@Res({ passthrough: true }) reply: FastifyReply`). */
export function respond<T>(reply: FastifyReply, answer: CommandAnswer<T>): T {
  reply.status(answer.created ? HttpStatus.CREATED : HttpStatus.OK);
  return answer.body;
}
