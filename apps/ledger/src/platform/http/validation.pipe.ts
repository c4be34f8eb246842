import { ArgumentMetadata, HttpStatus, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ApiException } from './api-error';
import { assertJsonShape } from './json-shape';
import { WIRE_AMOUNT } from './validators';

/** class-validator's constraint names for a property not declared on the DTO and for a bad nested value. */
const UNKNOWN_PROPERTY = 'whitelistValidation';
const NESTED_VALUE = 'nestedValidation';

/**
 * Validates every DTO-typed argument: unknown fields refused, no implicit conversion (a number where a
 * string is expected is an error, not "1"), and the first failure answered as a 400 naming its field.
 */
const VALIDATOR_OPTIONS = { whitelist: true, forbidNonWhitelisted: true };
const TRANSFORM_OPTIONS = { enableImplicitConversion: false };

@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({ ...VALIDATOR_OPTIONS, transform: true, transformOptions: TRANSFORM_OPTIONS, exceptionFactory: validationException });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Nest would read a missing or null body as {} and validate an array item by item.
    if (metadata.type === 'body' && metadata.data === undefined && this.toValidate(metadata) && !isJsonObject(value)) {
      throw malformedBody();
    }
    return super.transform(value, metadata);
  }
}

/**
 * One item of a package judged as the pipe judges a whole body (POST /v1/inbound-credit-batches): the
 * DTO, or the 400 the item's own route would answer. Checks the item's shape too (json-shape.ts).
 */
export async function validatedItem<T extends object>(dto: new () => T, value: unknown): Promise<T | ApiException> {
  if (!isJsonObject(value)) return malformedBody();
  try {
    assertJsonShape(value);
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  const item = plainToInstance(dto, value, TRANSFORM_OPTIONS);
  const errors = await validate(item, VALIDATOR_OPTIONS);
  return errors.length > 0 ? validationException(errors) : item;
}

function malformedBody(): ApiException {
  return new ApiException(HttpStatus.BAD_REQUEST, 'MALFORMED_BODY', 'the request body must be a JSON object');
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validationException(errors: ValidationError[]): ApiException {
  const failure = firstFailure(errors, undefined);
  if (failure === undefined) return new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_FIELD', 'the request is not valid');
  const { error, constraint, constraintMessage, path } = failure;
  const invalid = (code: string, message: string) => new ApiException(HttpStatus.BAD_REQUEST, code, message, path);
  if (constraint === UNKNOWN_PROPERTY) return invalid('UNKNOWN_FIELD', `${path} is not a field of this request`);
  const expectation = constraint === NESTED_VALUE ? 'must be an object' : withoutProperty(constraintMessage, error.property);
  if (error.value === undefined || error.value === null) {
    return invalid('MISSING_FIELD', expectation === undefined ? `${path} is required` : `${path} is required and ${expectation}`);
  }
  const message = expectation === undefined ? `${path}: ${constraintMessage}` : `${path} ${expectation}`;
  return invalid(constraint === WIRE_AMOUNT ? 'INVALID_AMOUNT' : 'INVALID_FIELD', message);
}

interface Failure {
  error: ValidationError;
  /** The constraint answered: an unknown field's, else a wire amount's, else the first reported. */
  constraint: string;
  constraintMessage: string;
  /** Dotted wire path: `payer.accountNo`, `entries[1].annualRate`. */
  path: string;
}

/** Depth first, in the order class-validator reports: unknown fields first, then declared fields in order. */
function firstFailure(errors: ValidationError[], parentPath: string | undefined): Failure | undefined {
  for (const error of errors) {
    const path = childPath(parentPath, error.property);
    const constraints = error.constraints ?? {};
    for (const constraint of [UNKNOWN_PROPERTY, WIRE_AMOUNT, ...Object.keys(constraints)]) {
      const constraintMessage = constraints[constraint];
      if (constraintMessage !== undefined) return { error, constraint, constraintMessage, path };
    }
    const nested = firstFailure(error.children ?? [], path);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

/** class-validator names array items by their index. */
function childPath(parentPath: string | undefined, property: string): string {
  if (parentPath === undefined) return property;
  return /^\d+$/.test(property) ? `${parentPath}[${property}]` : `${parentPath}.${property}`;
}

/** "accountNo must be a string" → "must be a string", so the message can lead with the full path. */
function withoutProperty(message: string, property: string): string | undefined {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : undefined;
}
