/**
 * `npm run audit -- replay [options]`: the auditors' replay (docs/audit.md). Everything but the
 * process's edges (arguments, environment, files, exit code) lives in libs/audit.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { USAGE, UsageError, auditLedger, parseCliArgs, summaryText } from '@app/audit';
import { type EventStore, type EventStoreConfig, openEventStore } from '@app/event-store';
import { createKafkaClient } from '@app/messaging';
import { describeEventStore } from '../../apps/ledger/src/platform/event-store/describe-event-store';

const CLEAN = 0;
const FINDINGS = 1;
const CANNOT_AUDIT = 2;

/** The service's rule (apps/ledger config): EventStoreDB when its connection string is set, else the SQLite file. */
function storeConfig(env: NodeJS.ProcessEnv): EventStoreConfig {
  const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim();
  if (connectionString) return { eventStoreConnectionString: connectionString };
  return { sqlitePath: env.LEDGER_DB_PATH?.trim() || './data/ledger.db', readOnly: true };
}

async function main(argv: string[]): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`audit: ${error.message}\n\n${USAGE}`);
    return CANNOT_AUDIT;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return CLEAN;
  }
  const config = storeConfig(process.env);
  const described = describeEventStore(config);
  const location = described.kind === 'sqlite' ? described.path : described.hosts;
  let store: EventStore | undefined;
  try {
    store = openEventStore(config);
    const kafka = command.kafka
      ? { kafka: createKafkaClient({ brokers: command.kafka.brokers, clientId: 'ledger-audit' }), ...command.kafka }
      : undefined;
    const report = await auditLedger(store, { store: { kind: described.kind, location }, asOf: command.asOf, kafka });
    const reportPath = resolve(command.reportPath);
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(summaryText(report, reportPath));
    return report.findings.length === 0 ? CLEAN : FINDINGS;
  } catch (error) {
    process.stderr.write(`audit: could not audit ${described.kind} ${location}: ${(error as Error).message}\n`);
    return CANNOT_AUDIT;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(CANNOT_AUDIT);
  },
);
