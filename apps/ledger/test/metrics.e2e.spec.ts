import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { createLedgerApp } from '../src/ledger-app';
import { LedgerMetrics } from '../src/platform/metrics/ledger-metrics';
import { bearer } from './support/access-tokens';

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

describe('GET /metrics (e2e, SQLite store)', () => {
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

  async function scrape(): Promise<Sample[]> {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(response.text);
  }

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
    expect(valueOf(after, 'ledger_http_request_duration_seconds_count', { method: 'GET', route: '/metrics', status: '200' })).toBeGreaterThanOrEqual(1);
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
    await request(app.getHttpServer()).get('/v1/no-such-thing/123').expect(404);
    await request(app.getHttpServer()).post('/v1/lots/LOT-77/virtual-accounts').set(bearer('operator')).set('Content-Type', 'text/plain').send('x').expect(400);
    const samples = await scrape();
    expect(valueOf(samples, 'ledger_http_request_duration_seconds_count', { method: 'GET', route: 'none', status: '404' })).toBe(1);
    expect(valueOf(samples, 'ledger_http_request_duration_seconds_count', { method: 'POST', route: 'none', status: '400' })).toBe(1);
    const labelValues = samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes('no-such-thing') || value.includes('LOT-77'))).toEqual([]);
  });

  it('exports process metrics, the projection lag gauge, and no publisher gauges while publishing is off', async () => {
    app.get(LedgerMetrics).setProjectionLag('bonds', 42);
    const samples = await scrape();
    expect(valueOf(samples, 'ledger_projection_lag_events', { projection: 'bonds' })).toBe(42);
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(samples.filter((sample) => sample.name.startsWith('ledger_kafka_publisher_'))).toEqual([]);
  });
});
