import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { buildMessage, IsArray, IsObject, ValidateBy, ValidateNested, ValidationOptions } from 'class-validator';
import { isCalendarDate, parseAmount } from '@app/domain';

/**
 * Property decorators for the wire formats of docs/api-contract.md. Each failure message says what form is
 * expected; the validation pipe turns the constraint name into the error code (see validation.pipe.ts).
 */

/** The constraint the validation pipe answers with INVALID_AMOUNT. */
export const WIRE_AMOUNT = 'isWireAmount';

export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Same form as the domain's rate schedule accepts: at least 0, below 1, at most 8 decimals. */
const DECIMAL_RATE = /^0(\.\d{1,8})?$/;
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** The widest offsets ISO-8601 libraries accept (java.time: ±18:00); real zones stay within -12..+14. */
const MAX_OFFSET_HOURS = 18;

export function isWireAmount(value: unknown): boolean {
  const amount = parseAmount(value);
  return amount.ok && amount.value.gt('0');
}

export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

export function isInstant(value: unknown): value is string {
  const match = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (match === null) return false;
  const [, date, hour, minute, second, offsetHours = '0', offsetMinutes = '0'] = match;
  return (
    isCalendarDate(date) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours) <= MAX_OFFSET_HOURS &&
    Number(offsetMinutes) <= 59
  );
}

export function isDecimalRate(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_RATE.test(value);
}

/** Validation and its OpenAPI description from one statement of the expected form. */
function wireFormat(name: string, test: (value: unknown) => boolean, expected: string, options?: ValidationOptions) {
  return applyDecorators(
    ValidateBy(
      { name, validator: { validate: test, defaultMessage: buildMessage((each) => `${each}$property must be ${expected}`, options) } },
      options,
    ),
    ApiProperty({ type: 'string', description: expected }),
  );
}

/** A strictly positive CNY amount: "50000.00"; "0.00", "-1.00", "1.005" and 1 (a number) are refused. */
export function IsWireAmount(options?: ValidationOptions): PropertyDecorator {
  return wireFormat(WIRE_AMOUNT, isWireAmount, 'an amount above zero as a string with exactly two decimals, e.g. "50000.00"', options);
}

export const IDENTIFIER_FORM = 'an identifier: 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit';

export function IsIdentifier(options?: ValidationOptions): PropertyDecorator {
  return wireFormat('isIdentifier', isIdentifier, IDENTIFIER_FORM, options);
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return wireFormat('isCalendarDate', isCalendarDate, 'a calendar date YYYY-MM-DD, e.g. "2026-12-01"', options);
}

export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return wireFormat(
    'isInstant',
    isInstant,
    'an ISO-8601 date-time with its offset, e.g. "2026-12-01T09:30:00+08:00" or "2026-12-01T01:30:00Z"',
    options,
  );
}

/** An annual rate as a fraction: "0.0035" is 0.35% a year. */
export function IsDecimalRate(options?: ValidationOptions): PropertyDecorator {
  return wireFormat('isDecimalRate', isDecimalRate, 'a decimal rate at least 0 and below 1 with at most 8 decimals, e.g. "0.0035"', options);
}

/** A nested JSON object validated as `type()`; errors name its fields `parent.child`. */
export function IsNestedObject(type: () => Function): PropertyDecorator {
  // A thunk, so the schema is named by the class (a class given directly here left the $ref without a name).
  return applyDecorators(IsObject(), ValidateNested(), Type(type), ApiProperty({ type: () => type() }));
}

/** A JSON array of objects each validated as `type()`; errors name their fields `list[1].child`. */
export function IsNestedObjectArray(type: () => Function): PropertyDecorator {
  return applyDecorators(IsArray(), ValidateNested({ each: true }), Type(type), ApiProperty({ type: () => type(), isArray: true }));
}
