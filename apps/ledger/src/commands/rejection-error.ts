import type { Rejection } from '@app/domain';

/** A decider's rejection on its way to the HTTP answer (404, 409 or 422 by its kind). */
export class RejectionError extends Error {
  override readonly name = 'RejectionError';

  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
  }
}
