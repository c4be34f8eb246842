import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuditReport } from '@app/audit';

const REPO = resolve(__dirname, '../../../..');

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The CLI as `npm run audit` runs it (ts-node, transpile only, path aliases), in a child process with
 * only the environment given: no EventStoreDB string or LEDGER_DB_PATH leaks in from the test run.
 */
export function runAuditCli(args: readonly string[], env: { [name: string]: string }): Promise<CliRun> {
  const { EVENTSTORE_CONNECTION_STRING: _esdb, LEDGER_DB_PATH: _db, ...inherited } = process.env;
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'tools/audit/main.ts', ...args],
      { cwd: REPO, env: { ...inherited, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

export function readReport(path: string): AuditReport {
  return JSON.parse(readFileSync(path, 'utf8')) as AuditReport;
}

/** A temp folder with copies of a seeded file: each test audits (and tampers with) its own. */
export function tempFolder(prefix: string) {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  let copies = 0;
  return {
    path: (name: string) => join(folder, name),
    copy: (source: string) => {
      const target = join(folder, `copy-${(copies += 1)}.db`);
      copyFileSync(source, target);
      return target;
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
