import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_STREAM, SqliteEventStore, WalCheckpointer } from '@app/event-store';
import { configureWriteConnection } from '../src/sqlite/sqlite-schema';
import { collect, proposed } from './event-store.contract';

/** SQLite's own checkpoint threshold (`wal_autocheckpoint` left at its default): what a writer must not do. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1_000;
/** Explicit checkpoints only: the interval never comes round in a test. */
const NEVER = 3_600_000;

const folders: string[] = [];
function freshPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ledger-wal-'));
  folders.push(folder);
  return join(folder, 'ledger.db');
}
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A writing connection as the store configures its own, on a table of 4 KiB rows (about a page each). */
function openWriter(path: string) {
  const db = new Database(path);
  configureWriteConnection(db);
  db.exec('CREATE TABLE IF NOT EXISTS rows (n INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
  const body = Buffer.alloc(4_000, 7);
  /** One transaction (one commit) of `rows` rows. */
  const write = (rows: number) => db.transaction(() => Array.from({ length: rows }, () => insert.run(body)))();
  return { db, write };
}

describe('WalCheckpointer', () => {
  it('checkpoints from its own connection: the writer never does, and its next commit starts the WAL over', async () => {
    const path = freshPath();
    const writer = openWriter(path);
    const checkpointer = WalCheckpointer.start({ path, intervalMs: NEVER });
    try {
      for (let commit = 0; commit < 150; commit += 1) writer.write(10);
      const caughtUp = await checkpointer.checkpoint();
      // Every frame of the 150 commits is still in the WAL: the writer checkpointed none of them.
      expect(caughtUp.last!.log).toBeGreaterThan(SQLITE_DEFAULT_AUTOCHECKPOINT + 500);
      expect(caughtUp.last!.checkpointed).toBe(caughtUp.last!.log);

      writer.write(1);
      const after = await checkpointer.checkpoint();
      expect(after.last!.log).toBeLessThan(10); // started over from the beginning of the file
      expect(writer.db.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: 1_501 });
    } finally {
      await checkpointer.close();
      writer.db.close();
    }
    // The last connection closed checkpointed everything and removed the WAL: the thread's connection is closed too.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('pauses the writers to catch up with a WAL that stays long, and lets them go after', async () => {
    const path = freshPath();
    const writer = openWriter(path);
    let paused = false;
    let resumed!: () => void;
    const resumedSignal = new Promise<void>((resolve) => (resumed = resolve));
    const checkpointer = WalCheckpointer.start({
      path,
      intervalMs: NEVER,
      restartAfterFrames: 200,
      pauseWriters: async () => {
        paused = true;
        return () => {
          paused = false;
          resumed();
        };
      },
    });
    try {
      writer.write(100);
      expect((await checkpointer.checkpoint()).catchUps).toBe(0); // below restartAfterFrames
      for (let commit = 0; commit < 3; commit += 1) writer.write(100);
      await checkpointer.checkpoint(); // past it: asks for the pause
      await resumedSignal;
      expect(paused).toBe(false);

      writer.write(1);
      const after = await checkpointer.checkpoint();
      expect(after.catchUps).toBe(1);
      expect(after.last!.log).toBeLessThan(10);
    } finally {
      await checkpointer.close();
      writer.db.close();
    }
  });

  it('lets the writers go when it is closed during a pause', async () => {
    const path = freshPath();
    const writer = openWriter(path);
    let resumed = false;
    let pauseAsked!: () => void;
    const asked = new Promise<void>((resolve) => (pauseAsked = resolve));
    let grant!: () => void;
    const checkpointer = WalCheckpointer.start({
      path,
      intervalMs: NEVER,
      restartAfterFrames: 50,
      pauseWriters: () => {
        pauseAsked();
        return new Promise((resolve) => (grant = () => resolve(() => (resumed = true))));
      },
    });
    try {
      writer.write(100);
      await checkpointer.checkpoint();
      await asked;
      await checkpointer.close();
      grant(); // the writers reached their pause after the thread ended
      await Promise.resolve();
      expect(resumed).toBe(true);
    } finally {
      writer.db.close();
    }
  });
});

// Both writers: the store's own connection, and the writer thread's.
describe.each(['inline', 'thread'] as const)('embedded SQLite checkpoints (%s writer)', (writer) => {
  it('leaves checkpoints to its checkpointer thread, which keeps the WAL bounded', async () => {
    const path = freshPath();
    const store = SqliteEventStore.open({ path, writer, walCheckpointIntervalMs: NEVER });
    const internals = store as unknown as { checkpointer?: WalCheckpointer };
    const big = { blob: 'x'.repeat(6_000) }; // two pages or so per event
    let revision = -1;
    try {
      // The thread starts once the WAL passes 1 MiB; then the store's commits keep growing the WAL.
      for (let append = 0; internals.checkpointer === undefined || append < 1_000; append += 1) {
        await store.appendToStream('s', [proposed('A', big)], { expectedRevision: revision < 0 ? NO_STREAM : BigInt(revision) });
        revision += 1;
      }
      const caughtUp = await internals.checkpointer!.checkpoint();
      expect(caughtUp.last!.log).toBeGreaterThan(SQLITE_DEFAULT_AUTOCHECKPOINT * 2);
      expect(caughtUp.last!.checkpointed).toBe(caughtUp.last!.log);

      await store.appendToStream('s', [proposed('A')], { expectedRevision: BigInt(revision) });
      expect((await internals.checkpointer!.checkpoint()).last!.log).toBeLessThan(20);
      expect(await collect(store.readStream('s'))).toHaveLength(revision + 2);
    } finally {
      await store.close();
    }
    expect(existsSync(`${path}-wal`)).toBe(false);
  }, 60_000);

  it('holds commits while the checkpointer pauses it, and commits them after', async () => {
    const store = SqliteEventStore.open({ path: freshPath(), writer });
    const internals = store as unknown as { pauseWriters(): Promise<() => void>; queue: unknown[] };
    try {
      const before = store.appendToStream('a', [proposed('A')], { expectedRevision: NO_STREAM });
      let beforeDone = false;
      void before.then(() => (beforeDone = true));
      await new Promise((resolve) => setImmediate(resolve)); // flushed: committed inline, sent to the thread
      const resume = await internals.pauseWriters();
      expect(beforeDone).toBe(true); // the pause waits for what was committing

      const commits = store.commitStats().commits;
      const during = store.appendToStream('b', [proposed('A')], { expectedRevision: NO_STREAM });
      for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
      expect(internals.queue).toHaveLength(1); // neither committed nor sent to the writer thread
      expect(store.commitStats().commits).toBe(commits);
      expect(await collect(store.readStream('b'))).toHaveLength(0);

      resume();
      await during;
      expect(await collect(store.readStream('b'))).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
