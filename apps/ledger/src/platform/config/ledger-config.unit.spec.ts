import { DEVELOPMENT_JWT_SECRET } from '../auth/auth-config';
import { ConfigError, EVENTSTORE_SCHEMES, LOG_LEVELS, loadLedgerConfig } from './ledger-config';

function rejection(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadLedgerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadLedgerConfig', () => {
  describe('defaults', () => {
    const config = loadLedgerConfig({});

    it('listens on port 3000', () => expect(config.port).toBe(3000));
    it('serves metrics on a listener of their own, loopback only: 127.0.0.1:9464', () => expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9464 }));
    it('uses the SQLite file ./data/ledger.db, committed on the event loop', () => expect(config.store).toEqual({ sqlitePath: './data/ledger.db', writer: 'inline' }));
    it('publishes to no Kafka brokers', () => expect(config.kafkaBrokers).toEqual([]));
    it('runs no Kafka publisher', () => expect(config.kafkaPublisher).toBe(false));
    it('drains in-flight requests for at most 10 s on shutdown', () => expect(config.shutdownDrainTimeoutMs).toBe(10_000));
    it('keeps read models in ./data/read-models.db, next to the store', () => expect(config.readModelDbPath).toBe('./data/read-models.db'));
    it('logs at info', () => expect(config.logLevel).toBe('info'));
    it('serves one demonstration bank', () =>
      expect(config.banks).toEqual([{ bankCode: '102100099996', virtualAccountPrefix: '955880' }]));

    it('treats empty strings as unset', () => {
      const fromEmpty = loadLedgerConfig({
        PORT: '',
        LEDGER_DB_PATH: '',
        EVENTSTORE_CONNECTION_STRING: '',
        KAFKA_BROKERS: '',
        READ_MODEL_DB_PATH: '',
        LOG_LEVEL: '',
        KAFKA_PUBLISHER: '',
        SHUTDOWN_DRAIN_TIMEOUT_MS: '',
        METRICS_PORT: '',
        METRICS_HOST: '',
      });
      expect(fromEmpty).toEqual(config);
    });
  });

  describe('accepted values', () => {
    it.each(['1', '8080', '65535'])('PORT=%s', (port) => {
      expect(loadLedgerConfig({ PORT: port }).port).toBe(Number(port));
    });

    it('LEDGER_DB_PATH selects the SQLite file', () => {
      expect(loadLedgerConfig({ LEDGER_DB_PATH: '/var/lib/ledger/ledger.db' }).store).toEqual({
        sqlitePath: '/var/lib/ledger/ledger.db',
        writer: 'inline',
      });
    });

    it('LEDGER_DB_WRITER=thread commits in the store\'s writer thread', () => {
      expect(loadLedgerConfig({ LEDGER_DB_WRITER: 'thread' }).store).toMatchObject({ writer: 'thread' });
    });

    it('READ_MODEL_DB_PATH selects the read-model file', () => {
      expect(loadLedgerConfig({ READ_MODEL_DB_PATH: '/var/lib/ledger/read-models.db' }).readModelDbPath).toBe('/var/lib/ledger/read-models.db');
    });

    it.each([
      ['elsewhere/ledger.db', 'elsewhere/read-models.db'],
      ['/var/lib/ledger/ledger-2026.db', '/var/lib/ledger/read-models.db'],
      ['ledger.db', './read-models.db'],
      ['./ledger.db', './read-models.db'],
      ['../shared/ledger.db', '../shared/read-models.db'],
    ])('LEDGER_DB_PATH=%s moves the default read-model file next to it: %s', (dbPath, readModelDbPath) => {
      expect(loadLedgerConfig({ LEDGER_DB_PATH: dbPath }).readModelDbPath).toBe(readModelDbPath);
    });

    it('READ_MODEL_DB_PATH wins over the default next to LEDGER_DB_PATH', () => {
      const config = loadLedgerConfig({ LEDGER_DB_PATH: 'elsewhere/ledger.db', READ_MODEL_DB_PATH: '/var/lib/ledger/read-models.db' });
      expect(config.readModelDbPath).toBe('/var/lib/ledger/read-models.db');
    });

    it('keeps read models in ./data/read-models.db on EventStoreDB, wherever LEDGER_DB_PATH points', () => {
      const config = loadLedgerConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false', LEDGER_DB_PATH: 'elsewhere/ledger.db' });
      expect(config.readModelDbPath).toBe('./data/read-models.db');
      expect(loadLedgerConfig({ EVENTSTORE_CONNECTION_STRING: 'esdb://localhost:2113?tls=false', READ_MODEL_DB_PATH: '/rm.db' }).readModelDbPath).toBe('/rm.db');
    });

    it.each(EVENTSTORE_SCHEMES)('EVENTSTORE_CONNECTION_STRING with %s selects EventStoreDB over SQLite', (scheme) => {
      const connectionString = `${scheme}admin:changeit@localhost:2113?tls=false`;
      const config = loadLedgerConfig({ EVENTSTORE_CONNECTION_STRING: connectionString, LEDGER_DB_PATH: '/x.db' });
      expect(config.store).toEqual({ eventStoreConnectionString: connectionString });
    });

    it('KAFKA_BROKERS becomes a trimmed list', () => {
      expect(loadLedgerConfig({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2.internal:19092,[::1]:9093' }).kafkaBrokers).toEqual([
        'kafka-1:9092',
        'kafka-2.internal:19092',
        '[::1]:9093',
      ]);
    });

    it.each(LOG_LEVELS)('LOG_LEVEL=%s', (level) => {
      expect(loadLedgerConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
    });
  });

  describe('KAFKA_PUBLISHER', () => {
    const brokers = 'kafka-1:9092';

    it('is on by default when KAFKA_BROKERS is set', () => {
      expect(loadLedgerConfig({ KAFKA_BROKERS: brokers }).kafkaPublisher).toBe(true);
    });

    it('on runs the publisher', () => {
      expect(loadLedgerConfig({ KAFKA_BROKERS: brokers, KAFKA_PUBLISHER: 'on' }).kafkaPublisher).toBe(true);
    });

    it('off keeps an API replica from publishing, brokers or not', () => {
      expect(loadLedgerConfig({ KAFKA_BROKERS: brokers, KAFKA_PUBLISHER: 'off' })).toMatchObject({ kafkaPublisher: false, kafkaBrokers: [brokers] });
      expect(loadLedgerConfig({ KAFKA_PUBLISHER: 'off' }).kafkaPublisher).toBe(false);
    });

    it('on without KAFKA_BROKERS is refused', () => {
      const error = rejection({ KAFKA_PUBLISHER: 'on' });
      expect(error.variable).toBe('KAFKA_PUBLISHER');
      expect(error.message).toBe('KAFKA_PUBLISHER=on needs KAFKA_BROKERS to name the brokers to publish to');
    });

    it.each(['ON', 'true', '1', 'yes', ' on'])('refuses %j', (value) => {
      const error = rejection({ KAFKA_BROKERS: brokers, KAFKA_PUBLISHER: value });
      expect(error.variable).toBe('KAFKA_PUBLISHER');
      expect(error.message).toBe(`KAFKA_PUBLISHER must be on or off, got "${value}"`);
    });
  });

  describe('METRICS_PORT and METRICS_HOST', () => {
    it.each([
      ['9100', '127.0.0.1', 9100],
      ['65535', '0.0.0.0', 65535],
      ['9464', '::', 9464],
      ['9464', '10.1.2.3', 9464],
      ['0', '::1', 0],
    ])('METRICS_PORT=%s METRICS_HOST=%s', (port, host, expected) => {
      expect(loadLedgerConfig({ METRICS_PORT: port, METRICS_HOST: host }).metrics).toEqual({ host, port: expected });
    });

    it('0 takes any free port (many ledgers side by side, the tests)', () => {
      expect(loadLedgerConfig({ METRICS_PORT: '0' }).metrics).toEqual({ host: '127.0.0.1', port: 0 });
    });

    it('off serves no metrics at all', () => {
      expect(loadLedgerConfig({ METRICS_PORT: 'off' }).metrics).toBeUndefined();
    });

    it.each(['OFF', 'none', '-1', '65536', '00', '94.64', ' 9464', '0x24f8'])('refuses METRICS_PORT=%j', (value) => {
      const error = rejection({ METRICS_PORT: value });
      expect(error.variable).toBe('METRICS_PORT');
      expect(error.message).toBe(`METRICS_PORT must be an integer 0..65535 (0: any free port) or off, got "${value}"`);
    });

    it.each([
      [{ PORT: '9100', METRICS_PORT: '9100' }, 9100],
      [{ PORT: '9464' }, 9464],
    ])('refuses the API port for metrics: %j', (env, port) => {
      const error = rejection(env);
      expect(error.variable).toBe('METRICS_PORT');
      expect(error.message).toBe(`METRICS_PORT (by default 9464) must differ from PORT, both are ${port}`);
    });

    it.each(['localhost', 'metrics.internal', '127.0.0.1:9464', '[::1]', '256.0.0.1', ' 127.0.0.1'])('refuses METRICS_HOST=%j: an IP address is asked for', (host) => {
      const error = rejection({ METRICS_HOST: host });
      expect(error.variable).toBe('METRICS_HOST');
      expect(error.message).toBe(`METRICS_HOST must be an IPv4 or IPv6 address (127.0.0.1 by default, 0.0.0.0 or :: for every interface), got "${host}"`);
    });
  });

  describe('SHUTDOWN_DRAIN_TIMEOUT_MS', () => {
    it.each(['0', '2500', '300000'])('accepts %s', (value) => {
      expect(loadLedgerConfig({ SHUTDOWN_DRAIN_TIMEOUT_MS: value }).shutdownDrainTimeoutMs).toBe(Number(value));
    });

    it.each(['-1', '300001', '10s', '1e4', '1.5', 'abc'])('refuses %j', (value) => {
      const error = rejection({ SHUTDOWN_DRAIN_TIMEOUT_MS: value });
      expect(error.variable).toBe('SHUTDOWN_DRAIN_TIMEOUT_MS');
      expect(error.message).toBe(`SHUTDOWN_DRAIN_TIMEOUT_MS must be an integer 0..300000 (milliseconds), got "${value}"`);
    });
  });

  describe('LEDGER_DB_WRITER', () => {
    it.each(['Thread', 'worker', 'off'])('refuses %j', (value) => {
      const error = rejection({ LEDGER_DB_WRITER: value });
      expect(error.variable).toBe('LEDGER_DB_WRITER');
      expect(error.message).toBe(`LEDGER_DB_WRITER must be one of inline|thread, got "${value}"`);
    });
  });

  describe('VIRTUAL_ACCOUNT_PREFIXES', () => {
    it('lists the banks in order, the first being the operating bank', () => {
      expect(loadLedgerConfig({ VIRTUAL_ACCOUNT_PREFIXES: '104100000004=622601, 102100099996=955880' }).banks).toEqual([
        { bankCode: '104100000004', virtualAccountPrefix: '622601' },
        { bankCode: '102100099996', virtualAccountPrefix: '955880' },
      ]);
    });

    it.each(['955880', '102100099996=95588', '102100099996=055880', 'a=955880,b=955880', 'a=955880,a=955881', 'bank-1=955880'])('refuses %s', (value) => {
      expect(rejection({ VIRTUAL_ACCOUNT_PREFIXES: value }).variable).toBe('VIRTUAL_ACCOUNT_PREFIXES');
    });
  });

  describe('rejections', () => {
    it.each(['abc', '0', '65536', '-1', '80.5', '1e3', ' 80', '0x50'])('PORT=%j', (port) => {
      const error = rejection({ PORT: port });
      expect(error.variable).toBe('PORT');
      expect(error.message).toBe(`PORT must be an integer 1..65535, got "${port}"`);
    });

    it('LEDGER_DB_PATH of only whitespace', () => {
      const error = rejection({ LEDGER_DB_PATH: '   ' });
      expect(error.variable).toBe('LEDGER_DB_PATH');
      expect(error.message).toBe('LEDGER_DB_PATH must be a non-empty file path, got "   "');
    });

    it.each([
      ['the same file as LEDGER_DB_PATH', { LEDGER_DB_PATH: 'data/ledger.db', READ_MODEL_DB_PATH: './data/ledger.db' }],
      ['LEDGER_DB_PATH named read-models.db, the default read-model file', { LEDGER_DB_PATH: '/srv/read-models.db' }],
    ])('READ_MODEL_DB_PATH that is %s', (_case, env) => {
      const error = rejection(env);
      expect(error.variable).toBe('READ_MODEL_DB_PATH');
      expect(error.message).toMatch(/^READ_MODEL_DB_PATH \(by default read-models.db next to LEDGER_DB_PATH\) must name another file than LEDGER_DB_PATH/);
    });

    it('READ_MODEL_DB_PATH of only whitespace', () => {
      const error = rejection({ READ_MODEL_DB_PATH: ' ' });
      expect(error.variable).toBe('READ_MODEL_DB_PATH');
      expect(error.message).toBe('READ_MODEL_DB_PATH must be a non-empty file path, got " "');
    });

    it.each(['https://admin:secret@db:2113', 'esdb:/admin:secret@db:2113', 'ESDB://admin:secret@db:2113', 'esdb://'])(
      'EVENTSTORE_CONNECTION_STRING=%j, without echoing credentials',
      (connectionString) => {
        const error = rejection({ EVENTSTORE_CONNECTION_STRING: connectionString });
        expect(error.variable).toBe('EVENTSTORE_CONNECTION_STRING');
        expect(error.message).toContain(
          'EVENTSTORE_CONNECTION_STRING must be a connection string starting with esdb://, esdb+discover://, kurrentdb://, kurrentdb+discover://',
        );
        expect(error.message).not.toContain('secret');
      },
    );

    it.each(['kafka', 'kafka:', ':9092', 'kafka:0', 'kafka:65536', 'kafka:abc', 'kafka:9092,', 'kafka 1:9092'])(
      'KAFKA_BROKERS=%j',
      (brokers) => {
        const error = rejection({ KAFKA_BROKERS: brokers });
        expect(error.variable).toBe('KAFKA_BROKERS');
        expect(error.message).toMatch(/^KAFKA_BROKERS must be a comma-separated list of host:port with ports 1\.\.65535, got ".*" in ".*"$/);
      },
    );

    it.each(['INFO', 'verbose', 'warning'])('LOG_LEVEL=%j', (level) => {
      const error = rejection({ LOG_LEVEL: level });
      expect(error.variable).toBe('LOG_LEVEL');
      expect(error.message).toBe(`LOG_LEVEL must be one of trace|debug|info|warn|error|fatal|silent, got "${level}"`);
    });
    describe('Kafka topic settings', () => {
    it('default to 3 partitions, replication factor 1 (one development broker)', () => {
      expect(loadLedgerConfig({}).kafkaTopics).toEqual({ partitions: 3, replicationFactor: 1 });
    });

    it('take a production cluster’s settings', () => {
      const env = { KAFKA_TOPIC_PARTITIONS: '12', KAFKA_TOPIC_REPLICATION_FACTOR: '3', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2' };
      expect(loadLedgerConfig(env).kafkaTopics).toEqual({ partitions: 12, replicationFactor: 3, minInsyncReplicas: 2 });
    });

    it.each([
      [{ KAFKA_TOPIC_PARTITIONS: '0' }, 'KAFKA_TOPIC_PARTITIONS'],
      [{ KAFKA_TOPIC_REPLICATION_FACTOR: 'three' }, 'KAFKA_TOPIC_REPLICATION_FACTOR'],
      [{ KAFKA_TOPIC_REPLICATION_FACTOR: '2', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '3' }, 'KAFKA_TOPIC_MIN_INSYNC_REPLICAS'],
    ])('refuses %j', (env, variable) => {
      expect(rejection(env).variable).toBe(variable);
    });
  });

  describe('bearer-token keys', () => {
    const PEM = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----\n';

    it('verifies with the embedded development secret when no key is set', () => {
      expect(loadLedgerConfig({}).auth).toEqual({ algorithm: 'HS256', secret: DEVELOPMENT_JWT_SECRET, developmentSecret: true });
    });

    it('AUTH_JWT_SECRET selects HS256 with that secret', () => {
      const secret = 'x'.repeat(32);
      expect(loadLedgerConfig({ AUTH_JWT_SECRET: secret }).auth).toEqual({ algorithm: 'HS256', secret, developmentSecret: false });
    });

    it('AUTH_JWT_PUBLIC_KEY selects RS256, reading literal \\n as line breaks', () => {
      expect(loadLedgerConfig({ AUTH_JWT_PUBLIC_KEY: PEM.replace(/\n/g, '\\n') }).auth).toEqual({ algorithm: 'RS256', publicKey: PEM });
    });

    it.each([
      [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET'],
      [{ AUTH_JWT_PUBLIC_KEY: 'not a pem' }, 'AUTH_JWT_PUBLIC_KEY'],
      [{ AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWT_PUBLIC_KEY: PEM }, 'AUTH_JWT_PUBLIC_KEY'],
    ])('refuses %j without echoing the value', (env, variable) => {
      const error = rejection(env);
      expect(error.variable).toBe(variable);
      expect(error.message).not.toContain('short');
      expect(error.message).not.toContain('MIIBIjANBgkq');
    });
  });
});
});
