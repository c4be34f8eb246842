import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { collect } from './event-store.contract';

const ROOT = resolve(__dirname, '../../..');
const ACKS_BEFORE_KILL = 3_000;

interface Ack {
  stream: string;
  lastRevision: bigint;
  ids: string[];
}

/** Runs the writer child until it has acknowledged enough appends, then kills it with SIGKILL. */
function appendUntilKilled(path: string, writer: 'inline' | 'thread'): Promise<Ack[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/event-store/test/fixtures/append-until-killed.ts', path, writer],
      { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acks: Ack[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const ack = /^ack (\S+) (\d+) (\S+)$/.exec(line);
        if (!ack) throw new Error(`writer printed an unexpected line: ${line}`);
        const [, stream = '', revision = '', ids = ''] = ack;
        acks.push({ stream, lastRevision: BigInt(revision), ids: ids.split(',') });
      }
      if (acks.length >= ACKS_BEFORE_KILL && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolvePromise(acks);
      else reject(new Error(`writer exited with ${code} before it was killed: ${stderr}`));
    });
  });
}

// Both writers: the commit on the event loop, and in the writer thread (which the kill stops mid-commit).
describe.each(['inline', 'thread'] as const)('embedded SQLite durability (%s writer)', (writer) => {
  let folder: string;
  beforeAll(() => (folder = mkdtempSync(join(tmpdir(), 'ledger-durability-'))));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('keeps every acknowledged append, and no half of any append, after kill -9', async () => {
    const path = join(folder, 'ledger.db');
    const acks = await appendUntilKilled(path, writer);
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const raw = new Database(path);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    const store = SqliteEventStore.open({ path });
    try {
      const stored = await collect(store.readAll());
      const byId = new Map(stored.map((event) => [event.id, event]));
      for (const ack of acks) {
        ack.ids.forEach((id, index) => {
          const event = byId.get(id);
          expect(event).toBeDefined();
          expect(event!.streamName).toBe(ack.stream);
          expect(event!.revision).toBe(ack.lastRevision - BigInt(ack.ids.length - 1 - index));
        });
      }
      // Every append is whole: its events sit together, as many as it carried.
      const appendSizes = new Map<string, number>();
      for (const event of stored) appendSizes.set(String(event.data.appendId), (appendSizes.get(String(event.data.appendId)) ?? 0) + 1);
      for (const event of stored) expect(appendSizes.get(String(event.data.appendId))).toBe(event.data.count);
      // Revisions run without gaps in every stream.
      const streams = new Map<string, bigint[]>();
      for (const event of stored) {
        const revisions = streams.get(event.streamName) ?? [];
        revisions.push(event.revision);
        streams.set(event.streamName, revisions);
      }
      for (const revisions of streams.values()) expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
    } finally {
      await store.close();
    }
  }, 60_000);
});
