import { KafkaPublisher, parseEnvelope, topicNames } from '@app/messaging';
import { SqliteEventStore } from '@app/event-store';
import { ReadModelStore } from '@app/projections/runner';
import { at } from '../../event-store/test/event-store.contract';
import { type Kafka, Partitioners } from 'kafkajs';
import { deleteTopics, readTopics, testBrokers, testKafka, uniquePrefix } from '../../messaging/test/support/kafka';
import { readReport, runAuditCli, tempFolder } from './support/audit-cli';
import { BANK_A, BANK_B, M1, seedLedger } from './support/seeded-ledger';

/**
 * The audit's Kafka comparison against the real broker (tools/kafka, started by jest's globalSetup):
 * the real publisher publishes the seeded ledger, the audit finds its topics in step; then a message
 * the ledger never derived is produced and the audit names it.
 */
const files = tempFolder('ledger-audit-kafka-');
const ledger = files.path('ledger.db');
const prefix = uniquePrefix('audit');
const topics = topicNames(prefix);
let kafka: Kafka;

beforeAll(async () => {
  await seedLedger(ledger);
  kafka = testKafka(`audit-int-${process.pid}`);
  const store = SqliteEventStore.open({ path: ledger, pollIntervalMs: 10 });
  const readModels = ReadModelStore.open({ path: files.path('read-models.db') });
  const publisher = new KafkaPublisher({ store, readModels, kafka, topicPrefix: prefix, maxBatchEvents: 25, maxBatchMs: 20 });
  try {
    await publisher.start();
    await publisher.caughtUp();
  } finally {
    await publisher.stop();
    readModels.close();
    await store.close();
  }
}, 90_000);

afterAll(async () => {
  await deleteTopics(kafka, topics);
  files.remove();
});

async function auditWithKafka() {
  const report = files.path(`report-${Math.random().toString(36).slice(2)}.json`);
  const run = await runAuditCli(['replay', '--report', report, '--kafka-brokers', testBrokers().join(','), '--kafka-topic-prefix', prefix], { LEDGER_DB_PATH: ledger });
  return { ...run, report: () => readReport(report) };
}

describe('audit replay against Kafka', () => {
  it('finds the published topics equal to what the publisher derives from the rebuilt models, key by key', async () => {
    const messages = await readTopics(kafka, Object.values(topics));
    const keys = new Set(messages.map((message) => `${message.topic} ${message.key.toString('utf8')}`));
    expect(new Set(messages.map((message) => message.topic)).size).toBe(Object.keys(topics).length);
    // M1 is opened at both banks: two master-account keys on the balances topic, compared each on its own.
    for (const bank of [BANK_A, BANK_B]) expect(keys).toContain(`${topics.balances} master-account:${bank.bankCode}:${M1}`);

    const run = await auditWithKafka();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = run.report();
    expect(report.findings).toEqual([]);
    expect(report.kafka).toMatchObject({ topicPrefix: prefix, keysCompared: keys.size, messagesRead: messages.length, missingTopics: [] });
    expect(report.checks.kafka).toEqual({ checked: keys.size, findings: 0 });
  }, 90_000);

  it('names the event a key should follow when its latest message says otherwise, and a key the ledger never publishes', async () => {
    const messages = await readTopics(kafka, [topics.bonds]);
    const last = at(messages, -1);
    const envelope = parseEnvelope<{ principal: string }>(last.value);
    const wrong = { ...envelope, state: { ...envelope.state, principal: '1.00' } };
    const stranger = { ...envelope, key: 'B-0000000000000000-L9' };
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic: topics.bonds,
        messages: [
          { key: last.key, value: JSON.stringify(wrong) },
          { key: stranger.key, value: JSON.stringify(stranger) },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const run = await auditWithKafka();
    expect(run.code).toBe(1);
    const findings = run.report().findings;
    expect(findings.map((finding) => [finding.check, finding.code, finding.details?.key, finding.event?.id, finding.event?.position])).toEqual([
      ['kafka', 'STATE_DIFFERS', last.key.toString('utf8'), envelope.sourceEventId, envelope.position],
      ['kafka', 'UNEXPECTED_KEY', stranger.key, envelope.sourceEventId, envelope.position],
    ]);
    expect(run.stdout).toContain(`[kafka] STATE_DIFFERS`);
  }, 90_000);
});
