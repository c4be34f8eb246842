import { HttpException } from '@nestjs/common';

/** The one error shape of the API (docs/api-contract.md); `field` is the request field at fault, dotted. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

export function apiErrorBody(code: string, message: string, field?: string): ApiErrorBody {
  return { error: field === undefined ? { code, message } : { code, message, field } };
}

/** An error the transport answers itself (malformed requests, idempotency), already in the API's terms. */
export class ApiException extends HttpException {
  readonly body: ApiErrorBody;

  constructor(status: number, code: string, message: string, field?: string) {
    const body = apiErrorBody(code, message, field);
    super(body, status);
    this.body = body;
    this.message = message;
  }
}
