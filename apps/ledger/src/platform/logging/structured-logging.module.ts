import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { type Options, pinoHttp } from 'pino-http';
import type { LogLevel } from '../config/ledger-config';
import { RequestLogging } from './request-logging';

/** pino-http's options; a new object each time, as pino-http changes the one it is given. */
function loggingOptions(level: LogLevel): Options {
  return {
    level,
    // The id alone on the lines logged during a request, not the whole request with its headers each time.
    quietReqLogger: true,
    // Failed requests stand out in log search and alerting.
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    // Level names and ISO instants read better in log search than pino's numbers and epoch millis.
    formatters: { level: (label) => ({ level: label }) },
    timestamp: stdTimeFunctions.isoTime,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
  };
}

/**
 * One JSON line per log record on stdout, for the platform's log collector. Every line logged while a
 * request is handled (command handlers included: nestjs-pino finds the request's logger through
 * AsyncLocalStorage) carries its `reqId`, the request id of request-id.ts; the request's own line adds
 * `req` and `res`. The request's logger is set up by RequestLogging's onRequest hook (ledger-app.ts adds
 * it), not by nestjs-pino's middleware: `forRoutes: []` registers none, and without middleware no request
 * goes through @fastify/middie and Nest's middleware proxies (docs/benchmarks.md). nestjs-pino still gives
 * the app its Logger, and the lines logged outside a request come from a pino of the same options.
 */
export function structuredLoggingModule(level: LogLevel): DynamicModule {
  const nestjsPino = LoggerModule.forRoot({ pinoHttp: loggingOptions(level), useExisting: true, forRoutes: [] });
  const requestLogging = { provide: RequestLogging, useFactory: () => new RequestLogging(pinoHttp(loggingOptions(level))) };
  // nestjs-pino's (global) module with RequestLogging beside its providers.
  return { ...nestjsPino, providers: [...(nestjsPino.providers ?? []), requestLogging], exports: [...(nestjsPino.exports ?? []), RequestLogging] };
}
