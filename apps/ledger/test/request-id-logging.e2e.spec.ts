import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer } from './support/access-tokens';
import { freePort, spawnLedger } from './support/ledger-process';

const TIMEOUT_MS = 30_000;

/**
 * The real entry point at LOG_LEVEL=debug, from source: the request id must be on the lines a command
 * handler logs (the debug line of each append), and SIGTERM must run the shutdown in order.
 */
describe('request ids in logs and the SIGTERM sequence (e2e, real process)', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledger-logging-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it(
    'tags every line logged while a command runs with its X-Request-Id, and drains, then closes the store on SIGTERM',
    async () => {
      const port = await freePort();
      const ledger = spawnLedger({ PORT: String(port), LEDGER_DB_PATH: join(folder, 'ledger.db'), READ_MODEL_DB_PATH: join(folder, 'read-models.db'), LOG_LEVEL: 'debug' });
      const { child } = ledger;
      try {
        const base = `http://127.0.0.1:${port}`;
        const deadline = Date.now() + TIMEOUT_MS;
        while ((await fetch(`${base}/health/ready`).catch(() => undefined))?.status !== 200) {
          if (Date.now() > deadline || child.exitCode !== null) throw new Error(`not ready:\n${ledger.stdout()}${ledger.stderr()}`);
          await new Promise((pause) => setTimeout(pause, 100));
        }
        const response = await fetch(`${base}/v1/tender-centers`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'esb-trace-0001', ...bearer('operator') },
          body: JSON.stringify({ centerId: 'LOG1', name: 'Logged center' }),
        });
        expect(response.status).toBe(201);
        child.kill('SIGTERM');
        expect((await ledger.exit).code).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }

      const records = ledger.stdout().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
      const appended = records.filter((record) => record.msg === 'events appended' && record.stream === 'tender-center-LOG1');
      expect(appended).toEqual([expect.objectContaining({ level: 'debug', reqId: 'esb-trace-0001', types: ['TenderCenterRegistered'] })]);
      const ofRequest = records.filter((record) => (record.req as { id?: string } | undefined)?.id === 'esb-trace-0001');
      // The request's own line.
      expect(ofRequest).toEqual([
        expect.objectContaining({
          reqId: 'esb-trace-0001',
          req: expect.objectContaining({ method: 'POST', url: '/v1/tender-centers', query: {} }),
          res: expect.objectContaining({ statusCode: 201, headers: expect.objectContaining({ 'x-request-id': 'esb-trace-0001' }) }),
          responseTime: expect.any(Number),
          msg: 'request completed',
        }),
      ]);

      const order = ['shutting down: not ready, refusing new requests, draining those in flight', 'in-flight requests drained', 'event store closed'];
      const positions = order.map((msg) => records.findIndex((record) => record.msg === msg));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(ledger.stderr()).toBe('');
    },
    TIMEOUT_MS + 10_000,
  );
});
