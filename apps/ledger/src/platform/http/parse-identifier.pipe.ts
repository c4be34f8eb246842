import { ArgumentMetadata, HttpStatus, Injectable, PipeTransform } from '@nestjs/common';
import { ApiException } from './api-error';
import { IDENTIFIER_FORM, isIdentifier } from './validators';

/** For identifiers in the path (`@Param('lotId', ParseIdentifierPipe)`), which the DTO validation never sees. */
@Injectable()
export class ParseIdentifierPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (isIdentifier(value)) return value;
    const field = metadata.data ?? 'path';
    throw new ApiException(HttpStatus.BAD_REQUEST, 'INVALID_FIELD', `${field} must be ${IDENTIFIER_FORM}`, field);
  }
}
