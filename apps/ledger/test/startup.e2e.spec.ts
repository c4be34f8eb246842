import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../..');
const STARTUP_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 10_000;

interface RunningLedger {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The real entry point, as `npm start` would run it but from source. */
function startLedger(env: Record<string, string>): RunningLedger {
  const inherited = { ...process.env };
  for (const name of ['PORT', 'LEDGER_DB_PATH', 'EVENTSTORE_CONNECTION_STRING', 'KAFKA_BROKERS', 'LOG_LEVEL', 'READ_MODEL_DB_PATH']) {
    delete inherited[name];
  }
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/ledger/src/main.ts'],
    { cwd: REPO_ROOT, env: { ...inherited, TS_NODE_PROJECT: 'tsconfig.json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.on('exit', (code, signal) => resolveExit({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, listening));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

async function waitForHealthy(ledger: RunningLedger, url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void ledger.exit.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`ledger exited before becoming healthy:\n${ledger.stderr()}`);
    const response = await fetch(url, { headers: { 'X-Request-Id': 'startup-probe' } }).catch(() => undefined);
    if (response?.status === 200) return response;
    await new Promise((pause) => setTimeout(pause, 100));
  }
  throw new Error(`ledger not healthy within ${timeoutMs} ms:\n${ledger.stdout()}${ledger.stderr()}`);
}

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
