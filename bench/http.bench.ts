/**
 * `npm run bench` (HTTP part) — inbound credits end to end: the service on a fresh embedded store
 * (durable commits), set up with lots and virtual accounts over HTTP, then `POST /v1/inbound-credits`
 * driven by autocannon from a separate process at rising concurrency, and at a fixed 2,000 credits/s.
 * Ceilings from the same run: a bare Nest route doing no work, and the store's own append rate with
 * 64 concurrent writers. With KAFKA_BROKERS, also the lag from an acknowledged credit to its balance
 * message on Kafka. Not a test: it prints figures for docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS per phase (default 10), BENCH_CONNECTIONS (default 1,16,64,128),
 * BENCH_LOTS (default 200), BENCH_LOG_LEVEL for the service (default info, as a bank runs it),
 * BENCH_CPU_PROF=<folder> to write the service's V8 CPU profile there (open it in Chrome DevTools).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames } from '@app/messaging';
import { tokenFor } from '../apps/ledger/test/support/access-tokens';
import { freePort } from '../apps/ledger/test/support/ledger-process';
import { UNISSUED_VIRTUAL_ACCOUNT } from '../apps/ledger/test/support/ledger-fixtures';
import { storeAppendRate } from './support/store-load';
import packageJson from '../package.json';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,16,64,128').split(',').map(Number);
const LOTS = Number(process.env.BENCH_LOTS ?? 200);
const FIXED_RATE = 2_000;
const KAFKA_BROKERS = process.env.KAFKA_BROKERS;
const LAG_SAMPLES = 200;
const CPU_PROFILE_FOLDER = process.env.BENCH_CPU_PROF;
/** The service's Node flags, taken from `npm start` so the bench runs it as a bank would. */
const SERVICE_NODE_FLAGS = packageJson.scripts.start.split(' ').filter((word) => word.startsWith('--'));

const folder = mkdtempSync(join(tmpdir(), 'ledger-http-bench-'));
const children: ChildProcess[] = [];

interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
}

/** A TypeScript entry point in its own Node process (transpiled on load: same speed once running). */
function startTs(entry: string, env: Record<string, string>, nodeOptions: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeOptions, '-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', entry], {
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function waitUntil(ready: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await ready().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function runLoad(job: object): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'support', 'http-load.js'), JSON.stringify(job)], { maxBuffer: 1 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout) as LoadResult),
    );
  });
}

async function post(url: string, token: string, body: object): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const answer = { status: response.status, body: (await response.json()) as Record<string, string> };
  if (response.status >= 300) throw new Error(`POST ${url} answered ${response.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

/** A center, a master account and LOTS lots open for deposits, each with one virtual account. */
async function setUp(base: string): Promise<string[]> {
  const operator = tokenFor('operator', 'bench');
  await post(`${base}/v1/tender-centers`, operator, { centerId: 'BENCH-C', name: 'Bench tender center' });
  await post(`${base}/v1/tender-centers/BENCH-C/master-accounts`, operator, { bankCode: '102100099996', accountNo: '6217000099990001', accountName: 'Bench bonds' });
  const accounts: string[] = [];
  for (let lot = 1; lot <= LOTS; lot += 1) {
    const lotId = `BENCH-L${lot}`;
    await post(`${base}/v1/lots`, operator, {
      lotId,
      centerId: 'BENCH-C',
      projectCode: 'BENCH',
      name: `Bench lot ${lot}`,
      estimatedPrice: '100000000.00',
      bondAmount: '50000.00',
      depositDeadline: '2099-12-01T09:00:00+08:00',
      bidOpeningTime: '2099-12-01T10:00:00+08:00',
      basicAccountPolicy: 'OFF',
      rateScheduleId: 'PBOC-DEMAND',
    });
    const { virtualAccountNo } = (await post(`${base}/v1/lots/${lotId}/virtual-accounts`, operator, { masterAccountNo: '6217000099990001' })).body;
    if (virtualAccountNo === undefined) throw new Error(`lot ${lotId}: the virtual account's answer has no virtualAccountNo`);
    accounts.push(virtualAccountNo);
  }
  return accounts;
}

function creditJob(base: string, virtualAccounts: string[], phase: string, connections: number, overallRate?: number) {
  return {
    url: base,
    path: '/v1/inbound-credits',
    token: tokenFor('esb', 'bench-esb'),
    connections,
    seconds: SECONDS,
    overallRate,
    virtualAccounts,
    payersPerLot: 50,
    bankRefPrefix: `BENCH${phase}X`,
    receivedAt: '2026-12-01T10:00:00+08:00',
    valueDate: '2026-12-01',
  };
}

const benchKafka = (clientId: string) => new Kafka({ clientId, brokers: KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });

/** A new consumer group on `topic`, settled, whose next message's arrival time can be awaited. */
async function arrivalsOn(kafka: Kafka, topic: string): Promise<{ next: () => Promise<number>; close: () => Promise<void> }> {
  const consumer = kafka.consumer({ groupId: `${topic}-bench-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  let arrived: ((at: number) => void) | undefined;
  await consumer.run({ eachMessage: async () => arrived?.(performance.now()) });
  await new Promise((resolve) => setTimeout(resolve, 3_000)); // the group settles before the first sample
  return { next: () => new Promise<number>((resolve) => (arrived = resolve)), close: () => consumer.disconnect() };
}

/**
 * A credit posted (to suspense) → its bank's balance message on `ledger.balances.v2`, one credit at a time: from the
 * POST, and from its acknowledgement (0 when the message came first: the lot's event is published
 * while the credit's anchor is still being written).
 */
async function kafkaLag(base: string): Promise<{ fromPost: number[]; fromAck: number[] }> {
  const balances = await arrivalsOn(benchKafka('bench-lag'), topicNames().balances);
  const esb = tokenFor('esb', 'bench-esb');
  const fromPost: number[] = [];
  const fromAck: number[] = [];
  for (let i = 0; i < LAG_SAMPLES; i += 1) {
    const message = balances.next();
    const posted = performance.now();
    await post(`${base}/v1/inbound-credits`, esb, {
      bankRef: `BENCHLAG${i}`,
      channel: 'HVPS',
      receivedAt: '2026-12-01T10:00:00+08:00',
      valueDate: '2026-12-01',
      amount: '100.00',
      currency: 'CNY',
      payer: { accountNo: `62229${i}`, name: 'Lag probe', bankCode: '103100000026' },
      // Suspended (no such account): bank money, published at once. A sealed lot's credit publishes nothing until its opening (docs/topics.md).
      payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT,
    });
    const acknowledged = performance.now();
    const received = await message;
    fromPost.push(received - posted);
    fromAck.push(Math.max(0, received - acknowledged));
  }
  await balances.close();
  return { fromPost: fromPost.sort((a, b) => a - b), fromAck: fromAck.sort((a, b) => a - b) };
}

/** The lag's ceiling: one message produced (acks=all) and consumed, one at a time, on a scratch topic. */
async function kafkaRoundTrip(): Promise<number[]> {
  const kafka = benchKafka('bench-round-trip');
  const topic = `bench-round-trip-${Date.now()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const messages = await arrivalsOn(kafka, topic);
  const trips: number[] = [];
  for (let i = 0; i < LAG_SAMPLES; i += 1) {
    const received = messages.next();
    const sent = performance.now();
    await producer.send({ topic, acks: -1, messages: [{ key: String(i), value: 'x' }] });
    trips.push((await received) - sent);
  }
  await Promise.all([producer.disconnect(), messages.close()]);
  await admin.deleteTopics({ topics: [topic] });
  await admin.disconnect();
  return trips.sort((a, b) => a - b);
}

/** The embedded store's counters from the metrics listener: stream appends and durable commits so far (NaN on a build without them). */
async function storeCounters(metricsUrl: string): Promise<{ appends: number; commits: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { appends: value('ledger_event_store_stream_appends_total'), commits: value('ledger_event_store_commits_total') };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(0)}%`;
/** NaN for no samples. */
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function main(): Promise<void> {
  console.log(`# HTTP benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${SECONDS} s per phase, ${LOTS} lots`);

  const storeCeiling = await storeAppendRate(join(folder, 'ceiling.db'), 64, SECONDS * 1_000);

  const barePort = await freePort();
  const bare = startTs('bench/support/bare-nest-app.ts', { PORT: String(barePort) });
  const bareUrl = `http://127.0.0.1:${barePort}`;
  await waitUntil(async () => (await fetch(`${bareUrl}/bare`, { method: 'POST' })).status === 201, 'the bare Nest app');
  const bareResults = new Map<number, LoadResult>();
  for (const connections of CONNECTIONS) bareResults.set(connections, await runLoad({ url: bareUrl, path: '/bare', token: 'none', connections, seconds: SECONDS, bare: true }));
  bare.kill('SIGTERM');

  const port = await freePort();
  const metricsPort = await freePort();
  const service = startTs('apps/ledger/src/main.ts', {
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    LEDGER_DB_PATH: join(folder, 'ledger.db'),
    READ_MODEL_DB_PATH: join(folder, 'read-models.db'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...(KAFKA_BROKERS ? { KAFKA_BROKERS } : {}),
  }, [...SERVICE_NODE_FLAGS, ...(CPU_PROFILE_FOLDER ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_FOLDER}`] : [])]);
  const base = `http://127.0.0.1:${port}`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  await waitUntil(async () => (await fetch(`${base}/health`)).ok, 'the ledger');
  const virtualAccounts = await setUp(base);

  console.log('\n| connections | credits/s | p50 ms | p99 ms | non-2xx | stream appends / credit | durable commits / credit | bare Nest route req/s | credits / bare |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let best = 0;
  for (const connections of CONNECTIONS) {
    const before = await storeCounters(metricsUrl);
    const result = await runLoad(creditJob(base, virtualAccounts, `C${connections}`, connections));
    const after = await storeCounters(metricsUrl);
    const perCredit = (delta: number) => (Number.isNaN(delta) ? 'n/a' : (delta / result.total).toFixed(2));
    const bareRate = bareResults.get(connections)!.requestsPerSecond;
    best = Math.max(best, result.requestsPerSecond);
    console.log(
      `| ${connections} | ${fmt(result.requestsPerSecond)} | ${result.p50} | ${result.p99} | ${result.non2xx + result.errors + result.timeouts} | ` +
        `${perCredit(after.appends - before.appends)} | ${perCredit(after.commits - before.commits)} | ${fmt(bareRate)} | ${pct(result.requestsPerSecond, bareRate)} |`,
    );
  }
  const fixed = await runLoad(creditJob(base, virtualAccounts, 'FIXED', 64, FIXED_RATE));
  console.log(`\nfixed rate ${fmt(FIXED_RATE)} credits/s offered (64 connections): ${fmt(fixed.requestsPerSecond)} credits/s served, p50 ${fixed.p50} ms, p99 ${fixed.p99} ms, non-2xx ${fixed.non2xx + fixed.errors + fixed.timeouts}`);
  console.log(`store ceiling: ${fmt(storeCeiling.rate)} appends/s with 64 writers (${storeCeiling.eventsPerCommit.toFixed(1)} events/commit); a classified credit makes 2 stream appends (its anchor and its lot, in one commit): ${fmt(storeCeiling.rate / 2)} credits/s`);
  console.log(`best credits/s: ${fmt(best)} (target ≥ 5,000 sustained; p99 ≤ 50 ms at 2,000/s)`);

  if (KAFKA_BROKERS) {
    const { fromPost, fromAck } = await kafkaLag(base);
    const roundTrips = await kafkaRoundTrip();
    const summary = (lags: number[]) => `p50 ${quantile(lags, 0.5).toFixed(1)} ms, p99 ${quantile(lags, 0.99).toFixed(1)} ms`;
    console.log(`kafka lag, credit → balance message (${LAG_SAMPLES} credits one at a time): from the POST ${summary(fromPost)}; after the acknowledgement ${summary(fromAck)}`);
    console.log(`kafka ceiling, a bare produce (acks=all) → consume round trip on the same broker: ${summary(roundTrips)}`);
  }
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });
