import { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { LedgerConfig } from './platform/config/ledger-config';
import { ledgerHttpAdapter } from './platform/http/ledger-http-adapter';
import { LedgerModule } from './ledger.module';
import { LedgerMetrics } from './platform/metrics/ledger-metrics';
import { requestTimer } from './platform/metrics/request-timer';
import { countCommandsOnSend } from './platform/metrics/command-metrics';
import { serveOpenApi } from './platform/http/openapi';
import { serveConsole } from './platform/http/console-static';
import { GracefulShutdown } from './platform/shutdown/graceful-shutdown';
import { shutdownGate } from './platform/shutdown/shutdown-gate';
import { RequestLogging } from './platform/logging/request-logging';

/** How every ledger app is built, with a `ledgerHttpAdapter()`; exported for tests that build one from a testing module. */
export const LEDGER_APP_OPTIONS: NestApplicationOptions = {
  // Held back until pino takes over, so stdout carries JSON lines only. If the app fails before
  // that, the held lines are dropped rather than printed as Nest's plain text: the caller gets the error.
  bufferLogs: true,
  autoFlushLogs: false,
  // Throw instead of exiting the process, so callers decide what a failed start means.
  abortOnError: false,
  // readJsonBody reads bodies instead, answering bad ones in the API's error shape.
  bodyParser: false,
};

/** The initialised ledger application, not yet listening; main.ts and the e2e tests share it. */
export async function createLedgerApp(config: LedgerConfig): Promise<NestFastifyApplication> {
  return initLedgerApp(await NestFactory.create<NestFastifyApplication>(LedgerModule.forConfig(config), ledgerHttpAdapter(), LEDGER_APP_OPTIONS));
}

/**
 * The steps after creation, for an app created with `ledgerHttpAdapter()` and LEDGER_APP_OPTIONS from
 * LedgerModule (or a module importing it). Resolves once Fastify is ready: it serves requests from then on.
 */
export async function initLedgerApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  // Nest would only flush once listening; flush now so tests and a failed listen still get the start-up lines.
  app.flushLogs();
  serveOpenApi(app);
  serveConsole(app);
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  // After the request-id hook (ledgerHttpAdapter), in this order: the request's logger and log line first,
  // so a refusal is logged with its request id; then the gate, so that a request refused during a
  // shutdown is not timed.
  fastify.addHook('onRequest', app.get(RequestLogging).onRequest);
  fastify.addHook('onRequest', shutdownGate(app.get(GracefulShutdown)));
  fastify.addHook('onRequest', requestTimer(app.get(LedgerMetrics)));
  fastify.addHook('onSend', countCommandsOnSend(app.get(LedgerMetrics)));
  await fastify.ready();
  return app;
}
