import type { EventStoreConfig } from '@app/event-store';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { type AuthConfig, AuthConfigError, parseAuthConfig } from '../auth/auth-config';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const EVENTSTORE_SCHEMES = ['esdb://', 'esdb+discover://', 'kurrentdb://', 'kurrentdb+discover://'] as const;

export interface LedgerConfig {
  port: number;
  /**
   * Where Prometheus scrapes `/metrics` (METRICS_PORT, METRICS_HOST): a listener of its own, apart from the
   * API's port, on loopback unless told otherwise; undefined when METRICS_PORT=off (docs/operations.md#metrics).
   */
  metrics: MetricsListenerConfig | undefined;
  logLevel: LogLevel;
  /** EventStoreDB when EVENTSTORE_CONNECTION_STRING is set, else the SQLite file at LEDGER_DB_PATH. */
  store: EventStoreConfig;
  /** Empty means events are not published to Kafka. */
  kafkaBrokers: string[];
  /** How the publisher creates its topics on a cluster (KAFKA_TOPIC_*): a bank's cluster wants RF 3, min ISR 2. */
  kafkaTopics: KafkaTopicConfig;
  /**
   * Whether this process runs the Kafka publisher (KAFKA_PUBLISHER). Only one process of a deployment
   * should: API replicas run with it off, one publisher replica with it on. Never true without brokers.
   */
  kafkaPublisher: boolean;
  /** How long a shutdown waits for in-flight requests before closing the store anyway (SHUTDOWN_DRAIN_TIMEOUT_MS). */
  shutdownDrainTimeoutMs: number;
  /**
   * The read-model SQLite file (READ_MODEL_DB_PATH): projections' and the Kafka publisher's models and
   * checkpoints. By default next to the embedded store's file (`read-models.db` in LEDGER_DB_PATH's
   * folder), or `./data/read-models.db` on EventStoreDB.
   */
  readModelDbPath: string;
  /** The banks this ledger serves, each with its virtual-account number prefix; the first is the operating bank. */
  banks: BankConfig[];
  /** How bearer tokens are verified (AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY; the development secret otherwise). */
  auth: AuthConfig;
  /** What a center is given as its master account's balance (CENTER_MASTER_BALANCE, docs/operations.md). */
  centerMasterBalance: CenterMasterBalance;
  /** The CJK font the PDFs (statements, certificates, refund lists) embed (PDF_FONT_PATH, docs/operations.md). */
  pdfFont: PdfFontConfig;
}

/**
 * A TrueType/OpenType font file, or a collection (.ttc, .otc) with the face's PostScript name after `#`
 * (`/path/font.ttc#FaceName`). Checked when a PDF is made, not at start: a missing font answers those
 * routes 503 PDF_FONT_UNAVAILABLE, everything else works.
 */
export interface PdfFontConfig {
  path: string;
  /** The PostScript name of the face in a collection. */
  face?: string;
}

/** Debian's fonts-wqy-microhei (.ci/run installs it), and the face of it the PDFs use. */
export const DEFAULT_PDF_FONT: PdfFontConfig = { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', face: 'WenQuanYiMicroHei' };

/**
 * `opened-lots` (default): the sum over its opened lots' virtual accounts, what its sealed lots hold left
 * out; `whole-account`: the whole account, which discloses the sealed lots' total (issue #15 item 4).
 */
export const CENTER_MASTER_BALANCES = ['opened-lots', 'whole-account'] as const;
export type CenterMasterBalance = (typeof CENTER_MASTER_BALANCES)[number];

export interface KafkaTopicConfig {
  partitions: number;
  replicationFactor: number;
  /** `min.insync.replicas` of each topic; unset leaves the broker's default. */
  minInsyncReplicas?: number;
}

export interface MetricsListenerConfig {
  /** An IP address; 0.0.0.0 or :: for every interface. */
  host: string;
  /** 0 takes a free port (the tests; the bound one is logged). */
  port: number;
}

export interface BankConfig {
  bankCode: string;
  virtualAccountPrefix: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_PORT = 3000;
/** The default of OpenTelemetry's Prometheus exporter: a port scrape configurations commonly expect. */
const DEFAULT_METRICS_PORT = 9464;
const DEFAULT_METRICS_HOST = '127.0.0.1';
const DEFAULT_DB_PATH = './data/ledger.db';
/** On EventStoreDB; with the embedded store the default follows LEDGER_DB_PATH (`defaultReadModelDbPath`). */
const DEFAULT_READ_MODEL_DB_PATH = './data/read-models.db';
const READ_MODEL_DB_FILE = 'read-models.db';
const DEFAULT_LOG_LEVEL: LogLevel = 'info';
const DEFAULT_SHUTDOWN_DRAIN_TIMEOUT_MS = 10_000;
/** Kubernetes' default grace period is 30 s; a drain longer than 5 minutes is a mistake. */
const MAX_SHUTDOWN_DRAIN_TIMEOUT_MS = 300_000;
/** A demonstration bank (a CNAPS bank code and a 6-digit prefix) so the embedded defaults work as they are. */
const DEFAULT_BANKS = '102100099996=955880';

/** Reads and validates the ledger's environment; throws a ConfigError on the first bad variable. */
export function loadLedgerConfig(env: NodeJS.ProcessEnv): LedgerConfig {
  const port = parsePort(valueOf(env, 'PORT'));
  const metrics = parseMetricsListener(valueOf(env, 'METRICS_PORT'), valueOf(env, 'METRICS_HOST'), port);
  const sqlitePath = parseDbPath(valueOf(env, 'LEDGER_DB_PATH'));
  const sqliteWriter = parseDbWriter(valueOf(env, 'LEDGER_DB_WRITER'));
  const connectionString = parseConnectionString(valueOf(env, 'EVENTSTORE_CONNECTION_STRING'));
  const kafkaBrokers = parseBrokers(valueOf(env, 'KAFKA_BROKERS'));
  const kafkaTopics = parseKafkaTopics(env);
  const kafkaPublisher = parseKafkaPublisher(valueOf(env, 'KAFKA_PUBLISHER'), kafkaBrokers);
  const shutdownDrainTimeoutMs = parseDrainTimeout(valueOf(env, 'SHUTDOWN_DRAIN_TIMEOUT_MS'));
  const readModelDbPath = parseFilePath(
    'READ_MODEL_DB_PATH',
    valueOf(env, 'READ_MODEL_DB_PATH'),
    connectionString === undefined ? defaultReadModelDbPath(sqlitePath) : DEFAULT_READ_MODEL_DB_PATH,
  );
  if (connectionString === undefined && resolve(readModelDbPath) === resolve(sqlitePath)) {
    throw new ConfigError(
      'READ_MODEL_DB_PATH',
      `READ_MODEL_DB_PATH (by default read-models.db next to LEDGER_DB_PATH) must name another file than LEDGER_DB_PATH, both are "${sqlitePath}"`,
    );
  }
  const logLevel = parseLogLevel(valueOf(env, 'LOG_LEVEL'));
  const banks = parseBanks(valueOf(env, 'VIRTUAL_ACCOUNT_PREFIXES') ?? DEFAULT_BANKS);
  const auth = parseAuth(valueOf(env, 'AUTH_JWT_SECRET'), valueOf(env, 'AUTH_JWT_PUBLIC_KEY'));
  const centerMasterBalance = parseCenterMasterBalance(valueOf(env, 'CENTER_MASTER_BALANCE'));
  const pdfFont = parsePdfFont(valueOf(env, 'PDF_FONT_PATH'));
  return {
    port,
    metrics,
    logLevel,
    store: connectionString === undefined ? { sqlitePath, writer: sqliteWriter } : { eventStoreConnectionString: connectionString },
    kafkaBrokers,
    kafkaTopics,
    kafkaPublisher,
    readModelDbPath,
    banks,
    auth,
    shutdownDrainTimeoutMs,
    centerMasterBalance,
    pdfFont,
  };
}

function parsePdfFont(value: string | undefined): PdfFontConfig {
  if (value === undefined) return DEFAULT_PDF_FONT;
  const hash = value.lastIndexOf('#');
  const path = hash < 0 ? value : value.slice(0, hash);
  const face = hash < 0 ? undefined : value.slice(hash + 1);
  if (path.trim() === '' || face === '') throw new ConfigError('PDF_FONT_PATH', `PDF_FONT_PATH must be a font file path, optionally #FaceName, got "${value}"`);
  if (face === undefined && /\.(ttc|otc)$/i.test(path)) {
    throw new ConfigError('PDF_FONT_PATH', `PDF_FONT_PATH names a font collection: add the face's PostScript name, e.g. "${path}#WenQuanYiMicroHei"`);
  }
  return face === undefined ? { path } : { path, face };
}

const DB_WRITERS = ['inline', 'thread'] as const;

/** Where the embedded store commits: on the event loop (default; docs/operations.md), or in its writer thread. */
function parseDbWriter(value: string | undefined): (typeof DB_WRITERS)[number] {
  if (value === undefined) return 'inline';
  const writer = DB_WRITERS.find((candidate) => candidate === value);
  if (writer === undefined) throw new ConfigError('LEDGER_DB_WRITER', `LEDGER_DB_WRITER must be one of ${DB_WRITERS.join('|')}, got "${value}"`);
  return writer;
}

function parseCenterMasterBalance(value: string | undefined): CenterMasterBalance {
  if (value === undefined) return 'opened-lots';
  const scope = CENTER_MASTER_BALANCES.find((candidate) => candidate === value);
  if (scope === undefined) throw new ConfigError('CENTER_MASTER_BALANCE', `CENTER_MASTER_BALANCE must be one of ${CENTER_MASTER_BALANCES.join('|')}, got "${value}"`);
  return scope;
}

function parseAuth(secret: string | undefined, publicKey: string | undefined): AuthConfig {
  try {
    return parseAuthConfig(secret, publicKey);
  } catch (error) {
    if (error instanceof AuthConfigError) throw new ConfigError(error.variable, error.message);
    throw error;
  }
}

/** Deployment templates often render an unset variable as an empty one, so both mean "use the default". */
function valueOf(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === '' ? undefined : value;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const port = toPortNumber(value);
  if (port === undefined) throw new ConfigError('PORT', `PORT must be an integer 1..65535, got "${value}"`);
  return port;
}

/**
 * `off`, or a port 0..65535 other than PORT (the API listens on every interface, so they would clash);
 * 0 takes a free port. The host is an IP address, loopback by default: only what runs beside the ledger
 * scrapes it unless a deployment opens it to its cluster's Prometheus.
 */
function parseMetricsListener(portValue: string | undefined, hostValue: string | undefined, apiPort: number): MetricsListenerConfig | undefined {
  const host = hostValue ?? DEFAULT_METRICS_HOST;
  if (isIP(host) === 0) {
    throw new ConfigError('METRICS_HOST', `METRICS_HOST must be an IPv4 or IPv6 address (127.0.0.1 by default, 0.0.0.0 or :: for every interface), got "${host}"`);
  }
  if (portValue === 'off') return undefined;
  const port = portValue === undefined ? DEFAULT_METRICS_PORT : portValue === '0' ? 0 : toPortNumber(portValue);
  if (port === undefined) throw new ConfigError('METRICS_PORT', `METRICS_PORT must be an integer 0..65535 (0: any free port) or off, got "${portValue}"`);
  if (port === apiPort) throw new ConfigError('METRICS_PORT', `METRICS_PORT (by default ${DEFAULT_METRICS_PORT}) must differ from PORT, both are ${port}`);
  return { host, port };
}

function toPortNumber(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseDbPath(value: string | undefined): string {
  return parseFilePath('LEDGER_DB_PATH', value, DEFAULT_DB_PATH);
}

/**
 * `read-models.db` in the folder of the embedded store's file, so that a ledger started on another
 * LEDGER_DB_PATH keeps read models of its own: `./data/ledger.db` gives `./data/read-models.db`,
 * `elsewhere/ledger.db` gives `elsewhere/read-models.db`.
 */
function defaultReadModelDbPath(sqlitePath: string): string {
  const folder = dirname(sqlitePath);
  // join() drops a leading `./`; kept, so the default reads as it is documented.
  return (folder === '.' || folder.startsWith('./') ? './' : '') + join(folder, READ_MODEL_DB_FILE);
}

function parseFilePath(variable: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (value.trim() === '') {
    throw new ConfigError(variable, `${variable} must be a non-empty file path, got "${value}"`);
  }
  return value;
}

function parseConnectionString(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!EVENTSTORE_SCHEMES.some((scheme) => value.startsWith(scheme) && value.length > scheme.length)) {
    // The value is not echoed: connection strings carry credentials.
    throw new ConfigError(
      'EVENTSTORE_CONNECTION_STRING',
      `EVENTSTORE_CONNECTION_STRING must be a connection string starting with ${EVENTSTORE_SCHEMES.join(', ')} (value not shown, it may hold credentials)`,
    );
  }
  return value;
}

function parseBrokers(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((entry) => {
    const broker = entry.trim();
    const colon = broker.lastIndexOf(':');
    const host = broker.slice(0, colon);
    if (colon <= 0 || /\s/.test(host) || toPortNumber(broker.slice(colon + 1)) === undefined) {
      throw new ConfigError(
        'KAFKA_BROKERS',
        `KAFKA_BROKERS must be a comma-separated list of host:port with ports 1..65535, got "${entry}" in "${value}"`,
      );
    }
    return broker;
  });
}

function parseKafkaTopics(env: NodeJS.ProcessEnv): KafkaTopicConfig {
  const partitions = parseCount('KAFKA_TOPIC_PARTITIONS', valueOf(env, 'KAFKA_TOPIC_PARTITIONS')) ?? 3;
  const replicationFactor = parseCount('KAFKA_TOPIC_REPLICATION_FACTOR', valueOf(env, 'KAFKA_TOPIC_REPLICATION_FACTOR')) ?? 1;
  const minInsyncReplicas = parseCount('KAFKA_TOPIC_MIN_INSYNC_REPLICAS', valueOf(env, 'KAFKA_TOPIC_MIN_INSYNC_REPLICAS'));
  if (minInsyncReplicas !== undefined && minInsyncReplicas > replicationFactor) {
    throw new ConfigError('KAFKA_TOPIC_MIN_INSYNC_REPLICAS', `KAFKA_TOPIC_MIN_INSYNC_REPLICAS (${minInsyncReplicas}) cannot exceed KAFKA_TOPIC_REPLICATION_FACTOR (${replicationFactor})`);
  }
  return minInsyncReplicas === undefined ? { partitions, replicationFactor } : { partitions, replicationFactor, minInsyncReplicas };
}

function parseCount(variable: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new ConfigError(variable, `${variable} must be an integer 1..9999, got "${value}"`);
  return Number(value);
}

/** `on` or `off`; unset means on exactly when brokers are configured. */
function parseKafkaPublisher(value: string | undefined, brokers: string[]): boolean {
  if (value === undefined) return brokers.length > 0;
  if (value !== 'on' && value !== 'off') throw new ConfigError('KAFKA_PUBLISHER', `KAFKA_PUBLISHER must be on or off, got "${value}"`);
  if (value === 'on' && brokers.length === 0) {
    throw new ConfigError('KAFKA_PUBLISHER', 'KAFKA_PUBLISHER=on needs KAFKA_BROKERS to name the brokers to publish to');
  }
  return value === 'on';
}

function parseDrainTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_SHUTDOWN_DRAIN_TIMEOUT_MS;
  const ms = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms <= MAX_SHUTDOWN_DRAIN_TIMEOUT_MS)) {
    throw new ConfigError(
      'SHUTDOWN_DRAIN_TIMEOUT_MS',
      `SHUTDOWN_DRAIN_TIMEOUT_MS must be an integer 0..${MAX_SHUTDOWN_DRAIN_TIMEOUT_MS} (milliseconds), got "${value}"`,
    );
  }
  return ms;
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined) return DEFAULT_LOG_LEVEL;
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (level === undefined) {
    throw new ConfigError('LOG_LEVEL', `LOG_LEVEL must be one of ${LOG_LEVELS.join('|')}, got "${value}"`);
  }
  return level;
}

/**
 * `bankCode=prefix` pairs: a prefix is 6 digits not starting with 0, and names exactly one bank. A bank
 * code is an identifier without `-` (a CNAPS code is 12 digits): credit ids and stream names join it to
 * another identifier with `-`.
 */
function parseBanks(value: string): BankConfig[] {
  const banks = value.split(',').map((entry) => {
    const [, bankCode, virtualAccountPrefix] = /^([A-Za-z0-9][A-Za-z0-9._]{0,63})=([1-9]\d{5})$/.exec(entry.trim()) ?? [];
    if (bankCode === undefined || virtualAccountPrefix === undefined) {
      throw new ConfigError(
        'VIRTUAL_ACCOUNT_PREFIXES',
        `VIRTUAL_ACCOUNT_PREFIXES must be a comma-separated list of bankCode=prefix, bank codes of letters, digits, "." and "_", prefixes of 6 digits not starting with 0, got "${entry}" in "${value}"`,
      );
    }
    return { bankCode, virtualAccountPrefix };
  });
  const prefixes = new Set(banks.map((bank) => bank.virtualAccountPrefix));
  const codes = new Set(banks.map((bank) => bank.bankCode));
  if (prefixes.size !== banks.length || codes.size !== banks.length) {
    throw new ConfigError('VIRTUAL_ACCOUNT_PREFIXES', `VIRTUAL_ACCOUNT_PREFIXES must name each bank and each prefix once, got "${value}"`);
  }
  return banks;
}
