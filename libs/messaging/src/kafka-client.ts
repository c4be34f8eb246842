import { type Admin, ConfigResourceTypes, Kafka, type KafkaConfig, type logCreator, logLevel } from 'kafkajs';

/** Where kafkajs's own log lines go (warnings and errors only). */
export interface KafkaLogSink {
  warn(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

/**
 * kafkajs logs every error response at ERROR before it retries it; on a fresh broker the first
 * InitProducerId and FindCoordinator calls meet "coordinator is loading / not available" while the
 * internal topics are created. Those retried responses are dropped (if retries run out, the call
 * itself throws and the caller reports it); every other warning and error goes to the sink.
 */
export function kafkaLogCreator(sink: KafkaLogSink): logCreator {
  return () =>
    ({ namespace, level, log }) => {
      if (namespace === 'Connection' && typeof log.message === 'string' && log.message.startsWith('Response ')) return;
      const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...rest } = log as Record<string, unknown>;
      const entry = { msg: `kafkajs: ${String(message)}`, namespace, ...rest };
      // Lost or refused connections are retried by kafkajs, and the publisher reports as an error
      // whatever does not recover; the retries themselves are warnings.
      const transient = namespace === 'Connection' || namespace === 'BrokerPool';
      if (level <= logLevel.ERROR && !transient) sink.error(entry);
      else sink.warn(entry);
    };
}

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId?: string;
  readonly logSink?: KafkaLogSink;
  /** Extra kafkajs settings (ssl, sasl, …) for a bank's cluster. */
  readonly extra?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator' | 'logLevel'>;
}

const consoleSink: KafkaLogSink = {
  warn: (entry) => console.warn(JSON.stringify(entry)),
  error: (entry) => console.error(JSON.stringify(entry)),
};

/** The one place a kafkajs client is made. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  if (options.brokers.length === 0) throw new RangeError('createKafkaClient: no brokers');
  return new Kafka({
    clientId: options.clientId ?? 'bid-bond-ledger',
    brokers: [...options.brokers],
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    ...options.extra,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(options.logSink ?? consoleSink),
  });
}

export interface TopicSettings {
  /** Default 3. */
  readonly partitions?: number;
  /** Default 1 (a single test or development broker); a bank's cluster wants 3. */
  readonly replicationFactor?: number;
  /** Extra topic configs, e.g. `min.insync.replicas`. */
  readonly configEntries?: readonly { name: string; value: string }[];
}

export class TopicMisconfiguredError extends Error {
  override readonly name = 'TopicMisconfiguredError';
}

/**
 * Creates the topics that do not exist yet (compacted, keyed), and checks that every one of them is
 * compacted: a topic with `cleanup.policy=delete` would lose entities' latest states after retention.
 */
export async function ensureTopics(admin: Admin, topics: readonly string[], settings: TopicSettings = {}): Promise<{ created: string[] }> {
  const partitions = settings.partitions ?? 3;
  const replicationFactor = settings.replicationFactor ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
    throw new RangeError(`replicationFactor must be a positive integer, got ${replicationFactor}`);
  }
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await admin.createTopics({
      topics: missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        replicationFactor,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }, ...(settings.configEntries ?? [])],
      })),
      waitForLeaders: true,
      timeout: 30_000,
    });
  }
  const described = await admin.describeConfigs({
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['cleanup.policy'] })),
    includeSynonyms: false,
  });
  for (const resource of described.resources) {
    const policy = resource.configEntries.find((entry) => entry.configName === 'cleanup.policy')?.configValue ?? '';
    if (!policy.split(',').includes('compact')) {
      throw new TopicMisconfiguredError(`topic ${resource.resourceName} has cleanup.policy=${policy}; the ledger's topics must be compacted`);
    }
  }
  return { created: missing };
}
