import { INestApplication } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { EVENT_STORE } from '../src/platform/event-store/event-store.token';
import { createLedgerApp } from '../src/ledger-app';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('GET /health (e2e, SQLite store)', () => {
  let folder: string;
  let app: INestApplication;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-health-'));
    app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') }));
  });

  afterEach(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('answers 200 while the store is reachable', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toEqual({ status: 'ok', store: { kind: 'sqlite', reachable: true } });
  });

  it('answers 503 with the reason once the store is closed', async () => {
    await app.get<EventStore>(EVENT_STORE).close();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toEqual({
      status: 'unavailable',
      store: { kind: 'sqlite', reachable: false, error: 'event store is closed' },
    });
  });

  it('echoes the caller’s X-Request-Id', async () => {
    await request(app.getHttpServer()).get('/health').set('X-Request-Id', 'esb-7f3a-0001').expect('X-Request-Id', 'esb-7f3a-0001');
  });

  it('generates an X-Request-Id when the caller sends none or an unusable one', async () => {
    const none = await request(app.getHttpServer()).get('/health');
    expect(none.headers['x-request-id']).toMatch(UUID);
    const tooLong = await request(app.getHttpServer()).get('/health').set('X-Request-Id', 'x'.repeat(129));
    expect(tooLong.headers['x-request-id']).toMatch(UUID);
  });
});
