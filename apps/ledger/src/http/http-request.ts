import type { IncomingMessage } from 'node:http';

/**
 * The parts of an Express request the ledger reads (the project carries no Express types): the parsed
 * body and the URL as received. pino-http adds `id`.
 */
export type HttpRequest = IncomingMessage & { body?: unknown; originalUrl?: string };
