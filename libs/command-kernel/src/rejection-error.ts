import type { Rejection } from '@app/domain';

/** A command's refusal on its way to the caller (an HTTP answer of 404, 409 or 422 by its kind). */
export class RejectionError extends Error {
  override readonly name = 'RejectionError';

  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
  }
}
