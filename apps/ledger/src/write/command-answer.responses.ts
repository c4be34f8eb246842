import { applyDecorators, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { IDEMPOTENT_REPLAYED_HEADER } from '../platform/http/idempotency-headers';

/**
 * A command route's success answers (command-answer.ts): 201 when it recorded
 * something, 200 with the first answer again when it had been done already — always for a repeated
 * Idempotency-Key, and for the route's own repeats (`alreadyDone`: a bank reference posted again, …).
 */
export function ApiCommandAnswer(type: Type, alreadyDone?: string) {
  const repeats = ['the same Idempotency-Key with the same request', ...(alreadyDone === undefined ? [] : [alreadyDone])];
  return applyDecorators(
    ApiCreatedResponse({ type, description: 'recorded' }),
    ApiOkResponse({
      type,
      description: `done before, nothing new recorded: the first answer again, for ${repeats.join(', or ')}`,
      headers: { [IDEMPOTENT_REPLAYED_HEADER]: { description: 'on an Idempotency-Key replay', schema: { type: 'string', enum: ['true'] } } },
    }),
  );
}
