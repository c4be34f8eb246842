import type { onRequestHookHandler } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { HttpLogger } from 'pino-http';
// The AsyncLocalStorage nestjs-pino's PinoLogger reads the request's logger from (its middleware's own
// `storage.run`); not re-exported by the package's index.
import { Store, storage } from 'nestjs-pino/storage';

/** What the request's log line reads of the Node request, set as @fastify/middie set them for nestjs-pino's middleware. */
type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string | undefined; query?: unknown; allLogs?: unknown[] };

/**
 * pino-http for every request, as an onRequest hook: the request's line when its answer is finished (or
 * its connection closed), and its logger for every line logged while it is handled. The same pino-http,
 * options and Node request fields as nestjs-pino's middleware had, so the lines are the same.
 */
export class RequestLogging {
  constructor(private readonly httpLogger: HttpLogger) {}

  /** Add after the request-id hook (the line's `reqId` and `req.id` are the request's `id`) and before any hook that may answer. */
  readonly onRequest: onRequestHookHandler = (request, reply, done) => {
    const raw = request.raw as LoggedRequest;
    raw.id = request.id;
    raw.originalUrl = raw.url;
    raw.query = request.query;
    this.httpLogger(raw, reply.raw);
    const logs = raw.allLogs;
    storage.run(new Store(logs?.[logs.length - 1] as Store['logger']), done);
  };
}
