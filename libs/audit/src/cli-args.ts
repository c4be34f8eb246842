import { parseArgs } from 'node:util';
import { type AsOf, UsageError, parseAsOfInstant, parseAsOfPosition } from './as-of';

export const USAGE = `Usage: npm run audit -- replay [options]

Replays the ledger's event store from its first event, rebuilds every read model from nothing and
verifies: each stream's hash chain, every posting set, each master account's and bank's custody
balance, every refund's interest, every inbound credit's fate, and (with --kafka-brokers) the state
published on Kafka. Prints a summary and writes a JSON report. Reads only.

The store: EVENTSTORE_CONNECTION_STRING (EventStoreDB) when set, else the SQLite file LEDGER_DB_PATH
(default ./data/ledger.db), opened read-only (a copy of the service's file will do).

Options:
  --report <path>                 where the JSON report goes (default audit-report.json)
  --as-of-position <n>            stop after the event at global position n
  --as-of <date | instant>        stop at the first event recorded after the instant (with its offset,
                                  e.g. 2026-12-05T17:00:00+08:00) or after the business day (2026-12-05,
                                  China Standard Time)
  --kafka-brokers <host:port,…>   also compare the latest message of every key of the published
                                  topics with the state the publisher derives from the rebuilt models
  --kafka-topic-prefix <prefix>   topic prefix of the publisher (default ledger.)
  -h, --help                      this text

Exit code: 0 no finding, 1 findings (each naming its event), 2 usage or connection error.
`;

export type CliCommand =
  | { readonly help: true }
  | {
      readonly help: false;
      readonly reportPath: string;
      readonly asOf?: AsOf;
      readonly kafka?: { readonly brokers: string[]; readonly topicPrefix: string };
    };

/** The command line after `audit`: `replay` and its options. Throws UsageError. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        report: { type: 'string' },
        'as-of-position': { type: 'string' },
        'as-of': { type: 'string' },
        'kafka-brokers': { type: 'string' },
        'kafka-topic-prefix': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  if (positionals.length !== 1 || positionals[0] !== 'replay') {
    throw new UsageError(positionals.length === 0 ? 'name the command: replay' : `unknown command: ${positionals.join(' ')}`);
  }
  const position = values['as-of-position'] === undefined ? undefined : parseAsOfPosition(values['as-of-position']);
  const recordedBefore = values['as-of'] === undefined ? undefined : parseAsOfInstant(values['as-of']);
  const asOf = position === undefined && recordedBefore === undefined ? undefined : { position, recordedBefore };

  let kafka: { brokers: string[]; topicPrefix: string } | undefined;
  if (values['kafka-brokers'] !== undefined) {
    const brokers = values['kafka-brokers'].split(',').map((broker) => broker.trim()).filter((broker) => broker !== '');
    if (brokers.length === 0 || brokers.some((broker) => !/^[^\s:]+:\d{1,5}$/.test(broker))) {
      throw new UsageError(`--kafka-brokers must be host:port[,host:port…], got "${values['kafka-brokers']}"`);
    }
    kafka = { brokers, topicPrefix: values['kafka-topic-prefix'] ?? 'ledger.' };
    if (asOf) throw new UsageError('--kafka-brokers compares the latest published state: it cannot be combined with --as-of or --as-of-position');
  } else if (values['kafka-topic-prefix'] !== undefined) {
    throw new UsageError('--kafka-topic-prefix needs --kafka-brokers');
  }
  const reportPath = values.report ?? 'audit-report.json';
  if (reportPath === '') throw new UsageError('--report needs a path');
  return { help: false, reportPath, ...(asOf ? { asOf } : {}), ...(kafka ? { kafka } : {}) };
}
