import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, LedgerConfig, loadLedgerConfig } from './platform/config/ledger-config';
import { MetricsListener } from './platform/metrics/metrics-listener';
import { createLedgerApp } from './ledger-app';

/** A bad variable is reported as one plain line before anything else starts, so it is easy to spot. */
function loadConfigOrExit(): LedgerConfig {
  try {
    return loadLedgerConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

/**
 * All interfaces, IPv4 and IPv6, as the service runs in a container. That is what Node does when given
 * no host (Fastify would listen on 'localhost' instead), down to its fallback: IPv4 alone when IPv6 fails.
 */
async function listenOnAllInterfaces(app: NestFastifyApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch {
    await app.listen(port, '0.0.0.0');
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createLedgerApp(config);
  // SIGTERM is how containers are stopped; exit 0 once the store is closed instead of re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const logger = new Logger('Ledger');
  // Metrics first: a port already taken stops the start before the API takes any request.
  if (config.metrics === undefined) {
    logger.log({ msg: 'metrics off (METRICS_PORT=off)' });
  } else {
    logger.log({ msg: 'metrics listening', url: await app.get(MetricsListener).listen(config.metrics), host: config.metrics.host });
  }
  await listenOnAllInterfaces(app, config.port);
  logger.log({ msg: 'ledger listening on all interfaces', url: await app.getUrl(), port: config.port });
}

main().catch((error: unknown) => {
  process.stderr.write(`ledger failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
