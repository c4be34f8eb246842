import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { at } from '../../event-store/test/event-store.contract';
import type { Kafka } from 'kafkajs';
import type { SqliteEventStore } from '@app/event-store';
import { ReadModelStore } from '@app/projections/runner';
import { KafkaPublisher } from '../src/kafka-publisher';
import { appendLog, buildLongHistory } from './support/histories';
import { decode, deleteTopics, openStore, readTopics, tempFolder, testKafka, topicNames, uniquePrefix } from './support/kafka';
import { expectTopicsToMatchLog } from './support/published-log';

/**
 * Kill -9 in the middle of a live stream, restart, lose nothing. The publisher runs in a child process
 * (libs/messaging/test/fixtures/publish-until-killed.ts) that is held between Kafka's acknowledgement
 * of a batch and the save of its checkpoint, and killed there with SIGKILL: the worst moment, when the
 * batch is on Kafka but the checkpoint does not know it.
 */
const ROOT = resolve(__dirname, '../../..');
const TEST_TIMEOUT_MS = 120_000;
const history = buildLongHistory(20, 6);
const cut = (share: number) => Math.floor(history.length * share);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let files: ReturnType<typeof tempFolder>;
let store: SqliteEventStore;
let kafka: Kafka;
const prefix = uniquePrefix('crash');

beforeAll(() => {
  files = tempFolder('ledger-messaging-crash-');
  store = openStore(files.path('events.db'));
  kafka = testKafka(`publisher-crash-${process.pid}`);
});

afterAll(async () => {
  await deleteTopics(kafka, topicNames(prefix));
  await store.close();
  files.remove();
});

it(
  'loses nothing when the publisher is killed between an acknowledgement and its checkpoint, and restarted',
  async () => {
    const topics = topicNames(prefix);
    const eventsPath = files.path('events.db');
    const readModelsPath = files.path('read-models.db');
    await appendLog(store, history.slice(0, cut(0.3)));

    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/messaging/test/fixtures/publish-until-killed.ts', eventsPath, readModelsPath, prefix, '4'],
      { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let partial = '';
    let held: bigint | undefined;
    const saved: bigint[] = [];
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const ready = new Promise<void>((done, fail) => {
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => fail(new Error(`publisher child exited (${code}) before it was ready: ${stderr}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        partial += chunk.toString('utf8');
        const lines = partial.split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          const [word, a] = line.split(' ');
          const position = () => BigInt(a ?? `no position in "${line}"`);
          if (word === 'ready') done();
          if (word === 'saved') saved.push(position());
          if (word === 'hold') {
            held = position();
            child.kill('SIGKILL');
          }
        }
      });
    });
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    let appended = cut(0.3);
    try {
      await ready;
      // Live appends, a few events at a time, until the child is killed in the middle of them.
      while (held === undefined && child.exitCode === null && appended < cut(0.9)) {
        const next = Math.min(appended + 9, cut(0.9));
        await appendLog(store, history.slice(appended, next));
        appended = next;
        await sleep(10);
      }
      expect(await exited).toBe('SIGKILL');
      expect(held).toBeDefined();
      expect(appended).toBeLessThan(cut(0.9));
    } finally {
      clearTimeout(killTimer);
      child.kill('SIGKILL');
    }

    // What the dead publisher left: the checkpoint before the held batch, which is on Kafka.
    const readModels = ReadModelStore.open({ path: readModelsPath });
    try {
      const checkpoint = readModels.load('kafka-publisher/balances')!.position!;
      expect(checkpoint).toBe(saved[saved.length - 1]);
      expect(checkpoint).toBeLessThan(held!);

      // More events while it is down; a new publisher on the same files picks up from the checkpoint.
      await appendLog(store, history.slice(appended, cut(0.95)));
      const restarted = new KafkaPublisher({ store, readModels, kafka, topicPrefix: prefix, maxBatchEvents: 9, maxBatchMs: 15 });
      await restarted.start();
      await appendLog(store, history.slice(cut(0.95)));
      await restarted.caughtUp();
      await restarted.stop();
    } finally {
      readModels.close();
    }

    const received = decode(await readTopics(kafka, Object.values(topics), 30_000));
    const { expected, resent } = await expectTopicsToMatchLog(received, store, topics);

    // The held batch really was sent twice: every one of its messages is on Kafka more than once.
    const heldBatch = expected.filter((m) => m.position > at(saved, -1) && m.position <= held!);
    expect(heldBatch.length).toBeGreaterThan(0);
    expect(resent).toBeGreaterThanOrEqual(heldBatch.length);
    const count = new Map<string, number>();
    for (const m of received) count.set(m.value, (count.get(m.value) ?? 0) + 1);
    for (const m of heldBatch) expect(count.get(m.value)).toBeGreaterThanOrEqual(2);
  },
  TEST_TIMEOUT_MS,
);
