import { type ApiPropertyOptions, ApiProperty } from '@nestjs/swagger';
import { VIRTUAL_ACCOUNT_NO_LENGTH, WIRE_AMOUNT_FORM } from '@app/domain';
import { IDENTIFIER_FORM } from './validators';

/**
 * How the fields of response bodies are written (docs/api-contract.md), stated once for every `*.responses.ts`.
 * Fields that echo a request field reuse the request DTO's own statement (validators.ts) by reusing the
 * DTO class; these are for what the ledger writes itself.
 */

/** @app/domain's wire amount: two decimals, no sign, below 10^15; "0.00" too (balances, interest). */
export const AMOUNT_PATTERN = WIRE_AMOUNT_FORM.source;

/** A global position or stream revision: a non-negative integer as a decimal string (it may exceed 2^53). */
const POSITION_PATTERN = '^\\d+$';

const VIRTUAL_ACCOUNT_NO_PATTERN = `^\\d{${VIRTUAL_ACCOUNT_NO_LENGTH}}$`;

export function WireAmount(options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', pattern: AMOUNT_PATTERN, example: '50000.00', ...options });
}

/** A calendar date YYYY-MM-DD (business dates are China Standard Time). */
export function WireDate(options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', format: 'date', example: '2026-12-01', ...options });
}

/** An ISO-8601 instant with its offset: as the caller sent it, or the server's clock in UTC ("…Z"). */
export function WireInstant(options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', format: 'date-time', example: '2026-12-01T09:30:00+08:00', ...options });
}

/** An identifier a caller chose (docs/api-contract.md); a `description` is put before the form. */
export function WireIdentifier({ description, ...options }: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', ...options, description: description === undefined ? IDENTIFIER_FORM : `${description}; ${IDENTIFIER_FORM}` });
}

export function WirePosition(options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', pattern: POSITION_PATTERN, example: '42', ...options });
}

/** 19 digits: bank prefix, sequence, Luhn check digit. */
export function WireVirtualAccountNo(options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', pattern: VIRTUAL_ACCOUNT_NO_PATTERN, example: '9558800000000000018', ...options });
}

/** A string-union field: its values come from `valuesOf`, so the compiler keeps them complete. */
export function WireEnum(values: readonly string[], options: ApiPropertyOptions = {}): PropertyDecorator {
  return ApiProperty({ type: 'string', enum: [...values], ...options });
}

/**
 * The members of a string union as a list for an `enum`, the compiler checking that none is missing and
 * none is extra: `valuesOf<BondStatus>({ HELD: true, … })`.
 */
export function valuesOf<T extends string>(members: Record<T, true>): T[] {
  return Object.keys(members) as T[];
}
