import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { createLedgerApp } from '../src/ledger-app';
import { bearer } from './support/access-tokens';
import { metricsText } from './support/metrics-scrape';

/**
 * The order of the request pipeline's checks (docs/architecture.md, "The HTTP shell"): access control,
 * then the Idempotency-Key, then the body; and which of them the command metrics see. Access control's
 * refusals reached no handler (route `none`, no command counted); the key's and the body's are the
 * command's outcome.
 */
describe('the request pipeline’s order (e2e, SQLite store)', () => {
  let folder: string;
  let app: INestApplication;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-pipeline-'));
    app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') }));
  });

  afterAll(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  const post = (headers: Record<string, string>, body: object) =>
    request(app.getHttpServer()).post('/v1/tender-centers').set(headers).set('Content-Type', 'application/json').send(body);

  /** The value of one sample of the metrics' text, 0 when absent. */
  const sample = (text: string, name: string, labels: string): number => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };
  const commands = (text: string, outcome: string) => sample(text, 'ledger_commands_total', `route="/v1/tender-centers",command="registerTenderCenter",outcome="${outcome}"`);
  const requests = (text: string, route: string, status: string) => sample(text, 'ledger_http_request_duration_seconds_count', `method="POST",route="${route}",status="${status}"`);

  it('refuses a bad token before a malformed key, and a malformed key before a bad body', async () => {
    const before = await metricsText(app);
    const noToken = await post({ 'Idempotency-Key': 'bad key' }, {}).expect(401);
    expect(noToken.body.error.code).toBe('UNAUTHENTICATED');
    const wrongRole = await post({ ...bearer('esb'), 'Idempotency-Key': 'bad key' }, {}).expect(403);
    expect(wrongRole.body.error.code).toBe('FORBIDDEN_ROLE');
    const badKey = await post({ ...bearer('operator'), 'Idempotency-Key': 'bad key' }, {}).expect(400);
    expect(badKey.body.error).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY', field: 'Idempotency-Key' });
    const badBody = await post({ ...bearer('operator'), 'Idempotency-Key': 'pipeline-1' }, {}).expect(400);
    expect(badBody.body.error.code).toBe('MISSING_FIELD');

    const after = await metricsText(app);
    // Access control's refusals reached no handler: no command counted, route none.
    expect(requests(after, 'none', '401') - requests(before, 'none', '401')).toBe(1);
    expect(requests(after, 'none', '403') - requests(before, 'none', '403')).toBe(1);
    expect(commands(after, 'UNAUTHENTICATED') + commands(after, 'FORBIDDEN_ROLE')).toBe(0);
    // The key's and the body's refusals are the command's outcomes, on its route.
    expect(commands(after, 'INVALID_IDEMPOTENCY_KEY') - commands(before, 'INVALID_IDEMPOTENCY_KEY')).toBe(1);
    expect(commands(after, 'MISSING_FIELD') - commands(before, 'MISSING_FIELD')).toBe(1);
    expect(requests(after, '/v1/tender-centers', '400') - requests(before, '/v1/tender-centers', '400')).toBe(2);
  });

  it('counts a command once by its answer, and a GET not at all', async () => {
    const before = await metricsText(app);
    await post({ ...bearer('operator'), 'Idempotency-Key': 'pipeline-2' }, { centerId: 'P1', name: 'Pipeline center' }).expect(201);
    await post({ ...bearer('operator'), 'Idempotency-Key': 'pipeline-2' }, { centerId: 'P1', name: 'Pipeline center' }).expect(200);
    await post(bearer('operator'), { centerId: 'P1', name: 'Pipeline center' }).expect(409);
    await request(app.getHttpServer()).get('/health').expect(200);
    const after = await metricsText(app);
    expect(commands(after, 'CREATED') - commands(before, 'CREATED')).toBe(1);
    expect(commands(after, 'IDEMPOTENT_REPLAY') - commands(before, 'IDEMPOTENT_REPLAY')).toBe(1);
    expect(commands(after, 'TENDER_CENTER_EXISTS') - commands(before, 'TENDER_CENTER_EXISTS')).toBe(1);
    expect(after.split('\n').filter((line) => line.startsWith('ledger_commands_total{') && line.includes('route="/health"'))).toEqual([]);
  });
});
