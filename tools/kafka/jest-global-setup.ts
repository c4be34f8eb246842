import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Jest globalSetup: one real Apache Kafka broker (KRaft, single node, 127.0.0.1) for the whole run.
 *
 * - `KAFKA_BROKERS` already set: that broker is used and nothing is started.
 * - Otherwise `tools/kafka/broker.sh fetch` (Maven, skipped when cached) and `broker.sh start`; the
 *   address goes to `process.env.KAFKA_BROKERS`, which the test workers inherit, and the broker's state
 *   file to a global that `jest-global-teardown.ts` reads to stop it.
 *
 * The broker also gets a watchdog on this process (KAFKA_WATCH_PID), so a killed jest run does not
 * leave it running.
 */
export const KAFKA_STATE_FILE_GLOBAL = '__kafkaTestBrokerStateFile';

const BROKER_SH = path.join(__dirname, 'broker.sh');
const FETCH_TIMEOUT_MS = 600_000;
const START_TIMEOUT_MS = 120_000; // broker.sh bounds start-up itself (KAFKA_START_TIMEOUT_S, 60 s)

function brokerSh(args: string[], timeoutMs: number): string {
  return execFileSync('bash', [BROKER_SH, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: timeoutMs,
    env: { ...process.env, KAFKA_WATCH_PID: String(process.pid) },
  });
}

function outputValue(output: string, key: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`tools/kafka/broker.sh printed no ${key}=... line:\n${output}`);
  return line.slice(key.length + 1).trim();
}

export default async function globalSetup(): Promise<void> {
  const given = process.env.KAFKA_BROKERS?.trim();
  if (given) {
    process.stderr.write(`\nkafka: using KAFKA_BROKERS=${given} (no broker started)\n`);
    return;
  }
  const startedAt = Date.now();
  brokerSh(['fetch'], FETCH_TIMEOUT_MS);
  const output = brokerSh(['start'], START_TIMEOUT_MS);
  const brokers = outputValue(output, 'KAFKA_BROKERS');
  const stateFile = outputValue(output, 'KAFKA_STATE_FILE');
  (globalThis as Record<string, unknown>)[KAFKA_STATE_FILE_GLOBAL] = stateFile;
  process.env.KAFKA_BROKERS = brokers;
  process.stderr.write(`kafka: test broker ${brokers} ready in ${Date.now() - startedAt} ms\n`);
}
