import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { JsonBodyMiddleware } from './json-body.middleware';
import { ApiValidationPipe } from './validation.pipe';

/** The API's transport rules for every route: JSON bodies, DTO validation, one error shape. */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useClass: ApiValidationPipe },
  ],
})
export class HttpConventionsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Registered after the global LoggerModule's middleware (Nest mounts global modules' first).
    consumer.apply(JsonBodyMiddleware).forRoutes('*');
  }
}
