import { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { LedgerConfig } from './config/ledger-config';
import { LedgerModule } from './ledger.module';
import { serveOpenApi } from './openapi';

/** How every ledger app is built; exported for tests that build one from a testing module. */
export const LEDGER_APP_OPTIONS: NestApplicationOptions = {
  // Held back until pino takes over, so stdout carries JSON lines only. If the app fails before
  // that, the held lines are dropped rather than printed as Nest's plain text: the caller gets the error.
  bufferLogs: true,
  autoFlushLogs: false,
  // Throw instead of exiting the process, so callers decide what a failed start means.
  abortOnError: false,
  // JsonBodyMiddleware reads bodies instead, answering bad ones in the API's error shape.
  bodyParser: false,
};

/** The initialised ledger application, not yet listening; main.ts and the e2e tests share it. */
export async function createLedgerApp(config: LedgerConfig): Promise<INestApplication> {
  return initLedgerApp(await NestFactory.create(LedgerModule.forConfig(config), LEDGER_APP_OPTIONS));
}

/** The steps after creation, for an app created with LEDGER_APP_OPTIONS from LedgerModule (or a module importing it). */
export async function initLedgerApp(app: INestApplication): Promise<INestApplication> {
  app.useLogger(app.get(Logger));
  // Nest would only flush once listening; flush now so tests and a failed listen still get the start-up lines.
  app.flushLogs();
  serveOpenApi(app);
  await app.init();
  return app;
}
