import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import type { ApiErrorBody } from './api-error';

class ApiErrorDetail {
  @ApiProperty({ description: 'UPPER_SNAKE; the codes a route answers are listed on each of its error responses', example: 'LOT_NOT_FOUND' })
  code!: string;

  @ApiProperty({ description: 'what went wrong, for people; not for programs to parse' })
  message!: string;

  @ApiPropertyOptional({ description: 'the request field at fault, dotted: "payer.accountNo", "entries[1].annualRate"; absent when no single field is' })
  field?: string;
}

/** The one error body of the API (http/api-error.ts). */
export class ApiErrorResponse implements ApiErrorBody {
  @ApiProperty({ type: ApiErrorDetail })
  error!: ApiErrorDetail;
}

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 503;

/** Error codes by HTTP status. */
export type ErrorCodes = Partial<Record<ErrorStatus, readonly string[]>>;

/** The extension listing a response's error codes, for programs (the description lists them for people). */
export const ERROR_CODES_EXTENSION = 'x-error-codes';

/** docs/api-contract.md's meaning of each status; @AllowedRoles describes 401 and 403 (merged with the codes here). */
const MEANING: Partial<Record<ErrorStatus, string>> = {
  400: 'malformed request',
  404: 'unknown id',
  409: 'conflicts with what is recorded',
  413: 'body over 64 KiB (4 MiB for a package of credits)',
  422: 'valid shape, breaks a business rule',
  503: 'unavailable, nothing was done; retry',
};

/** Every route behind a bearer token (auth/access.guard.ts, shutdown/shutdown-gate.ts). */
export const AUTHENTICATED_ERRORS: ErrorCodes = {
  401: ['UNAUTHENTICATED', 'TOKEN_EXPIRED', 'INVALID_TOKEN'],
  403: ['FORBIDDEN_ROLE'],
  503: ['SHUTTING_DOWN'],
};

/** Every command route: its JSON body and Idempotency-Key (http/, idempotency/), its append (the command kernel). */
export const COMMAND_ERRORS = mergeCodes(AUTHENTICATED_ERRORS, {
  400: ['MALFORMED_JSON', 'MALFORMED_BODY', 'UNSUPPORTED_CONTENT_TYPE', 'UNKNOWN_FIELD', 'MISSING_FIELD', 'INVALID_FIELD', 'INVALID_IDEMPOTENCY_KEY', 'DUPLICATE_KEY'],
  409: ['IDEMPOTENCY_CONFLICT', 'CONCURRENT_MODIFICATION'],
  413: ['PAYLOAD_TOO_LARGE'],
});

/** Every query answered from the read models (read/read-models.service.ts). */
export const READ_MODEL_QUERY_ERRORS = mergeCodes(AUTHENTICATED_ERRORS, { 503: ['READ_MODELS_BEHIND', 'READ_MODELS_UNAVAILABLE'] });

/**
 * The error responses of a route: each status with the one error body and the codes the route can
 * answer with it. Groups are merged, so a route states the common ones and adds its own:
 * `@ApiErrorResponses(COMMAND_ERRORS, { 404: ['LOT_NOT_FOUND'] })`.
 */
export function ApiErrorResponses(...groups: ErrorCodes[]) {
  const merged = Object.entries(mergeCodes(...groups)) as [`${ErrorStatus}`, string[]][];
  return applyDecorators(...merged.map(([status, codes]) => ApiResponse(errorResponse(Number(status) as ErrorStatus, codes))));
}

/** The codes of every group, status by status, each once. */
function mergeCodes(...groups: ErrorCodes[]): Partial<Record<ErrorStatus, string[]>> {
  const merged: Partial<Record<ErrorStatus, string[]>> = {};
  for (const group of groups) {
    for (const [status, codes] of Object.entries(group) as [`${ErrorStatus}`, readonly string[]][]) {
      const known = merged[Number(status) as ErrorStatus] ?? [];
      merged[Number(status) as ErrorStatus] = [...known, ...codes.filter((code) => !known.includes(code))];
    }
  }
  return merged;
}

function errorResponse(status: ErrorStatus, codes: string[]): ApiResponseOptions {
  // Not a literal: ApiResponseOptions does not declare extensions, and swagger copies them as they are.
  const response: ApiResponseOptions & { [ERROR_CODES_EXTENSION]: string[] } = {
    status,
    type: ApiErrorResponse,
    description: `${MEANING[status] ?? 'codes'}: ${codes.join(', ')}`,
    [ERROR_CODES_EXTENSION]: codes,
  };
  return response;
}
