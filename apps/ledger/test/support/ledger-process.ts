import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../../..');
/** Variables of the developer's shell that would change what the child runs on. */
const LEDGER_VARIABLES = ['PORT', 'METRICS_PORT', 'METRICS_HOST', 'LEDGER_DB_PATH', 'EVENTSTORE_CONNECTION_STRING', 'KAFKA_BROKERS', 'KAFKA_PUBLISHER', 'LOG_LEVEL', 'READ_MODEL_DB_PATH', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY'];

export interface LedgerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The real entry point in a child process, as `npm start` would run it but from source (ts-node). Its
 * metrics listener takes a free port (METRICS_PORT=0) unless `env` names one: many children run at once.
 */
export function spawnLedger(env: Record<string, string>): LedgerProcess {
  const inherited = { ...process.env };
  for (const name of LEDGER_VARIABLES) delete inherited[name];
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/ledger/src/main.ts'],
    { cwd: REPO_ROOT, env: { ...inherited, TS_NODE_PROJECT: 'tsconfig.json', METRICS_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
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

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, listening));
  const { port } = server.address() as { port: number };
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}

/** Polls GET /health until 200; fails early if the child exits. */
export async function waitForHealthy(ledger: LedgerProcess, url: string, timeoutMs: number): Promise<Response> {
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

/** A request with a JSON body (if any) and `authorization` to a ledger process: the status and the JSON answer. */
export async function callJson(url: string, method: 'GET' | 'POST', authorization: { Authorization: string }, body?: object): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: { ...authorization, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: await response.json() };
}
