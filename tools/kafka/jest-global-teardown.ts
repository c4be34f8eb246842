import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { KAFKA_STATE_FILE_GLOBAL } from './jest-global-setup';

/** Jest globalTeardown: stops the broker that `jest-global-setup.ts` started, if it started one. */
const BROKER_SH = path.join(__dirname, 'broker.sh');
const STOP_TIMEOUT_MS = 60_000; // broker.sh sends SIGKILL after KAFKA_STOP_TIMEOUT_S (20 s)

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<string, unknown>;
  const stateFile = holder[KAFKA_STATE_FILE_GLOBAL];
  if (typeof stateFile !== 'string') return; // KAFKA_BROKERS was given: nothing of ours to stop
  delete holder[KAFKA_STATE_FILE_GLOBAL];
  execFileSync('bash', [BROKER_SH, 'stop', stateFile], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: STOP_TIMEOUT_MS,
  });
  delete process.env.KAFKA_BROKERS;
}
