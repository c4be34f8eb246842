import { HttpStatus } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { ApiException } from '../platform/http/api-error';
import { IDENTIFIER, IDENTIFIER_FORM, isIdentifier } from '../platform/http/validators';

const NON_NEGATIVE_INTEGER = /^\d{1,20}$/;

/** Query-string values, checked like bodies are: a bad one is a 400 naming the parameter. */
function invalid(field: string, message: string): ApiException {
  return new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_QUERY', message, field);
}

/** Fastify's query parser gives a repeated parameter as an array; the API takes each once. */
function single(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(field, `${field} must be given once, as a plain value`);
  return value;
}

export function optionalIdentifier(value: unknown, field: string): string | undefined {
  const text = single(value, field);
  if (text !== undefined && !isIdentifier(text)) throw invalid(field, `${field} must be ${IDENTIFIER_FORM}`);
  return text;
}

export function optionalOneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
  const text = single(value, field);
  if (text === undefined) return undefined;
  const found = allowed.find((candidate) => candidate === text);
  if (found === undefined) throw invalid(field, `${field} must be one of ${allowed.join('|')}`);
  return found;
}

/** A non-negative integer (revisions, positions) as a bigint, `fallback` when absent. */
export function nonNegativeInteger(value: unknown, field: string, fallback: bigint): bigint {
  const text = single(value, field);
  if (text === undefined) return fallback;
  if (!NON_NEGATIVE_INTEGER.test(text)) throw invalid(field, `${field} must be a non-negative integer`);
  return BigInt(text);
}

/** A page size between 1 and `max`. */
export function pageSize(value: unknown, field: string, fallback: number, max: number): number {
  const size = nonNegativeInteger(value, field, BigInt(fallback));
  if (size < 1n || size > BigInt(max)) throw invalid(field, `${field} must be between 1 and ${max}`);
  return Number(size);
}

/** The OpenAPI form of each parser above, for the route that uses it: a parameter's form is stated here once. */
export const ApiIdentifierQuery = (name: string, description: string) =>
  ApiQuery({ name, required: false, description: `${description}; ${IDENTIFIER_FORM}`, schema: { type: 'string', pattern: IDENTIFIER.source } });

export const ApiOneOfQuery = (name: string, allowed: readonly string[], description: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string', enum: [...allowed] } });

export const ApiNonNegativeIntegerQuery = (name: string, description: string) =>
  ApiQuery({ name, required: false, description, schema: { type: 'string', pattern: NON_NEGATIVE_INTEGER.source } });

export const ApiPageSizeQuery = (name: string, fallback: number, max: number) =>
  ApiQuery({ name, required: false, description: `page size, 1 to ${max} (default ${fallback})`, schema: { type: 'integer', minimum: 1, maximum: max, default: fallback } });
