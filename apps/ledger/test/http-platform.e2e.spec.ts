import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLedgerConfig } from '../src/platform/config/ledger-config';
import { createLedgerApp } from '../src/ledger-app';
import { bearer } from './support/access-tokens';
import { exchangeRaw } from './support/raw-http';

interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * What the HTTP platform answers by itself, before or around the routes: docs/api.md "HTTP conventions",
 * as ledgerHttpAdapter() sets Fastify up. Raw requests, so that nothing between the test and the
 * service normalises what is sent.
 */
describe('HTTP platform answers (e2e)', () => {
  let folder: string;
  let app: NestFastifyApplication;
  let port: number;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-http-platform-'));
    app = await createLedgerApp(loadLedgerConfig({ LOG_LEVEL: 'silent', LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db') }));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function send(method: string, target: string, headers: Record<string, string> = {}): Promise<Answer> {
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: ledger', 'Connection: close', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    const raw = await exchangeRaw(port, `${lines.join('\r\n')}\r\n\r\n`);
    const split = raw.indexOf('\r\n\r\n');
    const [statusLine = '', ...headerLines] = raw.slice(0, split).split('\r\n');
    const entries = headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]);
    return { status: Number(statusLine.split(' ')[1]), headers: Object.fromEntries(entries), text: raw.slice(split + 4) };
  }

  const error = (answer: Answer) => JSON.parse(answer.text).error;
  const operator = bearer('operator');

  it('matches routes in any letter case and with one trailing slash', async () => {
    expect((await send('GET', '/HEALTH')).status).toBe(200);
    expect((await send('GET', '/Health/Live/')).status).toBe(200);
    const doubled = await send('GET', '//health');
    expect({ status: doubled.status, error: error(doubled) }).toEqual({ status: 404, error: { code: 'ROUTE_NOT_FOUND', message: 'no route for GET //health' } });
  });

  it('reads an escaped unreserved character as the character (RFC 3986 §6.2.2.2), an escaped slash as no separator', async () => {
    expect((await send('GET', '/%68ealth')).status).toBe(200);
    const slash = await send('GET', '/v1%2Flots/L1', operator);
    expect({ status: slash.status, error: error(slash) }).toEqual({ status: 404, error: { code: 'ROUTE_NOT_FOUND', message: 'no route for GET /v1%2Flots/L1' } });
    const parameter = await send('GET', '/v1/lots/L%31', operator);
    expect({ status: parameter.status, error: error(parameter) }).toEqual({ status: 404, error: { code: 'LOT_NOT_FOUND', message: 'no lot L1', field: 'lotId' } });
  });

  it('hands a path parameter of any length to its route, whose check refuses it', async () => {
    const answer = await send('GET', `/v1/lots/${'L'.repeat(300)}`, operator);
    expect({ status: answer.status, error: error(answer) }).toEqual({ status: 400, error: expect.objectContaining({ code: 'INVALID_FIELD', field: 'lotId' }) });
  });

  it('answers a path that does not decode with 400 BAD_REQUEST in the API shape, with the request id', async () => {
    const answer = await send('GET', '/v1/lots/%E0%A4%A', { ...operator, 'X-Request-Id': 'esb-bad-path-1' });
    expect({ status: answer.status, id: answer.headers['x-request-id'], error: error(answer) }).toEqual({
      status: 400,
      id: 'esb-bad-path-1',
      error: { code: 'BAD_REQUEST', message: expect.stringContaining("'/v1/lots/%E0%A4%A'") },
    });
  });

  it('tags answers with a weak ETag and answers a conditional GET or HEAD that names it with 304', async () => {
    const etag = (await send('GET', '/health')).headers.etag ?? 'none';
    expect(etag).toMatch(/^W\/"3a-[A-Za-z0-9+/]{27}"$/);
    for (const [method, ifNoneMatch] of [['GET', etag], ['GET', `W/"other", ${etag}`], ['HEAD', '*']] as const) {
      const again = await send(method, '/health', { 'If-None-Match': ifNoneMatch });
      expect({ status: again.status, etag: again.headers.etag, type: again.headers['content-type'], length: again.headers['content-length'], text: again.text }).toEqual({
        status: 304,
        etag,
        type: undefined,
        length: undefined,
        text: '',
      });
    }
    expect((await send('GET', '/health', { 'If-None-Match': etag, 'Cache-Control': 'no-cache' })).status).toBe(200);
    expect((await send('GET', '/health', { 'If-None-Match': 'W/"other"' })).status).toBe(200);
  });

  it('leaves bodies to the API: a malformed Content-Type without a body is not refused for itself', async () => {
    const answer = await send('POST', '/v1/tender-centers', { ...operator, 'Content-Type': 'garbage' });
    expect({ status: answer.status, error: error(answer) }).toEqual({ status: 400, error: { code: 'MALFORMED_BODY', message: 'the request body must be a JSON object' } });
  });

  it('answers a path climbing out of the OpenAPI UI’s files as no route', async () => {
    const answer = await send('GET', '/docs/%2e%2e/package.json');
    expect({ status: answer.status, error: error(answer) }).toEqual({ status: 404, error: { code: 'ROUTE_NOT_FOUND', message: 'no route for GET /docs/%2e%2e/package.json' } });
  });

  it('answers JSON that says it is UTF-8, errors included', async () => {
    expect((await send('GET', '/health')).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await send('GET', '/v1/nothing-here')).headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('keeps an idle connection 5 s, as Node does', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).headers.get('keep-alive')).toBe('timeout=5');
  });

  it('lets Node answer malformed HTTP itself: a status line and no body', async () => {
    const raw = await exchangeRaw(port, `GET /health HTTP/1.1\r\nHost: ledger\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(raw).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
  });
});
