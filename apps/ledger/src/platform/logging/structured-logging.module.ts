import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { LogLevel } from '../config/ledger-config';

/**
 * One JSON line per log record on stdout, for the platform's log collector. Every line logged while a
 * request is handled (command handlers included: nestjs-pino finds the request's logger through
 * AsyncLocalStorage) carries its `reqId`, the request id of request-id.ts; the request's own line adds
 * `req` and `res`. nestjs-pino's middleware runs in Fastify's onRequest hook, through @fastify/middie.
 */
export function structuredLoggingModule(level: LogLevel): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      // The id alone on the lines logged during a request, not the whole request with its headers each time.
      quietReqLogger: true,
      // Failed requests stand out in log search and alerting.
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      // Level names and ISO instants read better in log search than pino's numbers and epoch millis.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: stdTimeFunctions.isoTime,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
  });
}
