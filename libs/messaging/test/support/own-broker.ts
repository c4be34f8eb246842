import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const BROKER_SH = resolve(__dirname, '../../../../tools/kafka/broker.sh');
const run = promisify(execFile);

/**
 * A Kafka broker of one test's own (tools/kafka/broker.sh), which it may stop and start again without
 * disturbing the shared broker of the jest run. Asynchronous on purpose: the code under test keeps
 * running in this process while the broker goes down and comes back.
 */
export class OwnBroker {
  private constructor(
    readonly brokers: string,
    private readonly stateFile: string,
  ) {}

  static async start(): Promise<OwnBroker> {
    const output = await brokerSh(['start'], 120_000);
    return new OwnBroker(valueOf(output, 'KAFKA_BROKERS'), valueOf(output, 'KAFKA_STATE_FILE'));
  }

  /** Stops the broker process (SIGTERM, or SIGKILL as a crash), keeping its data and ports. */
  async halt(how: 'graceful' | 'kill'): Promise<void> {
    await brokerSh(how === 'kill' ? ['halt', this.stateFile, '--kill'] : ['halt', this.stateFile], 60_000);
  }

  /** Starts it again on the same port and data; resolves once it serves. */
  async resume(): Promise<void> {
    await brokerSh(['resume', this.stateFile], 120_000);
  }

  async stop(): Promise<void> {
    await brokerSh(['stop', this.stateFile], 60_000);
  }
}

async function brokerSh(args: string[], timeout: number): Promise<string> {
  // KAFKA_WATCH_PID: a killed test run does not leave the broker behind.
  const { stdout } = await run('bash', [BROKER_SH, ...args], { timeout, env: { ...process.env, KAFKA_WATCH_PID: String(process.pid) } });
  return stdout;
}

function valueOf(output: string, key: string): string {
  const line = output.split('\n').find((candidate) => candidate.startsWith(`${key}=`));
  if (line === undefined) throw new Error(`broker.sh printed no ${key}=…:\n${output}`);
  return line.slice(key.length + 1).trim();
}
