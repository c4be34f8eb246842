import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { LedgerConfig } from './config/ledger-config';
import { LedgerModule } from './ledger.module';

/** The initialised ledger application, not yet listening; main.ts and the e2e tests share it. */
export async function createLedgerApp(config: LedgerConfig): Promise<INestApplication> {
  const app = await NestFactory.create(LedgerModule.forConfig(config), {
    // Held back until pino takes over, so stdout carries JSON lines only. If the app fails before
    // that, the held lines are dropped rather than printed as Nest's plain text: the caller gets the error.
    bufferLogs: true,
    autoFlushLogs: false,
    // Throw instead of exiting the process, so callers decide what a failed start means.
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  // Nest would only flush once listening; flush now so tests and a failed listen still get the start-up lines.
  app.flushLogs();
  await app.init();
  return app;
}
