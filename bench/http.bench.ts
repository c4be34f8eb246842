/**
 * `npm run bench` (HTTP part) — inbound credits end to end: the service on a fresh embedded store
 * (durable commits), set up with lots and virtual accounts over HTTP, driven by autocannon from a
 * separate process. Every target of #17 is printed as a ratio to a ceiling measured in the same run,
 * with PASS/MISS beside it:
 * - single credits (`POST /v1/inbound-credits`) at 64 connections against a bare Nest route at the same
 *   concurrency (≥ 25 %); then both at a fixed rate of half the credits' 64-connection rate, p99 against
 *   p99 (≤ 4×);
 * - batches (`POST /v1/inbound-credit-batches`, 100 credits each) at 8 connections, in credits/s, against
 *   plain better-sqlite3 inserting the rows a classified credit writes (taken from this run's own store)
 *   100 credits to a durable transaction on a fresh file with the store's pragmas (≥ 50 %);
 * - the cost of a credit into a lot holding 10,000 bonds against one into lots holding 10 (top-ups by
 *   the lots' existing payers, so the sizes stay put; 1,000 small lots, so both arms hold the same bonds,
 *   each topped up as often), one connection, A/B alternating: the service's CPU per credit (whole
 *   process and its main thread, from /proc) at most 10 % above the small lots', and credits/s;
 * - with KAFKA_BROKERS, the lag from a credit to its balance message against a bare produce → consume
 *   round trip on the same broker, p99 against p99 (≤ 2×).
 * Also the store's own append rate with 64 writers, and the service's CPU per credit at each concurrency.
 * Not a test: it prints figures for docs/benchmarks.md.
 *
 * Options (environment): BENCH_SECONDS per phase (default 10), BENCH_CONNECTIONS (default 1,16,64,128;
 * 64 is always run), BENCH_LOTS (default 200), BENCH_BIG_LOT (bonds in the big lot, default 10000),
 * BENCH_LOT_ROUNDS (A/B rounds of the lot-size phase, default 3), BENCH_LOT_CONNECTIONS (default 1), BENCH_LOG_LEVEL for the service
 * (default info, as a bank runs it), BENCH_CPU_PROF=<folder> to write the service's V8 CPU profile there
 * (open it in Chrome DevTools).
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import Database from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import { lotStream } from '@app/domain';
import { topicNames } from '@app/messaging';
import { tokenFor } from '../apps/ledger/test/support/access-tokens';
import { freePort } from '../apps/ledger/test/support/ledger-process';
import { UNISSUED_VIRTUAL_ACCOUNT } from '../apps/ledger/test/support/ledger-fixtures';
import { type CreditRowTemplate, rawBatchedCreditRate, storeAppendRate } from './support/store-load';
import packageJson from '../package.json';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const TARGET_CONNECTIONS = 64;
const CONNECTIONS = [...new Set([...(process.env.BENCH_CONNECTIONS ?? '1,16,64,128').split(',').map(Number), TARGET_CONNECTIONS])].sort((a, b) => a - b);
const LOTS = Number(process.env.BENCH_LOTS ?? 200);
const BATCH_SIZE = 100;
const BATCH_CONNECTIONS = 8;
const BIG_LOT_BONDS = Number(process.env.BENCH_BIG_LOT ?? 10_000);
const SMALL_LOT_BONDS = 10;
const LOT_ROUNDS = Number(process.env.BENCH_LOT_ROUNDS ?? 3);
/**
 * One: a lot's commands run one at a time (they all write its stream), so with more connections the one big
 * lot would be measured serialised against 1,000 small lots committed in groups — a stream's limit, not the lot's size.
 */
const LOT_CONNECTIONS = Number(process.env.BENCH_LOT_CONNECTIONS ?? 1);
const KAFKA_BROKERS = process.env.KAFKA_BROKERS;
const LAG_SAMPLES = 200;
const CPU_PROFILE_FOLDER = process.env.BENCH_CPU_PROF;
/** The service's Node flags, taken from `npm start` so the bench runs it as a bank would. */
const SERVICE_NODE_FLAGS = packageJson.scripts.start.split(' ').filter((word) => word.startsWith('--'));
const RECEIVED_AT = '2026-12-01T10:00:00+08:00';
const VALUE_DATE = '2026-12-01';
const BATCH_PATH = '/v1/inbound-credit-batches';

const folder = mkdtempSync(join(tmpdir(), 'ledger-http-bench-'));
const children: ChildProcess[] = [];

interface LoadResult {
  requestsPerSecond: number;
  total: number;
  /** Latencies of the 2xx answers, ms, to the microsecond (null: none). */
  p50: number | null;
  p99: number | null;
  /** autocannon's own p99 (whole ms, corrected for coordinated omission at a fixed rate). */
  autocannonP99: number | null;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, { count: number }>;
  /** "201 CLASSIFIED" → count; for a batch, one entry per item. */
  outcomes: Record<string, number>;
}

/**
 * The service and the bare app as plain Node runs compiled JavaScript, as `npm start` runs the service:
 * ts-node would load Node's `domain` module, whose hooks make every promise and timer of the process
 * dearer. The service is built as `npm run build` builds it (dist/, writer thread included); the bare
 * app, one file without path aliases, is transpiled next to it.
 */
function buildCompiled(): { service: string; bare: string } {
  execFileSync('npm', ['run', '-s', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const bare = join('dist', 'bench', 'bare-nest-app.js');
  const source = readFileSync(join('bench', 'support', 'bare-nest-app.ts'), 'utf8');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true };
  mkdirSync(dirname(bare), { recursive: true });
  writeFileSync(bare, ts.transpileModule(source, { compilerOptions }).outputText);
  return { service: join('dist', 'apps', 'ledger', 'apps', 'ledger', 'src', 'main.js'), bare };
}

function startJs(entry: string, env: Record<string, string>, nodeOptions: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeOptions, entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
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

/** A lot open for deposits (its deadline in 2099) with one virtual account; returns the account. */
async function openLot(base: string, lotId: string): Promise<string> {
  const operator = tokenFor('operator', 'bench');
  await post(`${base}/v1/lots`, operator, {
    lotId,
    centerId: 'BENCH-C',
    projectCode: 'BENCH',
    name: `Bench lot ${lotId}`,
    estimatedPrice: '100000000.00',
    bondAmount: '50000.00',
    depositDeadline: '2099-12-01T09:00:00+08:00',
    bidOpeningTime: '2099-12-01T10:00:00+08:00',
    basicAccountPolicy: 'OFF',
    rateScheduleId: 'PBOC-DEMAND',
  });
  const { virtualAccountNo } = (await post(`${base}/v1/lots/${lotId}/virtual-accounts`, operator, { masterAccountNo: '6217000099990001' })).body;
  if (virtualAccountNo === undefined) throw new Error(`lot ${lotId}: the virtual account's answer has no virtualAccountNo`);
  return virtualAccountNo;
}

/** A center, a master account and LOTS lots open for deposits, each with one virtual account. */
async function setUp(base: string): Promise<string[]> {
  const operator = tokenFor('operator', 'bench');
  await post(`${base}/v1/tender-centers`, operator, { centerId: 'BENCH-C', name: 'Bench tender center' });
  await post(`${base}/v1/tender-centers/BENCH-C/master-accounts`, operator, { bankCode: '102100099996', accountNo: '6217000099990001', accountName: 'Bench bonds' });
  const accounts: string[] = [];
  for (let lot = 1; lot <= LOTS; lot += 1) accounts.push(await openLot(base, `BENCH-L${lot}`));
  return accounts;
}

interface CreditJobOptions {
  connections: number;
  overallRate?: number;
  payersPerLot?: number;
  /** A fixed number of requests instead of SECONDS. */
  requests?: number;
  amount?: string;
  batchSize?: number;
}

function creditJob(base: string, virtualAccounts: string[], phase: string, options: CreditJobOptions) {
  return {
    url: base,
    path: options.batchSize ? BATCH_PATH : '/v1/inbound-credits',
    token: tokenFor('esb', 'bench-esb'),
    seconds: SECONDS,
    virtualAccounts,
    payersPerLot: 50,
    bankRefPrefix: `BENCH${phase}X`,
    receivedAt: RECEIVED_AT,
    valueDate: VALUE_DATE,
    ...options,
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
      receivedAt: RECEIVED_AT,
      valueDate: VALUE_DATE,
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

/**
 * One scrape of the service's metrics listener, read by metric: the sum of a metric's samples (every label
 * set, or those that hold `label`, e.g. `kind="major"`); undefined when it has none.
 */
async function scrapeMetrics(metricsUrl: string): Promise<(name: string, label?: string) => number | undefined> {
  const lines = (await (await fetch(metricsUrl)).text()).split('\n');
  return (name, label) => {
    const samples = lines.filter(
      (line) => line.startsWith(`${name} `) || (line.startsWith(`${name}{`) && (label === undefined || line.slice(0, line.indexOf('}')).includes(label))),
    );
    return samples.length === 0 ? undefined : samples.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  };
}

/** The embedded store's counters from the metrics listener: stream appends and durable commits so far (NaN on a build without them). */
async function storeCounters(metricsUrl: string): Promise<{ appends: number; commits: number }> {
  const metric = await scrapeMetrics(metricsUrl);
  return { appends: metric('ledger_event_store_stream_appends_total') ?? Number.NaN, commits: metric('ledger_event_store_commits_total') ?? Number.NaN };
}

/**
 * The service's garbage collections and heap so far (prom-client's default metrics on its metrics port).
 * A scrape also starts the event-loop delay's histogram again, so `loopMaxMs` is the longest delay since
 * the previous scrape.
 */
async function gcCounters(metricsUrl: string) {
  const metric = await scrapeMetrics(metricsUrl);
  const value = (name: string, label?: string) => metric(name, label) ?? Number.NaN;
  return {
    majors: value('nodejs_gc_duration_seconds_count', 'kind="major"'),
    majorMs: value('nodejs_gc_duration_seconds_sum', 'kind="major"') * 1_000,
    minors: value('nodejs_gc_duration_seconds_count', 'kind="minor"'),
    minorMs: value('nodejs_gc_duration_seconds_sum', 'kind="minor"') * 1_000,
    loopMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1_000,
    heapMiB: value('nodejs_heap_size_used_bytes') / 2 ** 20,
  };
}

/** CPU time a thread has run so far, in µs: the scheduler's nanoseconds (/proc/…/schedstat). */
function threadCpuMicros(pid: number, tid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1_000;
  } catch {
    return 0; // the thread ended
  }
}

/** The service's CPU so far, µs: all its threads (the process), and its main thread (the event loop). */
function serviceCpu(pid: number): { process: number; main: number } {
  let total = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) total += threadCpuMicros(pid, Number(tid));
  return { process: total, main: threadCpuMicros(pid, pid) };
}

/** Until the read models and the Kafka publisher (when it runs) hold every event, then 2 s more. */
async function settled(metricsUrl: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const metric = await scrapeMetrics(metricsUrl);
    // NaN (a publisher that has no checkpoint yet) counts as caught up, as an absent gauge does.
    const behind = (name: string) => metric(name) || 0;
    if (behind('ledger_projection_lag_events') + behind('ledger_kafka_publisher_lag_positions') === 0) break;
    if (Date.now() > deadline) throw new Error('the service did not settle within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}

/** A load phase with the store's counters and the service's CPU read around it. */
async function measured(service: ChildProcess, metricsUrl: string, job: object) {
  const countersBefore = await storeCounters(metricsUrl);
  const cpuBefore = serviceCpu(service.pid!);
  const result = await runLoad(job);
  const cpuAfter = serviceCpu(service.pid!);
  const countersAfter = await storeCounters(metricsUrl);
  return {
    result,
    cpuMicros: { process: cpuAfter.process - cpuBefore.process, main: cpuAfter.main - cpuBefore.main },
    appends: countersAfter.appends - countersBefore.appends,
    commits: countersAfter.commits - countersBefore.commits,
  };
}

/**
 * The rows the service wrote for its latest classified credit (every event carrying that command's
 * correlation id), as templates for the raw insert ceiling: so the ceiling inserts what a credit writes
 * on this build, sizes included.
 */
function classifiedCreditRows(ledgerDb: string): { bankRef: string; rows: CreditRowTemplate[] } {
  const db = new Database(ledgerDb, { readonly: true });
  try {
    const classified = db
      .prepare<[], { position: number; metadata: string }>("SELECT position, metadata FROM events WHERE type = 'CreditClassified' ORDER BY position DESC LIMIT 1")
      .get();
    if (!classified) throw new Error('the service wrote no classified credit');
    const { correlationId } = JSON.parse(classified.metadata) as { correlationId: string };
    const near = db
      .prepare<[number, number], { stream: string; revision: number; type: string; data: string; metadata: string }>(
        'SELECT stream, revision, type, data, metadata FROM events WHERE position BETWEEN ? AND ? ORDER BY position',
      )
      .all(classified.position - 50, classified.position + 50)
      .filter((row) => (JSON.parse(row.metadata) as { correlationId: string }).correlationId === correlationId);
    const received = near.find((row) => row.type === 'InboundCreditReceived');
    if (!received) throw new Error(`credit ${correlationId}: no InboundCreditReceived beside its CreditClassified`);
    const { bankRef } = JSON.parse(received.data) as { bankRef: string };
    return {
      bankRef,
      rows: near.map((row) => ({ lotStream: row.stream.startsWith('lot-'), revision: row.revision, type: row.type, data: row.data, metadata: row.metadata })),
    };
  } finally {
    db.close();
  }
}

/** Bonds in each lot, from the store: distinct bond ids of its BondCredited events. */
function bondsInLots(ledgerDb: string, lotIds: readonly string[]): number[] {
  const db = new Database(ledgerDb, { readonly: true });
  try {
    const count = db.prepare<[string], { n: number }>("SELECT COUNT(DISTINCT json_extract(data, '$.bondId')) AS n FROM events WHERE stream = ? AND type = 'BondCredited'");
    return lotIds.map((lotId) => count.get(lotStream(lotId))!.n);
  } finally {
    db.close();
  }
}

/** Whether this build has the batch route (a batch of one credit to nowhere: suspended, harmless). */
async function hasBatchRoute(base: string): Promise<boolean> {
  const response = await fetch(`${base}${BATCH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor('esb', 'bench-esb')}` },
    body: JSON.stringify({
      credits: [
        {
          bankRef: 'BENCHPROBE1',
          channel: 'HVPS',
          receivedAt: RECEIVED_AT,
          valueDate: VALUE_DATE,
          amount: '1.00',
          currency: 'CNY',
          payer: { accountNo: '6222999900000001', name: 'Probe', bankCode: '103100000026' },
          payeeAccountNo: UNISSUED_VIRTUAL_ACCOUNT,
        },
      ],
    }),
  });
  await response.text();
  return response.status !== 404;
}

/**
 * `bondsPerLot` distinct payers credit each lot's account once each (set-up, not measured): the load
 * generator pairs every account with every payer once in accounts × payers credits.
 */
async function seedLots(base: string, group: LotGroup, withBatches: boolean): Promise<void> {
  const credits = group.accounts.length * group.bondsPerLot;
  const batchSize = Math.min(BATCH_SIZE, credits);
  if (withBatches && credits % batchSize !== 0) throw new Error(`${credits} seed credits do not fill batches of ${batchSize}`);
  const requests = withBatches ? credits / batchSize : credits;
  const job = creditJob(base, group.accounts, `SEED${group.lotIds[0]}`, {
    connections: Math.min(withBatches ? 2 : 16, requests),
    payersPerLot: group.bondsPerLot,
    requests,
    ...(withBatches ? { batchSize } : {}),
  });
  const result = await runLoad(job);
  if (result.non2xx + result.errors + result.timeouts > 0) throw new Error(`seeding ${group.name}: ${JSON.stringify(result.statusCodes)} ${JSON.stringify(result.outcomes)}`);
}

/** Lots of one size, measured as one arm of the lot-size phase. */
interface LotGroup {
  name: string;
  lotIds: string[];
  accounts: string[];
  bondsPerLot: number;
}

async function openLots(base: string, name: string, lotIds: string[], bondsPerLot: number): Promise<LotGroup> {
  const accounts: string[] = [];
  for (const lotId of lotIds) accounts.push(await openLot(base, lotId));
  return { name, lotIds, accounts, bondsPerLot };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(0)}%`;
const ms = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));
const tally = (outcomes: Record<string, number>) =>
  Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([key, count]) => `${key}: ${fmt(count)}`)
    .join(', ') || 'none';
/** NaN for no samples. */
const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const median = (values: number[]) => quantile([...values].sort((a, b) => a - b), 0.5);
const failures = (result: LoadResult) => result.non2xx + result.errors + result.timeouts;
const loadAverage = () => loadavg().map((n) => n.toFixed(2)).join(' ');

interface Target {
  name: string;
  measured: string;
  ceiling: string;
  ratio: string;
  target: string;
  pass: boolean | undefined;
}
const verdict = (pass: boolean | undefined) => (pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  console.log(`# HTTP benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, ${SECONDS} s per phase, ${LOTS} lots`);
  const compiled = buildCompiled();
  console.log(`started ${new Date().toISOString()}, load average ${loadAverage()}`);
  const targets: Target[] = [];

  const storeCeiling = await storeAppendRate(join(folder, 'ceiling.db'), 64, SECONDS * 1_000);

  // The bare route: measured first at each concurrency, and kept up (idle) for the fixed-rate phase.
  const barePort = await freePort();
  const bare = startJs(compiled.bare, { PORT: String(barePort) });
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const bareJob = (connections: number, overallRate?: number) => ({ url: bareUrl, path: '/bare', token: 'none', connections, seconds: SECONDS, bare: true, overallRate });
  await waitUntil(async () => (await fetch(`${bareUrl}/bare`, { method: 'POST' })).status === 201, 'the bare Nest app');
  const bareResults = new Map<number, LoadResult>();
  for (const connections of CONNECTIONS) bareResults.set(connections, await runLoad(bareJob(connections)));

  const port = await freePort();
  const metricsPort = await freePort();
  const ledgerDb = join(folder, 'ledger.db');
  const service = startJs(compiled.service, {
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    LEDGER_DB_PATH: ledgerDb,
    READ_MODEL_DB_PATH: join(folder, 'read-models.db'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...(KAFKA_BROKERS ? { KAFKA_BROKERS } : {}),
  }, [...SERVICE_NODE_FLAGS, ...(CPU_PROFILE_FOLDER ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_FOLDER}`] : [])]);
  const base = `http://127.0.0.1:${port}`;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  await waitUntil(async () => (await fetch(`${base}/health`)).ok, 'the ledger');
  const virtualAccounts = await setUp(base);

  // ---- single credits at rising concurrency ----
  console.log('\n## Single credits, `POST /v1/inbound-credits` (new bankRef each, 50 payers per lot)\n');
  console.log('| connections | credits/s | p50 ms | p99 ms | non-2xx | service CPU µs / credit (main thread) | stream appends / credit | durable commits / credit | bare Nest route req/s | credits / bare |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const creditResults = new Map<number, LoadResult>();
  const outcomesSeen: Record<string, number> = {};
  for (const connections of CONNECTIONS) {
    const phase = await measured(service, metricsUrl, creditJob(base, virtualAccounts, `C${connections}`, { connections }));
    const { result } = phase;
    creditResults.set(connections, result);
    for (const [key, count] of Object.entries(result.outcomes)) outcomesSeen[key] = (outcomesSeen[key] ?? 0) + count;
    const perCredit = (delta: number) => (Number.isNaN(delta) ? 'n/a' : (delta / result.total).toFixed(2));
    const bareRate = bareResults.get(connections)!.requestsPerSecond;
    console.log(
      `| ${connections} | ${fmt(result.requestsPerSecond)} | ${ms(result.p50)} | ${ms(result.p99)} | ${failures(result)} | ` +
        `${fmt(phase.cpuMicros.process / result.total)} (${fmt(phase.cpuMicros.main / result.total)}) | ` +
        `${perCredit(phase.appends)} | ${perCredit(phase.commits)} | ${fmt(bareRate)} | ${pct(result.requestsPerSecond, bareRate)} |`,
    );
  }
  console.log(`\noutcomes: ${tally(outcomesSeen)}`);
  const credits64 = creditResults.get(TARGET_CONNECTIONS)!.requestsPerSecond;
  const bare64 = bareResults.get(TARGET_CONNECTIONS)!.requestsPerSecond;
  targets.push({
    name: `single credits, ${TARGET_CONNECTIONS} connections`,
    measured: `${fmt(credits64)} credits/s`,
    ceiling: `bare Nest route ${fmt(bare64)} req/s`,
    ratio: pct(credits64, bare64),
    target: '≥ 25%',
    pass: credits64 >= 0.25 * bare64,
  });

  // ---- p99 at half the 64-connection credit rate, credits and the bare route alike ----
  const halfRate = Math.max(1, Math.round(credits64 / 2));
  // Measured on a settled service, not on the backlog the saturated phases left (read models and the
  // Kafka publisher catching up, their snapshots): that backlog made this phase's p99 ~3-6x worse.
  await settled(metricsUrl);
  const gcBefore = await gcCounters(metricsUrl);
  const fixedCredits = await runLoad(creditJob(base, virtualAccounts, 'FIXED', { connections: TARGET_CONNECTIONS, overallRate: halfRate }));
  const gcAfter = await gcCounters(metricsUrl);
  const fixedBare = await runLoad(bareJob(TARGET_CONNECTIONS, halfRate));
  bare.kill('SIGTERM');
  console.log(`\n## Fixed rate ${fmt(halfRate)}/s offered (half the credits' ${TARGET_CONNECTIONS}-connection rate), evenly paced, at most ${TARGET_CONNECTIONS} connections\n`);
  console.log('| route | served/s | p50 ms | p99 ms (from when each request was due) | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [route, result] of [['credits', fixedCredits], ['bare Nest route', fixedBare]] as const) {
    console.log(`| ${route} | ${fmt(result.requestsPerSecond)} | ${ms(result.p50)} | ${ms(result.p99)} | ${failures(result)} |`);
  }
  console.log(`\noutcomes: ${tally(fixedCredits.outcomes)}`);
  // What a long p99 usually is here: a mark-compact of a heap of hundreds of MB (docs/benchmarks.md).
  console.log(
    `the service during the credits' phase: ${gcAfter.majors - gcBefore.majors} mark-compacts (${(gcAfter.majorMs - gcBefore.majorMs).toFixed(1)} ms of pauses), ` +
      `${gcAfter.minors - gcBefore.minors} scavenges (${(gcAfter.minorMs - gcBefore.minorMs).toFixed(1)} ms), longest event-loop delay ${gcAfter.loopMaxMs.toFixed(1)} ms, ` +
      `heap used ${fmt(gcBefore.heapMiB)} → ${fmt(gcAfter.heapMiB)} MiB`,
  );
  const p99Ratio = fixedCredits.p99 !== null && fixedBare.p99 !== null ? fixedCredits.p99 / fixedBare.p99 : Number.NaN;
  targets.push({
    name: `p99 at ${fmt(halfRate)} credits/s (half the above)`,
    measured: `${ms(fixedCredits.p99)} ms`,
    ceiling: `bare route at that rate ${ms(fixedBare.p99)} ms`,
    ratio: `${p99Ratio.toFixed(1)}×`,
    target: '≤ 4×',
    pass: Number.isNaN(p99Ratio) ? undefined : p99Ratio <= 4,
  });

  // ---- batches against the raw batched-insert ceiling ----
  const template = classifiedCreditRows(ledgerDb);
  const raw = rawBatchedCreditRate(join(folder, 'raw-batches.db'), template, BATCH_SIZE, SECONDS * 1_000);
  console.log(
    `\n## Batches of ${BATCH_SIZE}, \`POST ${BATCH_PATH}\`, ${BATCH_CONNECTIONS} connections\n\n` +
      `raw ceiling: plain better-sqlite3 (WAL, synchronous=FULL, fresh file) inserting the ${template.rows.length} rows a classified credit wrote in this run ` +
      `(${template.rows.map((row) => `${row.type} ${row.data.length + row.metadata.length} B`).join(', ')}), ${BATCH_SIZE} credits per durable transaction: ${fmt(raw.creditsPerSecond)} credits/s (${fmt(raw.rowsPerSecond)} rows/s)`,
  );
  const withBatches = await hasBatchRoute(base);
  if (withBatches) {
    const phase = await measured(service, metricsUrl, creditJob(base, virtualAccounts, 'B', { connections: BATCH_CONNECTIONS, batchSize: BATCH_SIZE }));
    const { result } = phase;
    const credits = result.total * BATCH_SIZE;
    const creditsPerSecond = result.requestsPerSecond * BATCH_SIZE;
    console.log(
      `batches: ${fmt(result.requestsPerSecond)} batches/s = ${fmt(creditsPerSecond)} credits/s, p50 ${ms(result.p50)} ms, p99 ${ms(result.p99)} ms per batch, non-2xx ${failures(result)}; ` +
        `service CPU ${fmt(phase.cpuMicros.process / credits)} µs / credit (main thread ${fmt(phase.cpuMicros.main / credits)}); ` +
        `${Number.isNaN(phase.appends) ? 'n/a' : (phase.appends / credits).toFixed(2)} stream appends and ${Number.isNaN(phase.commits) ? 'n/a' : (phase.commits / result.total).toFixed(2)} durable commits per batch`,
    );
    console.log(`item outcomes: ${tally(result.outcomes)}`);
    targets.push({
      name: `batches of ${BATCH_SIZE}, ${BATCH_CONNECTIONS} connections`,
      measured: `${fmt(creditsPerSecond)} credits/s`,
      ceiling: `raw batched inserts ${fmt(raw.creditsPerSecond)} credits/s`,
      ratio: pct(creditsPerSecond, raw.creditsPerSecond),
      target: '≥ 50%',
      pass: creditsPerSecond >= 0.5 * raw.creditsPerSecond,
    });
  } else {
    console.log(`batches: n/a, this build has no ${BATCH_PATH}`);
    targets.push({ name: `batches of ${BATCH_SIZE}`, measured: 'n/a (no route)', ceiling: `raw batched inserts ${fmt(raw.creditsPerSecond)} credits/s`, ratio: 'n/a', target: '≥ 50%', pass: undefined });
  }

  // ---- a credit's cost against the size of its lot ----
  // The same number of bonds in both arms, each topped up as often: one lot of BIG_LOT_BONDS bonds against
  // BIG_LOT_BONDS / SMALL_LOT_BONDS lots of SMALL_LOT_BONDS. Only the lot's size differs; a bond's own history
  // does not (a top-up copies the bond's tranches, so a small lot topped up by its own few payers would
  // measure bonds with thousands of tranches, not the lot's size).
  const smallLots = Math.max(1, Math.round(BIG_LOT_BONDS / SMALL_LOT_BONDS));
  const lots = [
    await openLots(base, `${fmt(smallLots)} lots of ${SMALL_LOT_BONDS} bonds`, Array.from({ length: smallLots }, (_, i) => `BENCH-SMALL${i + 1}`), SMALL_LOT_BONDS),
    await openLots(base, `1 lot of ${fmt(BIG_LOT_BONDS)} bonds`, ['BENCH-BIG'], BIG_LOT_BONDS),
  ];
  const seedStarted = performance.now();
  for (const group of lots) {
    await seedLots(base, group, withBatches);
    const held = bondsInLots(ledgerDb, group.lotIds);
    if (held.some((bonds) => bonds !== group.bondsPerLot)) throw new Error(`${group.name}: lots hold ${Math.min(...held)}-${Math.max(...held)} bonds after seeding, not ${group.bondsPerLot}`);
  }
  console.log(
    `\n## A credit's cost against its lot's size: top-ups by the lots' own payers (the lots keep their size), ${LOT_CONNECTIONS} connections, ${SECONDS} s a window, ${LOT_ROUNDS} rounds A/B, alternating which goes first\n\n` +
      `seeded ${lots.map((group) => group.name).join(' and ')}: the same ${fmt(BIG_LOT_BONDS)} bonds in each arm, each topped up as often (${withBatches ? 'batches' : 'single credits'}, ${((performance.now() - seedStarted) / 1_000).toFixed(0)} s, not measured)\n`,
  );
  console.log('| round | lots | credits/s | p99 ms | service CPU µs / credit | main thread µs / credit | stream appends / credit | outcomes |');
  console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  const perLot = lots.map(() => ({ rates: [] as number[], cpu: [] as number[], main: [] as number[] }));
  const cpuRatios: number[] = [];
  for (let round = 1; round <= LOT_ROUNDS; round += 1) {
    const order = round % 2 === 1 ? [0, 1] : [1, 0];
    for (const index of order) {
      const group = lots[index]!;
      const phase = await measured(
        service,
        metricsUrl,
        creditJob(base, group.accounts, `S${index}R${round}`, { connections: LOT_CONNECTIONS, payersPerLot: group.bondsPerLot, amount: '1.00' }),
      );
      const { result } = phase;
      const cpu = phase.cpuMicros.process / result.total;
      const main = phase.cpuMicros.main / result.total;
      perLot[index]!.rates.push(result.requestsPerSecond);
      perLot[index]!.cpu.push(cpu);
      perLot[index]!.main.push(main);
      console.log(`| ${round} | ${group.name} | ${fmt(result.requestsPerSecond)} | ${ms(result.p99)} | ${fmt(cpu)} | ${fmt(main)} | ${(phase.appends / result.total).toFixed(2)} | ${tally(result.outcomes)} |`);
    }
    cpuRatios.push(perLot[1]!.cpu[round - 1]! / perLot[0]!.cpu[round - 1]!);
  }
  const cpuRatio = median(cpuRatios);
  const rateRatio = median(perLot[1]!.rates.map((rate, i) => rate / perLot[0]!.rates[i]!));
  console.log(
    `\nbig / small, round by round: CPU per credit ${cpuRatios.map((r) => r.toFixed(2)).join(', ')} (median ${cpuRatio.toFixed(2)}); ` +
      `credits/s ${perLot[1]!.rates.map((rate, i) => (rate / perLot[0]!.rates[i]!).toFixed(2)).join(', ')} (median ${rateRatio.toFixed(2)})`,
  );
  targets.push({
    name: `credit into a lot of ${fmt(BIG_LOT_BONDS)} bonds vs lots of ${SMALL_LOT_BONDS}`,
    measured: `${fmt(median(perLot[1]!.cpu))} µs CPU / credit (${fmt(median(perLot[1]!.rates))}/s)`,
    ceiling: `${fmt(median(perLot[0]!.cpu))} µs (${fmt(median(perLot[0]!.rates))}/s)`,
    ratio: `${cpuRatio.toFixed(2)}× CPU, ${rateRatio.toFixed(2)}× credits/s`,
    // Not two-sided: the one big lot is the cheaper arm when it stays in the caches that 1,000 small lots do not.
    target: 'CPU ≤ 1.10×',
    pass: cpuRatio <= 1.1,
  });

  console.log(`\nstore ceiling: ${fmt(storeCeiling.rate)} appends/s with 64 writers (${storeCeiling.eventsPerCommit.toFixed(1)} events/commit)`);

  // ---- Kafka ----
  if (KAFKA_BROKERS) {
    // As for the p99 phase: a credit's lag, not the time the publisher takes to drain the lot-size phase.
    await settled(metricsUrl);
    const { fromPost, fromAck } = await kafkaLag(base);
    const roundTrips = await kafkaRoundTrip();
    const summary = (lags: number[]) => `p50 ${quantile(lags, 0.5).toFixed(1)} ms, p99 ${quantile(lags, 0.99).toFixed(1)} ms`;
    console.log(`kafka lag, credit → balance message (${LAG_SAMPLES} credits one at a time): from the POST ${summary(fromPost)}; after the acknowledgement ${summary(fromAck)}`);
    console.log(`kafka ceiling, a bare produce (acks=all) → consume round trip on the same broker: ${summary(roundTrips)}`);
    const lagRatio = quantile(fromPost, 0.99) / quantile(roundTrips, 0.99);
    targets.push({
      name: 'Kafka lag p99, from the POST',
      measured: `${quantile(fromPost, 0.99).toFixed(1)} ms (after the ack ${quantile(fromAck, 0.99).toFixed(1)} ms)`,
      ceiling: `produce → consume ${quantile(roundTrips, 0.99).toFixed(1)} ms`,
      ratio: `${lagRatio.toFixed(1)}× (after the ack ${(quantile(fromAck, 0.99) / quantile(roundTrips, 0.99)).toFixed(1)}×)`,
      target: '≤ 2×',
      pass: lagRatio <= 2,
    });
  } else {
    targets.push({ name: 'Kafka lag p99', measured: 'n/a (no KAFKA_BROKERS)', ceiling: '', ratio: 'n/a', target: '≤ 2×', pass: undefined });
  }
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));

  console.log(`\n## Targets of #17 (one run; finished ${new Date().toISOString()}, load average ${loadAverage()})\n`);
  console.log('| target | measured | ceiling, same run | ratio | target | |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- |');
  for (const t of targets) console.log(`| ${t.name} | ${t.measured} | ${t.ceiling} | ${t.ratio} | ${t.target} | ${verdict(t.pass)} |`);
  console.log('(projection rebuild ≥ 25 % of readAll: `npm run bench:projections`)');
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
