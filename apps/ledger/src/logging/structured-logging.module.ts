import { DynamicModule } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import type { LogLevel } from '../config/ledger-config';

const REQUEST_ID_HEADER = 'X-Request-Id';

/** Printable ASCII only and bounded, so a caller cannot put arbitrary text into our logs and headers. */
const ACCEPTABLE_REQUEST_ID = /^[\x21-\x7e]{1,128}$/;

/** Keeps the caller's request id so one request can be followed across services; otherwise makes one. */
function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER.toLowerCase()];
  const id = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/**
 * One JSON line per log record on stdout, for the platform's log collector. Every line logged while a
 * request is handled (command handlers included: nestjs-pino finds the request's logger through
 * AsyncLocalStorage) carries its `reqId`; the request's own line adds `req` and `res`.
 */
export function structuredLoggingModule(level: LogLevel): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      genReqId: requestIdFor,
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
