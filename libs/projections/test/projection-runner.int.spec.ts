import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import {
  ProjectionFailedError,
  ProjectionRunner,
  ProjectionRunnerStoppedError,
  ProjectionWaitTimeoutError,
  READ_MODEL_SCHEMA_VERSION,
  ReadModelStore,
  ReadModelsAheadOfStoreError,
  type SnapshotInfo,
  rebuild,
} from '../src/runner';
import { balancesProjection } from '../src/balances/balances.projection';
import { bondsProjection } from '../src/bonds/bonds.projection';
import type { Checkpointed } from '../src/projection';
import { appendEvents, buildHistory } from './history';
import { at } from './at';
import { ALL_PROJECTIONS, type CountModel, PRODUCT_PROJECTIONS, foldUpTo, logTotals, naiveCounter, openStore, tempFolder } from './runner-helpers';

const ROOT = resolve(__dirname, '../../..');
const history = buildHistory({ lots: 10, biddersPerLot: 8, seed: 7 });
const cut = (share: number) => Math.floor(history.length * share);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let files: ReturnType<typeof tempFolder>;
let stores: SqliteEventStore[];
let readModelStores: ReadModelStore[];
let runners: ProjectionRunner[];

beforeEach(() => {
  files = tempFolder('ledger-projections-');
  stores = [];
  readModelStores = [];
  runners = [];
});

afterEach(async () => {
  for (const runner of runners) if (runner.state === 'running') await runner.stop().catch(() => undefined);
  for (const store of stores) await store.close();
  for (const readModels of readModelStores) readModels.close();
  files.remove();
});

function eventStore(): SqliteEventStore {
  const store = openStore(files.path('events.db'));
  stores.push(store);
  return store;
}

function readModelStore(): ReadModelStore {
  const readModels = ReadModelStore.open({ path: files.path('read-models.db') });
  readModelStores.push(readModels);
  return readModels;
}

function runner(options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> & { store: SqliteEventStore }): ProjectionRunner {
  const created = new ProjectionRunner({ readModels: readModelStore(), projections: ALL_PROJECTIONS, ...options });
  runners.push(created);
  return created;
}

/** Each live model equals the rebuild from position zero, and the guard-less counter saw each event once. */
async function expectEqualToRebuild(models: (name: string) => Checkpointed, store: SqliteEventStore): Promise<void> {
  const rebuilt = await rebuild(store, ALL_PROJECTIONS);
  for (const { name } of ALL_PROJECTIONS) expect({ name, model: models(name) }).toStrictEqual({ name, model: rebuilt[name] });
  const totals = await logTotals(store);
  expect(models(naiveCounter.name)).toStrictEqual({ count: totals.count, positionSum: totals.positionSum, position: totals.last!.toString() });
}

describe('rebuild', () => {
  it('folds the whole log from zero, the same on every run', async () => {
    const store = eventStore();
    await appendEvents(store, history);
    const once = await rebuild(store, PRODUCT_PROJECTIONS);
    const twice = await rebuild(store, PRODUCT_PROJECTIONS);
    expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
    expect(Object.keys(once)).toEqual(PRODUCT_PROJECTIONS.map((projection) => projection.name));
    expect((once.balances as { position?: string }).position).toBe((await logTotals(store)).last!.toString());
  });

  it('refuses two projections of one name', async () => {
    await expect(rebuild(eventStore(), [balancesProjection, balancesProjection])).rejects.toThrow(/two projections are named balances/);
    expect(() => new ProjectionRunner({ store: eventStore(), readModels: readModelStore(), projections: [bondsProjection, bondsProjection] })).toThrow(TypeError);
  });
});

describe('ProjectionRunner', () => {
  it('keeps live models equal to a rebuild from zero: history, then live appends, then a restart from the snapshot', async () => {
    const store = eventStore();
    await appendEvents(store, history.slice(0, cut(0.4)));
    const live = runner({ store, snapshotEveryEvents: 50 });
    await live.start();
    await live.caughtUp();
    await expectEqualToRebuild((name) => live.current(name), store);

    // Live: the rest arrives in many appends while the runner follows.
    const last = await appendEvents(store, history.slice(cut(0.4)));
    await live.waitForPosition(last!);
    expect(live.position).toBe(last);
    await expectEqualToRebuild((name) => live.current(name), store);

    // stop() writes the final snapshot: every stored model is the rebuild, at the log's last position.
    await live.stop();
    const stored = readModelStore();
    const rebuilt = await rebuild(store, ALL_PROJECTIONS);
    for (const { name } of ALL_PROJECTIONS) expect(stored.load(name)).toStrictEqual({ model: rebuilt[name], position: last });

    // A restart starts from the snapshot: caught up at once, nothing folded again.
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const restarted = runner({ store });
    await restarted.start();
    expect(subscribe).toHaveBeenCalledWith({ fromPosition: last });
    await restarted.caughtUp();
    expect(restarted.position).toBe(last);
    await expectEqualToRebuild((name) => restarted.current(name), store);
  });

  it('after a crash (no final snapshot) resumes from the stored snapshot: nothing skipped, nothing applied twice', async () => {
    const store = eventStore();
    await appendEvents(store, history.slice(0, cut(0.3)));
    const first = runner({ store });
    await first.start();
    await first.caughtUp();
    await first.stop();
    const checkpoint = readModelStore().load('balances')!.position!;

    // A runner that would snapshot only after a billion events: it folds the next part and is dropped.
    const otherConnection = openStore(files.path('events.db'));
    stores.push(otherConnection);
    const dropped = runner({ store: otherConnection, snapshotEveryEvents: 1e9, snapshotEveryMs: 1e9 });
    await dropped.start();
    const middle = await appendEvents(store, history.slice(cut(0.3), cut(0.7)));
    await dropped.waitForPosition(middle!);
    expect((dropped.current(naiveCounter.name) as CountModel).count).toBe(cut(0.7));
    // ... the process dies: its connection goes, nothing was written.
    await otherConnection.close();
    await sleep(30);
    expect(dropped.state).not.toBe('stopped');
    for (const { name } of ALL_PROJECTIONS) expect(readModelStore().load(name)!.position).toBe(checkpoint);

    // The restart folds the part the dropped runner had in memory again, once, then follows live appends.
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const restarted = runner({ store });
    await restarted.start();
    expect(subscribe).toHaveBeenCalledWith({ fromPosition: checkpoint });
    await restarted.caughtUp();
    expect(restarted.position).toBe(middle);
    const last = await appendEvents(store, history.slice(cut(0.7)));
    await restarted.waitForPosition(last!);
    await expectEqualToRebuild((name) => restarted.current(name), store);
    await restarted.stop();
  });

  it('after kill -9 mid-stream restarts from a consistent snapshot and ends equal to a rebuild', async () => {
    const store = eventStore();
    const eventsPath = files.path('events.db');
    const readModelsPath = files.path('read-models.db');
    await appendEvents(store, history.slice(0, cut(0.2)));

    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'libs/projections/test/fixtures/run-projections-until-killed.ts', eventsPath, readModelsPath],
      { cwd: ROOT, env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.json' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let partial = '';
    let ready = false;
    let snapshotsWhileLive = 0;
    const printed: bigint[] = [];
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const isReady = new Promise<void>((done, fail) => {
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('exit', (code) => fail(new Error(`runner child exited (${code}) before it was ready: ${stderr}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop()!;
        for (const line of lines) {
          if (line === 'ready') {
            ready = true;
            done();
          } else if (line.startsWith('snapshot ')) {
            printed.push(BigInt(line.slice('snapshot '.length)));
            if (ready) snapshotsWhileLive += 1;
          }
        }
        if (snapshotsWhileLive >= 3 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
    });
    await isReady;

    // Live appends, a few events at a time, until the child has been killed in the middle of them.
    let appended = cut(0.2);
    while (!child.killed && appended < history.length) {
      const next = Math.min(appended + 5, history.length);
      await appendEvents(store, history.slice(appended, next));
      appended = next;
      await sleep(5);
    }
    if (!child.killed) child.kill('SIGKILL'); // (it reported too few snapshots: the assertion below says so)
    expect(await exited).toBe('SIGKILL');
    expect(appended).toBeLessThan(cut(0.9));
    await appendEvents(store, history.slice(appended, cut(0.9)));

    // What the dead runner left: one checkpoint for all, at or after the last snapshot it reported,
    // before the end of the log, and every model exactly the fold of the events up to it.
    const stored = readModelStore();
    const checkpoint = stored.load(naiveCounter.name)!.position!;
    expect(checkpoint).toBeGreaterThanOrEqual(at(printed, -1));
    expect(checkpoint).toBeLessThan((await logTotals(store)).last!);
    const expected = await foldUpTo(store, ALL_PROJECTIONS, checkpoint);
    for (const { name } of ALL_PROJECTIONS) expect(stored.load(name)).toStrictEqual({ model: expected[name], position: checkpoint });

    // Restart from that snapshot, catch up, follow the rest of the history live.
    const restarted = runner({ store });
    await restarted.start();
    await restarted.caughtUp();
    const last = await appendEvents(store, history.slice(cut(0.9)));
    await restarted.waitForPosition(last!);
    await expectEqualToRebuild((name) => restarted.current(name), store);
  }, 60_000);

  it('writes snapshots whose checkpoint always matches the events in their models', async () => {
    const store = eventStore();
    await appendEvents(store, history.slice(0, cut(0.5)));
    const observer = readModelStore();
    const seen: Array<{ position: bigint; models: Record<string, unknown> }> = [];
    const mismatches: string[] = [];
    const onSnapshot = ({ positions }: SnapshotInfo) => {
      // Read back through another connection right after the write.
      const models: Record<string, unknown> = {};
      for (const { name } of ALL_PROJECTIONS) {
        const row = observer.load<Checkpointed>(name)!;
        if (row.position !== positions[name] || row.model.position !== row.position?.toString()) mismatches.push(name);
        models[name] = row.model;
      }
      seen.push({ position: positions.balances!, models });
    };
    const live = runner({ store, snapshotEveryEvents: 7, maxSnapshotShare: Infinity, onSnapshot });
    await live.start();
    const last = await appendEvents(store, history.slice(cut(0.5)));
    await live.waitForPosition(last!);
    await live.stop();
    expect(mismatches).toEqual([]);
    // One snapshot at a time (written by the store's thread): many, though fewer than one per 7 events.
    expect(seen.length).toBeGreaterThan(10);

    // Each snapshot against the fold of exactly the events up to its position.
    const models: Checkpointed[] = ALL_PROJECTIONS.map((projection) => projection.initial);
    let next = 0;
    for await (const event of store.readAll()) {
      ALL_PROJECTIONS.forEach((projection, index) => (models[index] = projection.apply(models[index], event)));
      for (let snapshot = seen[next]; snapshot?.position === event.position; snapshot = seen[next]) {
        const saved = snapshot.models;
        ALL_PROJECTIONS.forEach(({ name }, index) => expect(saved[name]).toStrictEqual(models[index]));
        next += 1;
      }
    }
    expect(next).toBe(seen.length);
  });

  it('limits the time spent in snapshots to maxSnapshotShare', async () => {
    const store = eventStore();
    const readModels = readModelStore();
    const save = readModels.saveInSlices.bind(readModels);
    jest.spyOn(readModels, 'saveInSlices').mockImplementation(async (entries, options) => {
      const until = performance.now() + 20; // a snapshot that costs 20 ms, as big models do
      while (performance.now() < until);
      const saved = await save(entries, options);
      return { ...saved, busyMs: saved.busyMs + 20 };
    });
    const snapshots: SnapshotInfo[] = [];
    const live = runner({ store, readModels, snapshotEveryEvents: 1, maxSnapshotShare: 0.25, onSnapshot: (info) => snapshots.push(info) });
    await live.start();
    const last = await appendEvents(store, history.slice(0, 200));
    await live.waitForPosition(last!);
    // Every event was due for a snapshot; at most one per 20 ms / 0.25 = 80 ms was written.
    expect(snapshots.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < snapshots.length; i += 1) expect(at(snapshots, i).events).toBeGreaterThanOrEqual(1);
    expect(snapshots.length).toBeLessThan(200 / 4);
    await live.stop();
    await expectEqualToRebuild((name) => readModels.load<Checkpointed>(name)!.model, store);
  });

  it('saves several read models in one transaction: all or none', () => {
    const readModels = readModelStore();
    readModels.save([{ name: 'a', model: { v: 1, position: '1' }, position: 1n }]);
    expect(() =>
      readModels.save([
        { name: 'a', model: { v: 2, position: '2' }, position: 2n },
        { name: 'b', model: { v: 2n }, position: 2n }, // a bigint is not JSON: the whole save fails
      ]),
    ).toThrow(TypeError);
    expect(readModels.load('a')).toEqual({ model: { v: 1, position: '1' }, position: 1n });
    expect(readModels.load('b')).toBeUndefined();
    expect(readModels.names()).toEqual(['a']);
  });

  it('empties a read-model file of an older schema (the runner folds from zero) and refuses one of a newer', () => {
    const path = files.path('read-models.db');
    const older = new Database(path);
    older.exec('CREATE TABLE read_models (name TEXT PRIMARY KEY NOT NULL, position TEXT, model TEXT NOT NULL)');
    older.prepare('INSERT INTO read_models VALUES (?, ?, ?)').run('bonds', '42', '{"lots":{"7":{"12":{}}},"position":"42"}');
    older.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION - 1}`);
    older.close();
    const readModels = readModelStore();
    expect(readModels.names()).toEqual([]);
    expect(readModels.load('bonds')).toBeUndefined();
    readModels.close();
    const newer = new Database(path);
    newer.pragma(`user_version = ${READ_MODEL_SCHEMA_VERSION + 1}`);
    newer.close();
    expect(() => ReadModelStore.open({ path })).toThrow(/schema version/);
  });

  it('snapshots on time when idle, without being stopped', async () => {
    const store = eventStore();
    const live = runner({ store, snapshotEveryEvents: 1e9, snapshotEveryMs: 40 });
    await live.start();
    await live.caughtUp();
    const last = await appendEvents(store, history.slice(0, 60));
    await live.waitForPosition(last!);
    await sleep(150);
    expect(readModelStore().load('balances')!.position).toBe(last);
  });

  it('stops on an unbalanced posting set, reports it, writes nothing past it, and meets it again on restart', async () => {
    const store = eventStore();
    await appendEvents(store, history.slice(0, 100));
    const bad = await store.appendToStream(
      'corrupt-1',
      [
        {
          id: '00000000-0000-4000-8000-000000000001',
          type: 'ManualAdjustment',
          data: { postings: [{ account: 'clearing:102100099996', side: 'DEBIT', amount: '10.00' }, { account: 'suspense:102100099996', side: 'CREDIT', amount: '9.99' }] },
          metadata: { correlationId: 'c', causationId: 'c', actor: 'test' },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    await appendEvents(store, history.slice(100, 160));
    const errors: Error[] = [];
    const failing = runner({ store, snapshotEveryEvents: 10, onError: (error) => errors.push(error) });
    await failing.start();
    const caughtUp = failing.caughtUp();
    await expect(caughtUp).rejects.toBeInstanceOf(ProjectionFailedError);
    expect(failing.state).toBe('failed');
    expect(errors).toHaveLength(1);
    const failure = errors[0] as ProjectionFailedError;
    expect(failure).toBe(failing.failure);
    expect(failure).toMatchObject({ projection: 'balances', position: bad.position, eventType: 'ManualAdjustment', streamName: 'corrupt-1' });
    expect(failure.message).toMatch(/debits 10.00 != credits 9.99/);
    // The balances model stops before the bad event; nothing after it was folded into anything.
    expect(failing.current('balances').position).toBe((bad.position - 1n).toString());
    expect(failing.position).toBe(bad.position - 1n);
    await expect(failing.waitForPosition(bad.position)).rejects.toBe(failure);
    await failing.stop();
    const stored = readModelStore();
    for (const { name } of ALL_PROJECTIONS) expect(stored.load(name)!.position!).toBeLessThan(bad.position);

    const again = runner({ store, onError: () => undefined });
    await again.start();
    await expect(again.caughtUp()).rejects.toMatchObject({ projection: 'balances', position: bad.position });
    await expect(rebuild(store, PRODUCT_PROJECTIONS)).rejects.toBeInstanceOf(ProjectionFailedError);
  });

  it('folds a projection added later from the start while the others skip what they have', async () => {
    const store = eventStore();
    await appendEvents(store, history.slice(0, cut(0.5)));
    const before = runner({ store, projections: [balancesProjection, naiveCounter] });
    await before.start();
    await before.caughtUp();
    await before.stop();
    await appendEvents(store, history.slice(cut(0.5)));

    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const after = runner({ store, projections: ALL_PROJECTIONS });
    await after.start();
    expect(subscribe).toHaveBeenCalledWith({ fromPosition: 'start' });
    await after.caughtUp();
    await expectEqualToRebuild((name) => after.current(name), store);
  });

  it('refuses read models that are ahead of the event store', async () => {
    const store = eventStore();
    await appendEvents(store, history.slice(0, 30));
    const live = runner({ store });
    await live.start();
    await live.caughtUp();
    await live.stop();

    const emptyStore = openStore(files.path('other-events.db'));
    stores.push(emptyStore);
    await expect(runner({ store: emptyStore }).start()).rejects.toBeInstanceOf(ReadModelsAheadOfStoreError);
  });

  it('refuses, saying what to do, read models of their own store restored from an older copy', async () => {
    const path = files.path('events.db');
    const older = files.path('events-backup.db');
    const store = openStore(path);
    await appendEvents(store, history.slice(0, 10));
    await store.close();
    copyFileSync(path, older);
    const current = eventStore();
    await appendEvents(current, history.slice(10, 30));
    const identity = await current.identity();
    const readModels = ReadModelStore.open({ path: files.path('read-models.db'), storeIdentity: identity });
    readModelStores.push(readModels);
    const live = runner({ store: current, readModels });
    await live.start();
    await live.caughtUp();
    await live.stop();

    const restored = openStore(older);
    stores.push(restored);
    expect(await restored.identity()).toBe(identity);
    const reopened = ReadModelStore.open({ path: files.path('read-models.db'), storeIdentity: identity });
    readModelStores.push(reopened);
    expect(reopened.discarded).toBeUndefined();
    const error = await runner({ store: restored, readModels: reopened }).start().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ReadModelsAheadOfStoreError);
    expect((error as Error).message).toMatch(/so the store went back \(restored from an older backup\?\); stop the ledger, move the read-model file \(READ_MODEL_DB_PATH\) away and start again/);
  });

  it('bounds waits: a position never reached times out, a stop rejects what still waits', async () => {
    const store = eventStore();
    const live = runner({ store });
    await live.start();
    await live.caughtUp(); // an empty store: caught up at once
    await expect(live.waitForPosition(1_000n, 50)).rejects.toBeInstanceOf(ProjectionWaitTimeoutError);
    const waiting = live.waitForPosition(1_000n, 5_000);
    await live.stop();
    await expect(waiting).rejects.toBeInstanceOf(ProjectionRunnerStoppedError);
    await expect(live.waitForPosition(1n)).rejects.toBeInstanceOf(ProjectionRunnerStoppedError);
    expect(() => live.current('nope')).toThrow(RangeError);
  });
});
