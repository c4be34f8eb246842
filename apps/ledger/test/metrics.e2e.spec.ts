import { INestApplication } from '@nestjs/common';
import { bondIdFor } from '@app/domain';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, type Server, Socket, createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { createLedgerApp } from '../src/ledger-app';
import { LedgerMetrics } from '../src/platform/metrics/ledger-metrics';
import { MetricsListener } from '../src/platform/metrics/metrics-listener';
import { bearer } from './support/access-tokens';
import { declaredRoutes } from './support/declared-routes';
import { cstDate, cstInstant, creditsReceivedAt, lotTerms, payer } from './support/ledger-fixtures';
import { LedgerHarness } from './support/ledger-harness';
import { freePort, spawnLedger, waitForHealthy, within } from './support/ledger-process';
import { scrapeMetrics } from './support/metrics-scrape';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of Prometheus' text format 0.0.4: every line is a HELP or TYPE comment or one sample
 * `name{label="value",…} number`; anything else fails the test.
 */
/** A capturing group that takes part in every match of its pattern. */
function group(match: RegExpExecArray, index: number): string {
  const text = match[index];
  if (text === undefined) throw new Error(`group ${index} is not in the match ${JSON.stringify(match[0])}`);
  return text;
}

function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    const labelText = match[2] ?? '';
    const labels: Record<string, string> = {};
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
    for (let found = label.exec(labelText); found; found = label.exec(labelText)) {
      labels[group(found, 1)] = group(found, 2);
    }
    if (label.lastIndex !== 0 && label.lastIndex !== labelText.length) throw new Error(`bad labels in ${JSON.stringify(line)}`);
    samples.push({ name: group(match, 1), labels, value: parseValue(group(match, 3), line) });
  }
  return samples;
}

/** As Prometheus reads them (Go's ParseFloat): decimals, exponents, and Inf / NaN in any case (prom-client writes `Nan`). */
function parseValue(text: string, line: string): number {
  if (/^[+-]?inf$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`bad value in ${JSON.stringify(line)}`);
  return Number(text);
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))?.value;
}

const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

/** Parsed, after checking the answer is Prometheus' text format. */
async function samplesOf(response: Response): Promise<Sample[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe(PROMETHEUS_TEXT);
  return parseExposition(await response.text());
}

/** Whether a TCP connection to host:port is accepted (false: refused, or nothing there). */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((answered) => {
    const socket = new Socket();
    socket.setTimeout(2_000, () => (socket.destroy(), answered(false)));
    socket.once('connect', () => (socket.destroy(), answered(true)));
    socket.once('error', () => answered(false));
    socket.connect(port, host);
  });
}

/** A non-loopback IPv4 address of this machine, to check what loopback-only means; undefined without one. */
const OUTSIDE_ADDRESS = Object.values(networkInterfaces())
  .flat()
  .find((address) => address !== undefined && address.family === 'IPv4' && !address.internal)?.address;

describe('metrics (e2e, SQLite store)', () => {
  let folder: string;
  let app: INestApplication;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-metrics-'));
    app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') }));
  });

  afterAll(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  const post = (body: object, key?: string) => {
    const pending = request(app.getHttpServer()).post('/v1/tender-centers').set(bearer('operator')).set('Content-Type', 'application/json');
    return (key === undefined ? pending : pending.set('Idempotency-Key', key)).send(body);
  };

  const scrape = async (): Promise<Sample[]> => samplesOf(await scrapeMetrics(app));

  describe('the API port', () => {
    it.each([
      ['GET', undefined],
      ['GET', 'operator'],
      ['GET', 'auditor'],
      ['POST', undefined],
      ['HEAD', undefined],
    ] as const)('answers %s /metrics (token: %s) as it answers any unknown path: 404 ROUTE_NOT_FOUND', async (method, role) => {
      const send = (path: string) => {
        const pending = method === 'GET' ? request(app.getHttpServer()).get(path) : method === 'POST' ? request(app.getHttpServer()).post(path) : request(app.getHttpServer()).head(path);
        return role === undefined ? pending : pending.set(bearer(role));
      };
      const metrics = await send('/metrics');
      const unknown = await send('/metricz');
      expect(metrics.status).toBe(404);
      // HEAD answers have no text.
      const text = (response: request.Response) => (response.text ?? '').replace('/metricz', '/metrics');
      expect([metrics.status, metrics.headers['content-type'], text(metrics)]).toEqual([unknown.status, unknown.headers['content-type'], text(unknown)]);
      if (method !== 'HEAD') expect(metrics.body.error).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: `no route for ${method} /metrics` });
      expect(text(metrics)).not.toContain('ledger_');
    });
  });

  describe('the metrics listener', () => {
    it('serves the Prometheus text on GET /metrics, the headers alone on HEAD, and nothing else', async () => {
      await scrape();
      const url = app.get(MetricsListener).url!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect((await scrape()).some((sample) => sample.name === 'process_cpu_user_seconds_total')).toBe(true);
      expect(await samplesOf(await fetch(`${url}?name[]=up`))).not.toEqual([]);

      const head = await fetch(url, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, PROMETHEUS_TEXT, '']);
      const post = await fetch(url, { method: 'POST' });
      expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
      for (const path of ['/', '/metrics/', '/health', '/v1/lots', '/docs']) {
        const response = await fetch(new URL(path, url));
        expect([path, response.status, (await response.text()).includes('ledger_')]).toEqual([path, 404, false]);
      }
    });

    it('refuses to start twice', async () => {
      await scrape();
      await expect(app.get(MetricsListener).listen({ host: '127.0.0.1', port: 0 })).rejects.toThrow(/already served/);
    });

    it('does not count its scrapes as API requests', async () => {
      const httpSamples = (samples: Sample[]) => samples.filter((sample) => sample.name.startsWith('ledger_http_request_duration_seconds'));
      const before = await scrape();
      const after = await scrape();
      expect(httpSamples(after)).toEqual(httpSamples(before));
      expect(after.filter((sample) => sample.labels.route === '/metrics')).toEqual([]);
    });
  });

  it('counts commands by route, handler and outcome, and times their appends and requests', async () => {
    const route = { route: '/v1/tender-centers', command: 'registerTenderCenter' };
    const before = await scrape();
    const appendsBefore = valueOf(before, 'ledger_event_store_append_duration_seconds_count', { writer: 'aggregate', outcome: 'ok' }) ?? 0;
    expect(valueOf(before, 'ledger_commands_total', route)).toBeUndefined();

    await post({ centerId: 'M1', name: 'Metrics center' }, 'metrics-key-1').expect(201);
    const replay = await post({ centerId: 'M1', name: 'Metrics center' }, 'metrics-key-1').expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    await post({ centerId: 'M1', name: 'Metrics center' }).expect(409);
    await post({ centerId: 'M2' }).expect(400);

    const after = await scrape();
    expect(valueOf(after, 'ledger_commands_total', { ...route, outcome: 'CREATED' })).toBe(1);
    expect(valueOf(after, 'ledger_commands_total', { ...route, outcome: 'IDEMPOTENT_REPLAY' })).toBe(1);
    expect(valueOf(after, 'ledger_commands_total', { ...route, outcome: 'TENDER_CENTER_EXISTS' })).toBe(1);
    expect(valueOf(after, 'ledger_commands_total', { ...route, outcome: 'MISSING_FIELD' })).toBe(1);

    // One command append, which also records the Idempotency-Key's answer (one commit); the replay and the
    // rejected ones append nothing, so no append is the key's alone.
    expect(valueOf(after, 'ledger_event_store_append_duration_seconds_count', { writer: 'aggregate', outcome: 'ok' })).toBe(appendsBefore + 1);
    expect(valueOf(after, 'ledger_event_store_append_duration_seconds_count', { writer: 'idempotency', outcome: 'ok' })).toBeUndefined();
    expect(valueOf(after, 'ledger_event_store_append_duration_seconds_bucket', { writer: 'aggregate', outcome: 'ok', le: '+Inf' })).toBe(
      appendsBefore + 1,
    );
    expect(valueOf(after, 'ledger_event_store_append_duration_seconds_sum', { writer: 'aggregate', outcome: 'ok' })).toBeGreaterThan(0);

    expect(valueOf(after, 'ledger_http_request_duration_seconds_count', { method: 'POST', route: '/v1/tender-centers', status: '201' })).toBe(1);
    expect(valueOf(after, 'ledger_http_request_duration_seconds_count', { method: 'POST', route: '/v1/tender-centers', status: '409' })).toBe(1);
  });
  it('times an append of an Idempotency-Key’s record alone as the idempotency writer: a command that had nothing new to record', async () => {
    const credit = {
      bankRef: 'HVPSMETRICS0001',
      channel: 'HVPS',
      receivedAt: '2026-12-01T10:00:00+08:00',
      valueDate: '2026-12-01',
      amount: '10.00',
      currency: 'CNY',
      payer: { accountNo: '6222000000000001', name: 'Payer', bankCode: '103100000026' },
      payeeAccountNo: 'NOT-A-VIRTUAL-ACCOUNT',
    };
    const postCredit = (key?: string) => {
      const pending = request(app.getHttpServer()).post('/v1/inbound-credits').set(bearer('esb')).set('Content-Type', 'application/json');
      return (key === undefined ? pending : pending.set('Idempotency-Key', key)).send(credit);
    };
    await postCredit().expect(201);
    const before = await scrape();
    const aggregate = valueOf(before, 'ledger_event_store_append_duration_seconds_count', { writer: 'aggregate', outcome: 'ok' });
    const alone = valueOf(before, 'ledger_event_store_append_duration_seconds_count', { writer: 'idempotency', outcome: 'ok' }) ?? 0;

    // The bank reference again, under a new key: already done (200), and the key records that answer.
    const again = await postCredit('metrics-key-2').expect(200);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    const replay = await postCredit('metrics-key-2').expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');

    const after = await scrape();
    expect(valueOf(after, 'ledger_event_store_append_duration_seconds_count', { writer: 'aggregate', outcome: 'ok' })).toBe(aggregate);
    expect(valueOf(after, 'ledger_event_store_append_duration_seconds_count', { writer: 'idempotency', outcome: 'ok' })).toBe(alone + 1);
  });

  it('labels requests that reached no handler as none, never by their path', async () => {
    const before = await scrape();
    const count = (samples: Sample[], labels: Record<string, string>) => valueOf(samples, 'ledger_http_request_duration_seconds_count', labels) ?? 0;
    await request(app.getHttpServer()).get('/v1/no-such-thing/123').expect(404);
    await request(app.getHttpServer()).post('/v1/lots/LOT-77/virtual-accounts').set(bearer('operator')).set('Content-Type', 'text/plain').send('x').expect(400);
    const samples = await scrape();
    expect(count(samples, { method: 'GET', route: 'none', status: '404' })).toBe(count(before, { method: 'GET', route: 'none', status: '404' }) + 1);
    expect(count(samples, { method: 'POST', route: 'none', status: '400' })).toBe(count(before, { method: 'POST', route: 'none', status: '400' }) + 1);
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes('no-such-thing') || value.includes('LOT-77'))).toEqual([]);
  });

  it('exports process metrics, the projection lag gauge, and no publisher gauges while publishing is off', async () => {
    // A query waits until the read models hold what the store holds: then no projection is behind.
    await request(app.getHttpServer()).get('/v1/suspense').set(bearer('operator')).expect(200);
    const samples = await scrape();
    const lags = samples.filter((sample) => sample.name === 'ledger_projection_lag_events');
    expect(lags.map((sample) => sample.labels.projection).sort()).toEqual(['balances', 'basic-account-conflicts', 'bonds', 'lot-statements', 'lot-summary', 'rate-schedules', 'refund-queue', 'suspense']);
    expect(lags.map((sample) => sample.value)).toEqual(lags.map(() => 0));
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(samples.filter((sample) => sample.name.startsWith('ledger_kafka_publisher_'))).toEqual([]);
  });
});

describe('the metrics listener’s address and life (e2e)', () => {
  let folder: string;
  let app: INestApplication | undefined;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-metrics-listener-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const config = loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db'), ...env });
    app = await createLedgerApp(config);
    await app.get(MetricsListener).listen(config.metrics!);
    const { port } = new URL(app.get(MetricsListener).url!);
    return Number(port);
  };

  it('binds to loopback by default: reachable on 127.0.0.1, not on the machine’s other addresses', async () => {
    const port = await start({ METRICS_PORT: '0' });
    expect(app!.get(MetricsListener).url).toBe(`http://127.0.0.1:${port}/metrics`);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    if (OUTSIDE_ADDRESS !== undefined) expect(await accepts(OUTSIDE_ADDRESS, port)).toBe(false);
  });

  it('binds to METRICS_HOST when told: 0.0.0.0 for a cluster’s Prometheus', async () => {
    const port = await start({ METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' });
    expect(app!.get(MetricsListener).url).toBe(`http://0.0.0.0:${port}/metrics`);
    expect(await accepts('127.0.0.1', port)).toBe(true);
    if (OUTSIDE_ADDRESS !== undefined) {
      const response = await fetch(`http://${OUTSIDE_ADDRESS}:${port}/metrics`);
      expect((await samplesOf(response)).length).toBeGreaterThan(0);
    }
  });

  it('binds to the port asked for, and refuses one already taken', async () => {
    const port = await freePort();
    expect(await start({ METRICS_PORT: String(port) })).toBe(port);
    await expect(app!.get(MetricsListener).listen({ host: '127.0.0.1', port })).rejects.toThrow(/already served/);
    await app!.close();
    const blocker = await holdPort();
    try {
      app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') }));
      await expect(app.get(MetricsListener).listen({ host: '127.0.0.1', port: blocker.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(app.get(MetricsListener).url).toBeUndefined();
    } finally {
      blocker.server.close();
    }
  });

  it('stops with the app, keep-alive connections included', async () => {
    const port = await start({ METRICS_PORT: '0' });
    // fetch keeps the connection open for the next request, as a scraper does.
    await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    await app!.close();
    app = undefined;
    expect(await accepts('127.0.0.1', port)).toBe(false);
  });
});

describe('the entry point serves metrics on their own listener (e2e, child process)', () => {
  const STARTUP_TIMEOUT_MS = 20_000;
  const EXIT_TIMEOUT_MS = 10_000;
  let folder: string;
  const children: ReturnType<typeof spawnLedger>[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-metrics-main-'));
  });

  afterAll(async () => {
    for (const child of children) if (child.child.exitCode === null) child.child.kill('SIGKILL');
    await rm(folder, { recursive: true, force: true });
  });

  const records = (ledger: ReturnType<typeof spawnLedger>) =>
    ledger
      .stdout()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  const run = async (name: string, env: Record<string, string>) => {
    const port = await freePort();
    const ledger = spawnLedger({ PORT: String(port), LEDGER_DB_PATH: join(folder, `${name}.db`), READ_MODEL_DB_PATH: join(folder, `${name}-read-models.db`), LOG_LEVEL: 'info', ...env });
    children.push(ledger);
    await waitForHealthy(ledger, `http://127.0.0.1:${port}/health`, STARTUP_TIMEOUT_MS);
    return { ledger, api: `http://127.0.0.1:${port}` };
  };

  it(
    'METRICS_PORT=0 with the default host: loopback, a free port, logged; the API port has no /metrics; both close on SIGTERM',
    async () => {
      const [{ ledger, api }, off] = await Promise.all([run('zero', { METRICS_PORT: '0' }), run('off', { METRICS_PORT: 'off' })]);
      const listening = records(ledger).find((record) => record.msg === 'metrics listening');
      expect(listening).toMatchObject({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/), host: '127.0.0.1' });
      const url = String(listening!.url);
      expect((await samplesOf(await fetch(url))).some((sample) => sample.name === 'ledger_refunds_overdue')).toBe(true);
      expect((await fetch(`${api}/metrics`)).status).toBe(404);

      expect(records(off.ledger)).toContainEqual(expect.objectContaining({ msg: 'metrics off (METRICS_PORT=off)' }));
      expect(records(off.ledger).filter((record) => record.msg === 'metrics listening')).toEqual([]);
      expect((await fetch(`${off.api}/metrics`)).status).toBe(404);

      for (const child of [ledger, off.ledger]) child.child.kill('SIGTERM');
      expect(await within(Promise.all([ledger.exit, off.ledger.exit]), EXIT_TIMEOUT_MS, 'shutdown')).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      expect(await accepts('127.0.0.1', Number(new URL(url).port))).toBe(false);
    },
    STARTUP_TIMEOUT_MS + EXIT_TIMEOUT_MS + 10_000,
  );

  it(
    'stops the start with exit code 1 when the metrics port is taken, before the API listens',
    async () => {
      const blocker = await holdPort();
      try {
        const port = await freePort();
        const ledger = spawnLedger({ PORT: String(port), METRICS_PORT: String(blocker.port), LEDGER_DB_PATH: join(folder, 'taken.db'), READ_MODEL_DB_PATH: join(folder, 'taken-rm.db') });
        children.push(ledger);
        expect((await within(ledger.exit, STARTUP_TIMEOUT_MS, 'exit')).code).toBe(1);
        expect(ledger.stderr()).toContain('EADDRINUSE');
        expect(records(ledger).filter((record) => record.msg === 'ledger listening on all interfaces')).toEqual([]);
      } finally {
        blocker.server.close();
      }
    },
    STARTUP_TIMEOUT_MS + 5_000,
  );
});

/** A port held by a bare TCP server on 127.0.0.1 (what the metrics listener binds by default). */
async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * The confidentiality question (issue #15, item 6): after a lot's life (payments into it, probes of ids
 * that do not exist, the opening, the award, a refund run and its settlement) no lot, bond, bidder,
 * center, account or bank-reference id appears anywhere in a scrape, and every route label is a template.
 */
describe('no per-lot information in a scrape (e2e)', () => {
  const t0 = Math.floor(Date.now() / 1_000) * 1_000;
  const D = cstDate(t0);
  const tag = randomBytes(4).toString('hex').toUpperCase();
  const digits = (length: number) => Array.from({ length }, (_, index) => (index === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');
  const CENTER = `MC${tag}`;
  const LOT = `ML${tag}`;
  const [ALPHA, BETA] = [`MBA${tag}`, `MBB${tag}`];
  const MASTER = digits(20);
  const payers = { [ALPHA]: payer(digits(16), `Alpha ${tag} Co`), [BETA]: payer(digits(16), `Beta ${tag} Co`) };
  const bankRefs = [`HVPS${tag}01`, `HVPS${tag}02`, `HVPSOUT${tag}`];
  let ledger: LedgerHarness;
  const ids: string[] = [CENTER, LOT, ALPHA, BETA, MASTER, ...Object.values(payers).flatMap((p) => [p.accountNo, p.name]), ...bankRefs, tag];

  beforeAll(async () => {
    ledger = await LedgerHarness.start('metrics-ids', { now: t0 });
  });

  afterAll(async () => {
    await ledger.close();
  });

  it('holds none of the ids of a lot’s life, and only route templates', async () => {
    await ledger.registerCenterWithMasterAccount(CENTER, MASTER);
    await ledger.declareBasicAccounts(payers);
    const va = await ledger.registerLotWithVirtualAccount(
      lotTerms({ lotId: LOT, centerId: CENTER, depositDeadline: cstInstant(t0 + 3_000), bidOpeningTime: cstInstant(t0 + 4_000) }),
      MASTER,
    );
    ids.push(va, ...[ALPHA, BETA].map((bidder) => bondIdFor(LOT, bidder, payers[bidder]!.bankCode, payers[bidder]!.accountNo)));
    const credit = creditsReceivedAt(cstInstant(t0), D);
    await ledger.postCredit(credit(bankRefs[0]!, payers[ALPHA]!, va));
    await ledger.postCredit(credit(bankRefs[1]!, payers[BETA]!, va));
    // Looks and attempts naming ids, while sealed: each is labelled by its route's template.
    await ledger.get(`/v1/lots/${LOT}`, 'center', CENTER);
    await ledger.get(`/v1/lots/${LOT}/bonds`, 'operator');
    await ledger.get(`/v1/refunds?lotId=${LOT}`, 'center', CENTER);
    await ledger.get(`/v1/streams/lot-${LOT}`, 'auditor');
    await ledger.get(`/v1/lots/${LOT}X`, 'operator');
    await ledger.post(`/v1/bonds/${ids[ids.length - 1]}Z/forfeiture`, { reason: `probe ${tag}` });
    await ledger.http().get(`/v1/lots/${LOT}/no-such-route`);

    await ledger.clock.advanceTo(t0 + 5_000);
    await ledger.post(`/v1/lots/${LOT}/award`, { winnerBidderId: ALPHA, contractSignedOn: D }).expect(201);
    const run = await ledger.post(`/v1/lots/${LOT}/refunds`, { refundOn: cstDate(ledger.clock.now()) }).expect(201);
    const refundIds = (run.body.refunds as Array<{ refundId: string }>).map((refund) => refund.refundId);
    expect(refundIds.length).toBeGreaterThan(0);
    ids.push(...refundIds);
    for (const refundId of refundIds) await ledger.post(`/v1/refunds/${refundId}/settlement`, { status: 'SETTLED', bankRef: bankRefs[2] }).expect(201);

    const response = await scrapeMetrics(ledger.app);
    const text = await response.text();
    const samples = parseExposition(text);
    expect(valueOf(samples, 'ledger_commands_total', { route: '/v1/inbound-credits', outcome: 'CREATED' })).toBe(2);
    expect(ids.filter((id) => text.includes(id))).toEqual([]);

    const templates = new Set([...declaredRoutes().map((route) => route.path), 'none']);
    const routes = [...new Set(samples.flatMap((sample) => (sample.labels.route === undefined ? [] : [sample.labels.route])))];
    expect(routes.filter((route) => !templates.has(route))).toEqual([]);
    expect(routes).toEqual(expect.arrayContaining(['/v1/lots/:lotId', '/v1/bonds/:bondId/forfeiture', '/v1/refunds/:refundId/settlement', 'none']));
  });
});
