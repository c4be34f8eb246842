import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ANY,
  IdempotencyMismatchError,
  InvalidAppendError,
  NO_STREAM,
  SqliteEventStore,
  WrongExpectedVersionError,
  verifyChain,
} from '@app/event-store';
import type { SqliteEventStoreOptions, StreamAppend } from '@app/event-store';
import { type ContractStore, at, collect, describeEventStoreContract, proposed, take } from './event-store.contract';

const folders: string[] = [];
function freshPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ledger-store-'));
  folders.push(folder);
  return join(folder, 'nested', 'ledger.db');
}
function freshFile(name: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'ledger-store-'));
  folders.push(folder);
  return join(folder, name);
}
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A store on a file: `reopen` opens the same file again, `openAnother` a new one. */
function sqliteContractStore(options: Omit<SqliteEventStoreOptions, 'path'>, path = freshPath()): ContractStore {
  const store = SqliteEventStore.open({ ...options, path });
  return {
    store,
    dispose: () => store.close(),
    reopen: async () => sqliteContractStore(options, path),
    openAnother: async () => sqliteContractStore(options),
  };
}

// Both places the group commit can run: on the event loop, and in the writer thread (the service's).
const WRITERS = ['inline', 'thread'] as const;

for (const writer of WRITERS) {
  describeEventStoreContract(`embedded SQLite (${writer} writer)`, async () => sqliteContractStore({ pollIntervalMs: 20, writer }));

  // The mode that behaves as EventStoreDB does across streams, so protocols are proven against both.
  describeEventStoreContract(`embedded SQLite, sequential multi-stream appends (${writer} writer)`, async () =>
    sqliteContractStore({ pollIntervalMs: 20, multiStreamAppend: 'sequential', writer }),
  );
}

describe.each(WRITERS)('embedded SQLite specifics (%s writer)', (writer) => {
  /** A store with this describe's writer unless the options name one. */
  const open = (options: SqliteEventStoreOptions) => SqliteEventStore.open({ writer, ...options });
  let path: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    path = freshPath();
    store = open({ path, pollIntervalMs: 20, clock: () => new Date('2026-12-01T02:03:04.005Z') });
  });
  afterEach(() => store.close());

  it('creates the file and its folder, in WAL mode with fsync at every commit', () => {
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
    // synchronous is a per-connection setting, so it is read from the store's own connection.
    const own = (store as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
  });

  it('stamps recordedAt from its clock', async () => {
    await store.appendToStream('s', [proposed('A')], { expectedRevision: NO_STREAM });
    const read = await collect(store.readStream('s'));
    expect(read.map((event) => event.metadata.recordedAt)).toEqual(['2026-12-01T02:03:04.005Z']);
  });

  it('keeps every event across close and reopen', async () => {
    const events = [proposed('A'), proposed('B')];
    await store.appendToStream('s', events, { expectedRevision: NO_STREAM });
    await store.close();
    store = open({ path });
    const read = await collect(store.readStream('s'));
    expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect((await store.appendToStream('s', [proposed('C')], { expectedRevision: 1n })).nextExpectedRevision).toBe(2n);
  });

  it('commits concurrent appends in far fewer transactions than appends (group commit)', async () => {
    const before = store.commitStats();
    await Promise.all(
      Array.from({ length: 64 }, (_, i) => store.appendToStream(`g${i}`, [proposed('A')], { expectedRevision: NO_STREAM })),
    );
    const after = store.commitStats();
    expect(after.appends - before.appends).toBe(64);
    expect(after.commits - before.commits).toBeLessThanOrEqual(2);
  });

  it('lets one append of a group fail without undoing the others committed with it', async () => {
    await store.appendToStream('taken', [proposed('A')], { expectedRevision: NO_STREAM });
    const outcomes = await Promise.allSettled([
      store.appendToStream('one', [proposed('A')], { expectedRevision: NO_STREAM }),
      store.appendToStream('taken', [proposed('B'), proposed('C')], { expectedRevision: NO_STREAM }),
      store.appendToStream('two', [proposed('A')], { expectedRevision: NO_STREAM }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect(await collect(store.readStream('taken'))).toHaveLength(1);
    expect(await collect(store.readStream('one'))).toHaveLength(1);
    expect(await collect(store.readStream('two'))).toHaveLength(1);
  });

  it('undoes what a many-event append wrote before one of its ids turned out stored, keeping the rest of the group', async () => {
    const stored = proposed('A');
    await store.appendToStream('s', [stored], { expectedRevision: NO_STREAM });
    const outcomes = await Promise.allSettled([
      store.appendToStream('one', [proposed('A')], { expectedRevision: NO_STREAM }),
      store.appendToStream('s', [proposed('B'), stored], { expectedRevision: ANY }),
      store.appendToStream('s', [stored], { expectedRevision: ANY }),
      store.appendToStream('two', [proposed('A')], { expectedRevision: NO_STREAM }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyMismatchError);
    expect((await collect(store.readStream('s'))).map((event) => event.id)).toEqual([stored.id]);
    expect(await collect(store.readStream('one'))).toHaveLength(1);
    expect(await collect(store.readStream('two'))).toHaveLength(1);
  });

  it('bounds the events committed in one transaction', async () => {
    const bounded = open({ path: freshPath(), maxEventsPerCommit: 10 });
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          bounded.appendToStream(`b${i}`, [proposed('A'), proposed('B'), proposed('C')], { expectedRevision: NO_STREAM }),
        ),
      );
      expect(bounded.commitStats()).toEqual({ appends: 10, entries: 10, commits: 4 });
    } finally {
      await bounded.close();
    }
  });

  it('refuses metadata JSON cannot carry before queueing it, keeping the rest of the group', async () => {
    const bad = { ...proposed('A'), metadata: { ...proposed('A').metadata, n: 1n as never } };
    const outcomes = await Promise.allSettled([
      store.appendToStream('one', [proposed('A')], { expectedRevision: NO_STREAM }),
      store.appendToStream('bad', [bad], { expectedRevision: NO_STREAM }),
      store.appendToStream('two', [proposed('A')], { expectedRevision: NO_STREAM }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidAppendError);
  });

  describe('appendToStreams', () => {
    const append = (streamName: string, events = [proposed('A')], expectedRevision: StreamAppend['expectedRevision'] = NO_STREAM): StreamAppend => ({
      streamName,
      events,
      expectedRevision,
    });

    it('is atomic by default and sequential when asked', () => {
      expect(store.multiStreamAppend).toBe('atomic');
      const sequential = open({ path: freshPath(), multiStreamAppend: 'sequential' });
      expect(sequential.multiStreamAppend).toBe('sequential');
      sequential.close();
      expect(() => open({ path: freshPath(), multiStreamAppend: 'eventual' as never })).toThrow('multiStreamAppend');
    });

    it('commits 200 concurrent calls, half of them conflicting on a shared stream, in few commits', async () => {
      await store.appendToStream('hot', [proposed('Start')], { expectedRevision: NO_STREAM });
      const before = store.commitStats();
      // Calls 2k and 2k+1 both expect revision k of the hot stream: in queue order the first wins.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          store.appendToStreams([append(`own${i}`), append('hot', [proposed(`Hot${i}`)], BigInt(Math.floor(i / 2)))]),
        ),
      );
      const after = store.commitStats();
      expect(after.commits - before.commits).toBeLessThanOrEqual(2);
      expect(after.entries - before.entries).toBe(200);
      expect(after.appends - before.appends).toBe(400);

      outcomes.forEach((outcome, i) => {
        if (i % 2 === 0) {
          expect(outcome).toEqual({ status: 'fulfilled', value: [expect.objectContaining({ nextExpectedRevision: 0n }), expect.objectContaining({ nextExpectedRevision: BigInt(i / 2 + 1) })] });
        } else {
          expect(outcome.status).toBe('rejected');
          const reason = (outcome as PromiseRejectedResult).reason;
          expect(reason).toBeInstanceOf(WrongExpectedVersionError);
          expect(reason).toMatchObject({ appendIndex: 1, streamName: 'hot' });
        }
      });
      for (let i = 0; i < 200; i += 1) expect(await collect(store.readStream(`own${i}`))).toHaveLength(i % 2 === 0 ? 1 : 0);
      const hot = await collect(store.readStream('hot'));
      expect(hot.map((e) => e.type)).toEqual(['Start', ...Array.from({ length: 100 }, (_, k) => `Hot${2 * k}`)]);
      expect(verifyChain(hot)).toMatchObject({ ok: true, links: 101 });
      expect(verifyChain(await collect(store.readAll())).ok).toBe(true);
    });

    it('lets a conflicting call in the middle of a batch leave nothing while the others commit with it', async () => {
      await store.appendToStream('taken', [proposed('A')], { expectedRevision: NO_STREAM });
      const before = store.commitStats();
      const outcomes = await Promise.allSettled([
        store.appendToStreams([append('one-a'), append('one-b', [proposed('A'), proposed('B')])]),
        store.appendToStreams([append('mid'), append('mid-2', [proposed('A'), proposed('B')]), append('taken', [proposed('B')])]),
        store.appendToStream('single', [proposed('A')], { expectedRevision: NO_STREAM }),
        store.appendToStreams([append('two-a'), append('two-a', [proposed('B')], 0n)]),
      ]);
      expect(store.commitStats().commits - before.commits).toBe(1);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const reason = (outcomes[1] as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(WrongExpectedVersionError);
      expect(reason).toMatchObject({ appendIndex: 2, streamName: 'taken', expected: NO_STREAM, actual: 0n });
      expect(await collect(store.readStream('mid'))).toEqual([]);
      expect(await collect(store.readStream('mid-2'))).toEqual([]);
      expect(await collect(store.readStream('taken'))).toHaveLength(1);
      const streams = (await collect(store.readAll())).map((e) => e.streamName);
      expect(streams).toEqual(['taken', 'one-a', 'one-b', 'one-b', 'single', 'two-a', 'two-a']);
      expect(verifyChain(await collect(store.readAll())).ok).toBe(true);
    });

    it('refuses a call whose append repeats only part of a stored one with IdempotencyMismatchError and its index', async () => {
      const stored = proposed('A');
      await store.appendToStream('s', [stored], { expectedRevision: NO_STREAM });
      const error = await store.appendToStreams([append('x'), append('s', [proposed('B'), stored], ANY)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyMismatchError);
      expect(error).toMatchObject({ appendIndex: 1, streamName: 's' });
      expect(await collect(store.readStream('x'))).toEqual([]);
      expect(await collect(store.readStream('s'))).toHaveLength(1);
    });

    it('bounds a commit by all the events of a call and never splits one', async () => {
      const bounded = open({ path: freshPath(), maxEventsPerCommit: 10 });
      const three = () => [proposed('A'), proposed('B'), proposed('C')];
      try {
        await Promise.all([
          bounded.appendToStreams([append('a1', three()), append('b1', three())]),
          bounded.appendToStreams([append('a2', three()), append('b2', three())]),
          bounded.appendToStreams([append('a3', three()), append('b3', three()), append('c3', three()), append('d3', three())]),
          bounded.appendToStream('e', [proposed('A')], { expectedRevision: NO_STREAM }),
        ]);
        // 6 | 6 | 12, over the bound but whole | 1 (12 + 1 > 10).
        expect(bounded.commitStats()).toEqual({ appends: 9, entries: 4, commits: 4 });
        expect(await collect(bounded.readAll())).toHaveLength(25);
      } finally {
        await bounded.close();
      }
    });

    it('in sequential mode commits each append as its own entry, so other appends can land between them', async () => {
      const sequential = open({ path: freshPath(), multiStreamAppend: 'sequential' });
      try {
        const call = sequential.appendToStreams([append('x'), append('y')]);
        const between = sequential.appendToStream('z', [proposed('A')], { expectedRevision: NO_STREAM });
        const [xy, z] = await Promise.all([call, between]);
        expect(at(xy, 0).position).toBeLessThan(z.position);
        expect(z.position).toBeLessThan(at(xy, 1).position);
        expect(sequential.commitStats()).toEqual({ appends: 3, entries: 3, commits: 2 });
      } finally {
        await sequential.close();
      }
    });
  });

  it('treats a re-append with ANY of ids already stored as a retry', async () => {
    const events = [proposed('A'), proposed('B')];
    const first = await store.appendToStream('s', events, { expectedRevision: ANY });
    await store.appendToStream('s', [proposed('C')], { expectedRevision: ANY });
    expect(await store.appendToStream('s', events, { expectedRevision: ANY })).toEqual(first);
    expect(await collect(store.readStream('s'))).toHaveLength(3);
  });

  it('refuses an append that repeats only some ids of an earlier one', async () => {
    const [a, b] = [proposed('A'), proposed('B')];
    await store.appendToStream('s', [a], { expectedRevision: NO_STREAM });
    await expect(store.appendToStream('s', [a, b], { expectedRevision: ANY })).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect(await collect(store.readStream('s'))).toHaveLength(1);
  });

  it('a retry with a different expected revision than the original is a conflict, not a second write', async () => {
    const events = [proposed('A')];
    await store.appendToStream('s', [proposed('Z')], { expectedRevision: NO_STREAM });
    await store.appendToStream('s', events, { expectedRevision: 0n });
    await expect(store.appendToStream('s', events, { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await collect(store.readStream('s'))).toHaveLength(2);
  });

  it('pages long streams and long histories without losing an event', async () => {
    const events = Array.from({ length: 1_300 }, (_, i) => proposed(`E${i}`));
    await store.appendToStream('long', events.slice(0, 1_000), { expectedRevision: NO_STREAM });
    await store.appendToStream('long', events.slice(1_000), { expectedRevision: 999n });
    expect((await collect(store.readStream('long'))).map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(await collect(store.readStream('long', { direction: 'backwards' }))).toHaveLength(1_300);
    expect(await collect(store.readAll({ maxCount: 1_100 }))).toHaveLength(1_100);
    const subscription = store.subscribeToAll();
    try {
      expect((await take(subscription, 1_300)).map((e) => e.id)).toEqual(events.map((e) => e.id));
    } finally {
      await subscription.close();
    }
  });

  it('delivers to a subscription what another connection writes to the same file', async () => {
    const subscription = store.subscribeToAll();
    const other = open({ path });
    try {
      await other.appendToStream('from-other', [proposed('A')], { expectedRevision: NO_STREAM });
      expect((await take(subscription, 1, 5_000)).map((event) => event.streamName)).toEqual(['from-other']);
    } finally {
      await subscription.close();
      await other.close();
    }
  });

  it('commits on close what was queued, answering every append, and keeps it', async () => {
    const appends = Array.from({ length: 20 }, (_, i) => store.appendToStream(`q${i}`, [proposed('A')], { expectedRevision: NO_STREAM }));
    await store.close();
    expect((await Promise.all(appends)).map((result) => result.nextExpectedRevision)).toEqual(appends.map(() => 0n));
    store = open({ path });
    expect(await collect(store.readAll())).toHaveLength(20);
  });

  it('wakes a caught-up subscription when its own commit lands, without waiting for the poll', async () => {
    const slow = open({ path: freshPath(), pollIntervalMs: 60_000 });
    const subscription = slow.subscribeToAll();
    try {
      const first = take(subscription, 1, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the subscription is caught up and waiting
      const { position } = await slow.appendToStream('woken', [proposed('A')], { expectedRevision: NO_STREAM });
      expect((await first).map((event) => event.position)).toEqual([position]);
    } finally {
      await subscription.close();
      await slow.close();
    }
  });

  it('does not miss a commit that lands while its consumer still holds the last event read', async () => {
    const slow = open({ path: freshPath(), pollIntervalMs: 60_000 });
    const subscription = slow.subscribeToAll();
    try {
      await slow.appendToStream('first', [proposed('A')], { expectedRevision: NO_STREAM });
      expect((await take(subscription, 1, 5_000)).map((event) => event.streamName)).toEqual(['first']);
      // The subscription is between its scan and its wait: this commit's wake-up finds no one waiting.
      await slow.appendToStream('second', [proposed('A')], { expectedRevision: NO_STREAM });
      expect((await take(subscription, 1, 5_000)).map((event) => event.streamName)).toEqual(['second']);
    } finally {
      await subscription.close();
      await slow.close();
    }
  });

  it("tells its commits to a listener, which can make another connection's subscription look at once", async () => {
    const reader = open({ path, readOnly: true, pollIntervalMs: 60_000 });
    const subscription = reader.subscribeToAll();
    let commits = 0;
    const stopCounting = store.onCommit(() => (commits += 1));
    const stopTelling = store.onCommit(() => reader.lookForAppends());
    try {
      const first = take(subscription, 1, 5_000);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the subscription is caught up and waiting
      const { position } = await store.appendToStream('told', [proposed('A')], { expectedRevision: NO_STREAM });
      expect((await first).map((event) => event.position)).toEqual([position]);
      expect(commits).toBe(1);
      stopCounting();
      await store.appendToStream('untold', [proposed('A')], { expectedRevision: NO_STREAM });
      expect(commits).toBe(1);
    } finally {
      stopTelling();
      await subscription.close();
      await reader.close();
    }
  });

  if (writer === 'thread') {
    it('answers every waiting append with an error when its writer thread stops, and refuses later ones', async () => {
      await store.appendToStream('before', [proposed('A')], { expectedRevision: NO_STREAM });
      const waiting = store.appendToStream('lost', [proposed('A')], { expectedRevision: NO_STREAM });
      await (store as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer.worker.terminate();
      await expect(waiting).rejects.toThrow('writer thread stopped');
      await expect(store.appendToStream('after', [proposed('A')], { expectedRevision: NO_STREAM })).rejects.toThrow('writer thread stopped');
      await expect(store.ping()).rejects.toThrow('writer thread stopped');
      expect((await collect(store.readAll())).map((event) => event.streamName)).toEqual(['before']);
    });
  }

  it('refuses appends and pings once closed', async () => {
    await store.close();
    await expect(store.ping()).rejects.toThrow('closed');
    await expect(store.appendToStream('s', [proposed('A')], { expectedRevision: ANY })).rejects.toThrow('closed');
    await expect(store.appendToStreams([{ streamName: 's', events: [proposed('A')], expectedRevision: ANY }])).rejects.toThrow('closed');
  });

  it('shows a row edited behind its back as a broken link at that row', async () => {
    await store.appendToStream('s', [proposed('A', { n: 1 }), proposed('B', { n: 2 }), proposed('C', { n: 3 })], { expectedRevision: NO_STREAM });
    expect(verifyChain(await collect(store.readStream('s'))).ok).toBe(true);
    const raw = new Database(path);
    raw.prepare(`UPDATE events SET data = '{"n":20}' WHERE stream = 's' AND revision = 1`).run();
    raw.close();
    const { breaks } = verifyChain(await collect(store.readStream('s')));
    expect(breaks.map((b) => [b.event.revision, b.reason])).toEqual([[1n, 'HASH_MISMATCH']]);
  });

  it('links the first new event of a stream written before the chain to its history', async () => {
    await store.appendToStream('old', [proposed('A'), proposed('B')], { expectedRevision: NO_STREAM });
    await store.close();
    const raw = new Database(path);
    raw.prepare(`UPDATE events SET metadata = json_remove(metadata, '$.chain')`).run();
    raw.close();
    store = open({ path });
    await store.appendToStream('old', [proposed('C')], { expectedRevision: 1n });
    const read = await collect(store.readStream('old'));
    expect(read.map((event) => event.metadata.chain === undefined)).toEqual([true, true, false]);
    expect(verifyChain(read)).toMatchObject({ ok: true, legacy: 2 });
  });

  describe('read-only', () => {
    it('reads a file without changing a byte of it and refuses appends', async () => {
      await store.appendToStream('s', [proposed('A'), proposed('B')], { expectedRevision: NO_STREAM });
      await store.close();
      const before = readFileSync(path);
      store = open({ path, readOnly: true });
      expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['A', 'B']);
      await expect(store.appendToStream('s', [proposed('C')], { expectedRevision: 1n })).rejects.toThrow('read-only');
      await expect(store.appendToStreams([{ streamName: 's', events: [proposed('C')], expectedRevision: 1n }])).rejects.toThrow('read-only');
      await store.close();
      expect(readFileSync(path).equals(before)).toBe(true);
    });

    it('refuses a missing file instead of creating an empty store', () => {
      const missing = freshFile('absent.db');
      expect(() => open({ path: missing, readOnly: true })).toThrow();
      expect(existsSync(missing)).toBe(false);
    });

    it('refuses a SQLite file that is not an event store', () => {
      const other = freshFile('other.db');
      const raw = new Database(other);
      raw.exec('CREATE TABLE t (x)');
      raw.close();
      expect(() => open({ path: other, readOnly: true })).toThrow('no events table');
    });
  });

  describe('identity', () => {
    /** The file as a build of schema version 1 left it: no store_meta table, user_version 1. */
    function asSchemaVersion1(file: string): void {
      const raw = new Database(file);
      raw.exec('DROP TABLE store_meta');
      raw.pragma('user_version = 1');
      raw.close();
    }

    it('is written into the file when it is created, at schema version 2', async () => {
      const identity = await store.identity();
      const raw = new Database(path, { readonly: true });
      try {
        expect(raw.prepare("SELECT value FROM store_meta WHERE key = 'identity'").get()).toEqual({ value: identity });
        expect(raw.pragma('user_version', { simple: true })).toBe(2);
      } finally {
        raw.close();
      }
    });

    it('is what a read-only open and a copy of the file give', async () => {
      const identity = await store.identity();
      await store.appendToStream('s', [proposed('A')], { expectedRevision: NO_STREAM });
      await store.close();
      const copy = freshFile('copy.db');
      copyFileSync(path, copy);
      store = open({ path, readOnly: true });
      expect(await store.identity()).toBe(identity);
      const copied = open({ path: copy });
      try {
        expect(await copied.identity()).toBe(identity);
      } finally {
        await copied.close();
      }
    });

    it('is given to a file of schema version 1 on its first writable open, and kept', async () => {
      const events = [proposed('A'), proposed('B')];
      await store.appendToStream('s', events, { expectedRevision: NO_STREAM });
      await store.close();
      asSchemaVersion1(path);

      store = open({ path });
      const identity = await store.identity();
      expect(identity).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect((await collect(store.readStream('s'))).map((e) => e.id)).toEqual(events.map((e) => e.id));
      await store.appendToStream('s', [proposed('C')], { expectedRevision: 1n });
      await store.close();

      const raw = new Database(path, { readonly: true });
      expect(raw.pragma('user_version', { simple: true })).toBe(2);
      raw.close();
      store = open({ path });
      expect(await store.identity()).toBe(identity);
      expect(verifyChain(await collect(store.readAll())).ok).toBe(true);
    });

    it('is not given by a read-only open of a file of schema version 1, which stays as it was', async () => {
      await store.appendToStream('s', [proposed('A')], { expectedRevision: NO_STREAM });
      await store.close();
      asSchemaVersion1(path);
      const before = readFileSync(path);

      store = open({ path, readOnly: true });
      expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['A']);
      await expect(store.identity()).rejects.toThrow('no identity yet');
      await store.close();
      expect(readFileSync(path).equals(before)).toBe(true);
    });
  });

  it('refuses a file written by a newer schema', async () => {
    const newer = freshPath();
    open({ path: newer }).close();
    const raw = new Database(newer);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => open({ path: newer })).toThrow('schema version 99');
  });
});
