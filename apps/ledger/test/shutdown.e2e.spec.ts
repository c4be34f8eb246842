import { INestApplication } from '@nestjs/common';
import { EventStore, SqliteEventStore } from '@app/event-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { EVENT_STORE } from '../src/platform/event-store/event-store.token';
import { createLedgerApp } from '../src/ledger-app';
import { bearer } from './support/access-tokens';

const SHUTTING_DOWN = {
  error: { code: 'SHUTTING_DOWN', message: 'this ledger instance is shutting down; retry the request, another instance will take it' },
};

/** Holds the next append of the app's store until released: a command in flight. */
function holdNextAppend(store: EventStore): { appending: Promise<void>; release: () => void } {
  const append = store.appendToStream.bind(store);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const appending = new Promise<void>((resolve) => (entered = resolve));
  jest.spyOn(store, 'appendToStream').mockImplementationOnce(async (...args) => {
    entered();
    await released;
    return append(...args);
  });
  return { appending, release };
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('probes and graceful shutdown (e2e, SQLite store)', () => {
  let folder: string;
  let app: INestApplication;
  let url: string;
  let releaseHeld: (() => void) | undefined;

  async function boot(env: Record<string, string> = {}): Promise<void> {
    app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db'), ...env }));
    // A real listening server: supertest's own would be started and stopped around each request.
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  }

  const registerCenter = (centerId: string) =>
    request(url).post('/v1/tender-centers').set(bearer('operator')).set('Content-Type', 'application/json').send({ centerId, name: `Center ${centerId}` });

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-shutdown-'));
  });

  afterEach(async () => {
    releaseHeld?.();
    releaseHeld = undefined;
    await app.close().catch(() => undefined);
    jest.restoreAllMocks();
    await rm(folder, { recursive: true, force: true });
  });

  it('is live and ready while serving; GET /health answers as before', async () => {
    await boot();
    expect((await request(url).get('/health/live').expect(200)).body).toEqual({ status: 'ok', eventLoopDelayMs: expect.any(Number) });
    expect((await request(url).get('/health/ready').expect(200)).body).toEqual({ status: 'ok', store: { kind: 'sqlite', reachable: true } });
    expect((await request(url).get('/health').expect(200)).body).toEqual({ status: 'ok', store: { kind: 'sqlite', reachable: true } });
  });

  it('is not ready while the store does not answer, and still live', async () => {
    await boot();
    await app.get<EventStore>(EVENT_STORE).close();
    expect((await request(url).get('/health/ready').expect(503)).body).toEqual({
      status: 'unavailable',
      store: { kind: 'sqlite', reachable: false, error: 'event store is closed' },
    });
    await request(url).get('/health/live').expect(200);
  });

  it('on shutdown: readiness 503 first, new requests 503 SHUTTING_DOWN, the command in flight completes, then the store closes', async () => {
    await boot();
    const held = holdNextAppend(app.get<EventStore>(EVENT_STORE));
    releaseHeld = held.release;
    const inFlight = registerCenter('C-IN-FLIGHT').then((response) => response);
    await held.appending;

    const closing = app.close();
    await until(async () => (await request(url).get('/health/ready')).status === 503, 'readiness to turn 503');
    expect((await request(url).get('/health/ready').expect(503)).body).toEqual(SHUTTING_DOWN);
    await request(url).get('/health/live').expect(200);
    const refused = await registerCenter('C-LATE').expect(503);
    expect(refused.body).toEqual(SHUTTING_DOWN);
    expect(refused.headers.connection).toBe('close');

    held.release();
    const answered = await inFlight;
    expect(answered.status).toBe(201);
    await closing;

    const store = SqliteEventStore.open({ path: join(folder, 'ledger.db') });
    try {
      const streams = [];
      for await (const event of store.readAll()) streams.push(event.streamName);
      expect(streams).toContain('tender-center-C-IN-FLIGHT');
      expect(streams).not.toContain('tender-center-C-LATE');
    } finally {
      await store.close();
    }
  });

  it('waits at most SHUTDOWN_DRAIN_TIMEOUT_MS for a request that does not finish, then drops its connection', async () => {
    await boot({ SHUTDOWN_DRAIN_TIMEOUT_MS: '300' });
    const held = holdNextAppend(app.get<EventStore>(EVENT_STORE));
    releaseHeld = held.release;
    const stuck = registerCenter('C-STUCK').then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await held.appending;

    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await stuck).toMatch(/socket hang up|ECONNRESET/);
  });
});
