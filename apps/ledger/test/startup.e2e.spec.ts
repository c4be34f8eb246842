import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LedgerProcess as RunningLedger, freePort, spawnLedger as startLedger, waitForHealthy, within } from './support/ledger-process';

const STARTUP_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 10_000;

describe('ledger entry point (e2e)', () => {
  let running: RunningLedger | undefined;

  afterEach(() => {
    // Only reached with a live child when an assertion failed midway.
    if (running?.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
  });

  it('exits with code 1 and names PORT when PORT is invalid', async () => {
    running = startLedger({ PORT: 'abc' });
    const { code } = await within(running.exit, STARTUP_TIMEOUT_MS, 'exit');
    expect(code).toBe(1);
    expect(running.stderr().trim()).toBe('invalid configuration: PORT must be an integer 1..65535, got "abc"');
    expect(running.stdout()).toBe('');
  }, STARTUP_TIMEOUT_MS + 5_000);

  describe('with a valid configuration', () => {
    let folder: string;

    beforeEach(async () => {
      folder = await mkdtemp(join(tmpdir(), 'ledger-startup-'));
    });

    afterEach(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it('serves /health, logs JSON lines naming the store, and exits cleanly on SIGTERM', async () => {
      const dbPath = join(folder, 'not-yet-created', 'ledger.db');
      const port = await freePort();
      const ledger = (running = startLedger({ PORT: String(port), LEDGER_DB_PATH: dbPath, READ_MODEL_DB_PATH: join(folder, 'read-models.db'), LOG_LEVEL: 'info' }));

      const response = await waitForHealthy(ledger, `http://127.0.0.1:${port}/health`, STARTUP_TIMEOUT_MS);
      expect(await response.json()).toEqual({ status: 'ok', store: { kind: 'sqlite', reachable: true } });
      expect(existsSync(dbPath)).toBe(true);

      ledger.child.kill('SIGTERM');
      const exit = await within(ledger.exit, EXIT_TIMEOUT_MS, 'shutdown');
      expect(exit).toEqual({ code: 0, signal: null });

      const lines = ledger.stdout().split('\n').filter((line) => line !== '');
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records).toContainEqual(
        expect.objectContaining({ msg: 'using event store', store: { kind: 'sqlite', path: dbPath } }),
      );
      expect(records).toContainEqual(expect.objectContaining({ msg: 'ledger listening on all interfaces', port }));
      expect(records).toContainEqual(
        expect.objectContaining({ req: expect.objectContaining({ id: 'startup-probe', url: '/health' }) }),
      );
      expect(records).toContainEqual(expect.objectContaining({ msg: 'event store closed', store: { kind: 'sqlite' } }));
      expect(ledger.stderr()).toBe('');
    }, STARTUP_TIMEOUT_MS + EXIT_TIMEOUT_MS + 5_000);
  });
});
