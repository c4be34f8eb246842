import { HttpStatus } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

/**
 * What a command route answers: 201 when the command recorded something new, 200 when it was already
 * done (a retried bank reference, a repeated settlement) and the body is the first answer again.
 */
export interface CommandAnswer<T> {
  created: boolean;
  body: T;
}

export function respond<T>(response: ServerResponse, answer: CommandAnswer<T>): T {
  response.statusCode = answer.created ? HttpStatus.CREATED : HttpStatus.OK;
  return answer.body;
}
