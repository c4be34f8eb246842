import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { ApiValidationPipe } from './validation.pipe';

/** The API's transport rules for every route: DTO validation, one error shape (JSON bodies: ledger-http-adapter.ts). */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useClass: ApiValidationPipe },
  ],
})
export class HttpConventionsModule {}
